import { LatestVersions } from './latest-versions';

describe('LatestVersions', () => {
  it('accepts only versions above the last one seen for the same key', () => {
    const versions = new LatestVersions();
    expect(versions.accept('retail_sales|370982000000|202611', 3)).toBe(true);
    expect(versions.accept('retail_sales|370982000000|202611', 3)).toBe(false);
    expect(versions.accept('retail_sales|370982000000|202611', 2)).toBe(false);
    expect(versions.accept('retail_sales|370982000000|202611', 4)).toBe(true);
    // Another key, even a scoped cell of the same division, keeps its own counter.
    expect(versions.accept('retail_sales|370982000000|202611|platform:taobao', 1)).toBe(true);
  });

  it('forgets the least recently changed key past its capacity', () => {
    const versions = new LatestVersions(2);
    versions.accept('a', 5);
    versions.accept('b', 5);
    versions.accept('a', 6); // a is now the most recent
    versions.accept('c', 1); // evicts b
    expect(versions.size).toBe(2);
    expect(versions.accept('a', 6)).toBe(false);
    expect(versions.accept('b', 1)).toBe(true);
  });
});

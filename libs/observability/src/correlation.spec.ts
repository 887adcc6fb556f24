import { currentCorrelationId, normaliseCorrelationId, runWithCorrelationId } from './correlation';

describe('correlation ids', () => {
  it('keeps a sane caller id and replaces a dangerous one', () => {
    expect(normaliseCorrelationId('req-42.a:b')).toBe('req-42.a:b');
    const replaced = normaliseCorrelationId('bad id\nwith newline');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(normaliseCorrelationId(undefined)).not.toBe(normaliseCorrelationId(undefined));
  });

  it('is visible across awaits inside its scope only', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    const seen = await runWithCorrelationId('abc', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentCorrelationId();
    });
    expect(seen).toBe('abc');
    expect(currentCorrelationId()).toBeUndefined();
  });
});

import type { Principal } from './principal';
import {
  assertAllWithinRegion,
  assertWithinRegion,
  firstOutsideRegion,
  foundInRegion,
  isWithinRegion,
  regionOf,
  regionPrefixOf,
} from './region';

const official = (regionPrefix: string): Principal => ({
  subject: 'u-1',
  kind: 'official',
  roles: ['commerce'],
  regionPrefix,
});
const courier: Principal = { subject: 'c-1', kind: 'courier', roles: [], regionPrefix: '' };

function refusal(run: () => void): { status?: number; problemType?: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { status?: number; problemType?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('region checks', () => {
  it('gives what was found inside the region, and the same missing error otherwise', () => {
    const missing = () => new Error('not found');
    const site = { divisionCode: '640502000000' };
    expect(foundInRegion(official('6405'), site, missing)).toBe(site);
    expect(foundInRegion(courier, site, missing)).toBe(site);
    expect(() => foundInRegion(official('6404'), site, missing)).toThrow('not found');
    expect(() => foundInRegion(official('6405'), undefined, missing)).toThrow('not found');
    expect(() => foundInRegion(official('6405'), null, missing)).toThrow('not found');
  });

  it('confines officials to their prefix and nobody else', () => {
    expect(regionOf(official('6405'))).toBe('6405');
    expect(regionOf(courier)).toBe('');
    expect(regionOf(undefined)).toBe('');
    expect(regionOf(null)).toBe('');
    expect(regionOf({ regionPrefix: '3709' })).toBe('3709');
    expect(regionOf({})).toBe('');
    expect(regionPrefixOf(official('640521'))).toBe('640521');
    expect(regionPrefixOf(courier)).toBe('');
  });

  it('takes codes and prefixes: a wider division is outside', () => {
    expect(isWithinRegion(official('640521'), '640521100200')).toBe(true);
    expect(isWithinRegion(official('640521'), '640521')).toBe(true);
    expect(isWithinRegion(official('640521'), '6405')).toBe(false);
    expect(isWithinRegion(official(''), '370982000000')).toBe(true);
    expect(isWithinRegion(courier, '370982000000')).toBe(true);
    expect(isWithinRegion(undefined, '370982000000')).toBe(true);
  });

  it('refuses with the 403 outside-region problem and the standard words', () => {
    const error = refusal(() => assertWithinRegion(official('6405'), '370982000000', 'change'));
    expect(error).toMatchObject({ status: 403, problemType: 'outside-region' });
    expect(error.message).toBe(
      'Division 370982000000 is outside your region (6405): you may change only what lies inside it; ask an official of that region or an administrator.',
    );
    expect(refusal(() => assertWithinRegion({ regionPrefix: '99' }, '37')).message).toMatch(
      /you may act only inside it/,
    );
  });

  it('lets a door bring its own words', () => {
    const error = refusal(() =>
      assertWithinRegion({ regionPrefix: '6405' }, '370982000000', {
        detail: (region) =>
          `Division 370982000000 lies outside your region (codes starting with ${region}).`,
      }),
    );
    expect(error).toMatchObject({ status: 403, problemType: 'outside-region' });
    expect(error.message).toBe(
      'Division 370982000000 lies outside your region (codes starting with 6405).',
    );
  });

  it('checks several divisions at once, refusing at the first outside', () => {
    const codes = ['640521100200', '370982000000', '110000000000'];
    expect(firstOutsideRegion(official('6405'), codes)).toBe('370982000000');
    expect(firstOutsideRegion(official('64'), ['640521000000', '640100000000'])).toBeUndefined();
    expect(() => assertAllWithinRegion(official('64'), ['640521000000'])).not.toThrow();
    expect(refusal(() => assertAllWithinRegion(official('6405'), codes, 'read')).message).toMatch(
      /^Division 370982000000 is outside your region \(6405\): you may read only/,
    );
  });
});

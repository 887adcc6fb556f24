import { isAdministrativeVillage, levelOfCode, parentOfCode } from './division-code.util';

describe('division codes', () => {
  it.each([
    ['640000000000', 'province', null],
    ['640500000000', 'city', '640000000000'],
    ['640521000000', 'county', '640500000000'],
    ['640521100000', 'town', '640521000000'],
    ['640521100201', 'village', '640521100000'],
  ])('%s is a %s with parent %s', (code, level, parent) => {
    expect(levelOfCode(code)).toBe(level);
    expect(parentOfCode(code)).toBe(parent);
  });

  it('tells administrative villages (200–399) from residents committees', () => {
    expect(isAdministrativeVillage('640521100001')).toBe(false);
    expect(isAdministrativeVillage('640521100199')).toBe(false);
    expect(isAdministrativeVillage('640521100200')).toBe(true);
    expect(isAdministrativeVillage('640521100399')).toBe(true);
    expect(isAdministrativeVillage('640521100400')).toBe(false);
    expect(isAdministrativeVillage('640521100000')).toBe(false);
  });
});

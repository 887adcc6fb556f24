import {
  ancestorsOfCode,
  isAdministrativeVillage,
  levelOfCode,
  parentOfCode,
  prefixOfCode,
} from './division-code.util';

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

  it('lists ancestors province first and strips the padding off prefixes', () => {
    expect(ancestorsOfCode('370982103201')).toEqual([
      '370000000000',
      '370900000000',
      '370982000000',
      '370982103000',
    ]);
    expect(ancestorsOfCode('370000000000')).toEqual([]);
    // 东莞 has no counties: its towns hang directly off the city.
    expect(ancestorsOfCode('441900003000')).toEqual(['440000000000', '441900000000']);
    expect(prefixOfCode('370000000000')).toBe('37');
    expect(prefixOfCode('370900000000')).toBe('3709');
    expect(prefixOfCode('370982000000')).toBe('370982');
    expect(prefixOfCode('370982103000')).toBe('370982103');
    expect(prefixOfCode('370982103201')).toBe('370982103201');
  });
});

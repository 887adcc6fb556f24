import {
  DIVISION_LEVELS,
  ancestorsOfCode,
  codeOfPrefix,
  isAdministrativeVillage,
  isDivisionCode,
  isWithin,
  lastCodeOfPrefix,
  levelOfCode,
  lineageOfCode,
  parentOfCode,
  prefixAtLevel,
  prefixOfCode,
} from './division-code';

// 山东省 泰安市 新泰市 青云街道 one village committee
const PROVINCE = '370000000000';
const CITY = '370900000000';
const COUNTY = '370982000000';
const TOWN = '370982001000';
const VILLAGE = '370982001201';

describe('division codes', () => {
  it.each([
    [PROVINCE, 'province', '37'],
    [CITY, 'city', '3709'],
    [COUNTY, 'county', '370982'],
    [TOWN, 'town', '370982001'],
    [VILLAGE, 'village', VILLAGE],
  ] as const)('%s is a %s with prefix %s', (code, level, prefix) => {
    expect(levelOfCode(code)).toBe(level);
    expect(prefixOfCode(code)).toBe(prefix);
    expect(codeOfPrefix(prefix)).toBe(code);
  });

  it('lists the levels coarsest first', () => {
    expect(DIVISION_LEVELS).toEqual(['province', 'city', 'county', 'town', 'village']);
  });

  it('treats a string shorter than 12 digits as a prefix already', () => {
    expect(prefixOfCode('3709')).toBe('3709');
    expect(prefixOfCode('370900')).toBe('370900');
    expect(prefixOfCode('')).toBe('');
  });

  it('cuts a code at a level', () => {
    expect(prefixAtLevel(VILLAGE, 'province')).toBe('37');
    expect(prefixAtLevel(VILLAGE, 'city')).toBe('3709');
    expect(prefixAtLevel(VILLAGE, 'county')).toBe('370982');
    expect(prefixAtLevel(VILLAGE, 'town')).toBe('370982001');
    expect(prefixAtLevel(VILLAGE, 'village')).toBe(VILLAGE);
  });

  it('knows a full code from anything else', () => {
    expect(isDivisionCode(COUNTY)).toBe(true);
    expect(isDivisionCode('370982')).toBe(false);
    expect(isDivisionCode('37098200000a')).toBe(false);
    expect(isDivisionCode('3709820000001')).toBe(false);
    expect(isDivisionCode(370982000000)).toBe(false);
  });

  it('finds the parent of each level', () => {
    expect(parentOfCode(PROVINCE)).toBeNull();
    expect(parentOfCode(CITY)).toBe(PROVINCE);
    expect(parentOfCode(COUNTY)).toBe(CITY);
    expect(parentOfCode(TOWN)).toBe(COUNTY);
    expect(parentOfCode(VILLAGE)).toBe(TOWN);
  });

  it('skips a level a code does not have (a town directly under a city, as in 东莞)', () => {
    const dongguanTown = '441900003000';
    expect(levelOfCode(dongguanTown)).toBe('town');
    expect(parentOfCode(dongguanTown)).toBe('441900000000');
    expect(ancestorsOfCode(dongguanTown)).toEqual(['440000000000', '441900000000']);
    expect(lineageOfCode(dongguanTown)).toEqual(['440000000000', '441900000000', dongguanTown]);
  });

  it('gives the range of codes a prefix covers', () => {
    expect([codeOfPrefix('3709'), lastCodeOfPrefix('3709')]).toEqual([CITY, '370999999999']);
    expect(lastCodeOfPrefix('370982001')).toBe('370982001999');
    expect(lastCodeOfPrefix(VILLAGE)).toBe(VILLAGE);
    expect([codeOfPrefix(''), lastCodeOfPrefix('')]).toEqual(['000000000000', '999999999999']);
  });

  it('tells administrative villages (200–399) from residents committees', () => {
    expect(isAdministrativeVillage('640521100001')).toBe(false);
    expect(isAdministrativeVillage('640521100199')).toBe(false);
    expect(isAdministrativeVillage('640521100200')).toBe(true);
    expect(isAdministrativeVillage('640521100399')).toBe(true);
    expect(isAdministrativeVillage('640521100400')).toBe(false);
    expect(isAdministrativeVillage('640521100000')).toBe(false);
    expect(isAdministrativeVillage(COUNTY)).toBe(false);
  });

  it('lists ancestors province first, without the code itself', () => {
    expect(ancestorsOfCode(PROVINCE)).toEqual([]);
    expect(ancestorsOfCode(COUNTY)).toEqual([PROVINCE, CITY]);
    expect(ancestorsOfCode(VILLAGE)).toEqual([PROVINCE, CITY, COUNTY, TOWN]);
  });

  it('gives the lineage with the code itself, cut at the deepest level asked', () => {
    expect(lineageOfCode(VILLAGE)).toEqual([PROVINCE, CITY, COUNTY, TOWN, VILLAGE]);
    expect(lineageOfCode(VILLAGE, 'county')).toEqual([PROVINCE, CITY, COUNTY]);
    expect(lineageOfCode(CITY, 'town')).toEqual([PROVINCE, CITY]);
    expect(lineageOfCode(PROVINCE)).toEqual([PROVINCE]);
  });

  describe('isWithin', () => {
    it('is true for the region itself and everything inside it', () => {
      for (const code of [COUNTY, TOWN, VILLAGE]) expect(isWithin(code, COUNTY)).toBe(true);
      for (const code of [PROVINCE, CITY, COUNTY, TOWN, VILLAGE]) {
        expect(isWithin(code, PROVINCE)).toBe(true);
      }
    });

    it('is false for a wider division or a neighbour', () => {
      expect(isWithin(CITY, COUNTY)).toBe(false);
      expect(isWithin('370983000000', COUNTY)).toBe(false);
      expect(isWithin('640521000000', PROVINCE)).toBe(false);
      expect(isWithin(TOWN, '370982002000')).toBe(false);
    });

    it('takes a prefix as the region, and the empty prefix as everywhere', () => {
      expect(isWithin(VILLAGE, '3709')).toBe(true);
      expect(isWithin(VILLAGE, '6405')).toBe(false);
      expect(isWithin(VILLAGE, '')).toBe(true);
    });
  });
});

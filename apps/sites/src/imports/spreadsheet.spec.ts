import { Workbook } from 'exceljs';
import { decodeText, parseCsv, readSheet, UnreadableFileError } from './spreadsheet';
import { columnForHeader, headerKey } from './site-columns';

describe('parseCsv (RFC 4180)', () => {
  it('keeps the file line each record starts on, across quoted line breaks and blank lines', () => {
    const text = 'a,b,c\r\n"x, y","multi\nline",3\r\n\r\n"say ""hi""",,last\nend';
    expect(parseCsv(text, 100)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'multi\nline', '3'] },
      { line: 5, cells: ['say "hi"', '', 'last'] },
      { line: 6, cells: ['end'] },
    ]);
  });

  it('takes semicolons or tabs as the separator when the header uses them', () => {
    expect(parseCsv('a;b\n1;"2;3"\n', 10)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2;3'] },
    ]);
    expect(parseCsv('a\tb\r1\t2', 10)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  it('names the line of a quote that is never closed, and stops past the row limit', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5\n', 10)).toThrow(
      expect.objectContaining({ problemType: 'import-csv-unterminated-quote', line: 3 }),
    );
    expect(() => parseCsv('a\n1\n2\n3\n', 3)).toThrow(UnreadableFileError);
  });
});

describe('decodeText', () => {
  it('reads UTF-8 with and without BOM, UTF-16 with BOM, and GBK', () => {
    expect(decodeText(Buffer.from('站点,1'))).toEqual({ text: '站点,1', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('\ufeff站点'))).toEqual({
      text: '站点',
      encoding: 'utf-8 (BOM)',
    });
    expect(
      decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('站点', 'utf16le')])),
    ).toEqual({ text: '站点', encoding: 'utf-16le' });
    expect(decodeText(Buffer.from('d5beb5e3', 'hex'))).toEqual({
      text: '站点',
      encoding: 'gb18030',
    });
  });
});

describe('readSheet', () => {
  it('tells XLSX from CSV by its bytes and refuses legacy .xls and empty files', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('empty');
    workbook.addWorksheet('data').addRow(['name', 42, new Date(Date.UTC(2024, 0, 5))]);
    const sheet = await readSheet(Buffer.from(await workbook.xlsx.writeBuffer()), 10);
    expect(sheet).toEqual({
      format: 'xlsx',
      rows: [{ line: 1, cells: ['name', '42', '2024-01-05'] }],
    });
    await expect(readSheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 10)).rejects.toMatchObject({
      status: 422,
      problemType: 'import-legacy-xls',
    });
    await expect(readSheet(Buffer.alloc(0), 10)).rejects.toMatchObject({
      problemType: 'import-file-empty',
    });
  });
});

describe('import headers', () => {
  it('match field names and the Chinese headers, ignoring case, spaces, * and notes', () => {
    expect(columnForHeader('站点名称')?.field).toBe('name');
    expect(columnForHeader(' 日处理能力（件/日）')?.field).toBe('dailyCapacity');
    expect(columnForHeader('*区划代码')?.field).toBe('divisionCode');
    expect(columnForHeader('DivisionCode')?.field).toBe('divisionCode');
    expect(columnForHeader('负责人')).toBeUndefined();
    expect(headerKey('纬度 (WGS-84)')).toBe('纬度');
  });
});

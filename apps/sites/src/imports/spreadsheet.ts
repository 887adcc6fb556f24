import { Workbook, type CellValue } from 'exceljs';

/** One row of a file as text cells, with the line (CSV) or row number (XLSX) a person sees. */
export interface SheetRow {
  line: number;
  /** 0-based by column; missing trailing cells are absent. */
  cells: string[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  /** How the CSV text was decoded (utf-8, utf-8 with BOM, gb18030, utf-16le …). */
  encoding?: string;
  /** Rows that are not blank, in file order. */
  rows: SheetRow[];
}

/** Why a file cannot be read at all (not which rows are wrong): 4xx with this text. */
export class UnreadableFileError extends Error {
  constructor(
    readonly status: 400 | 413 | 422,
    readonly problemType: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const OLE2_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/**
 * Reads a CSV or XLSX file into text rows. The format is told by the bytes (an XLSX workbook is a
 * zip archive), not by the name or content type, which are often wrong.
 * `maxRows` bounds the non-blank rows read (header included); more stops the read.
 */
export async function readSheet(bytes: Buffer, maxRows: number): Promise<Sheet> {
  if (bytes.length === 0) {
    throw new UnreadableFileError(
      422,
      'import-file-empty',
      'The file is empty: send a CSV or XLSX file whose first row names the columns.',
    );
  }
  if (startsWith(bytes, ZIP_SIGNATURE)) return readXlsx(bytes, maxRows);
  if (startsWith(bytes, OLE2_SIGNATURE)) {
    throw new UnreadableFileError(
      422,
      'import-legacy-xls',
      'This is a legacy Excel 97–2003 workbook (.xls); save it as Excel Workbook (.xlsx) or CSV UTF-8 and send it again.',
    );
  }
  const { text, encoding } = decodeText(bytes);
  return { format: 'csv', encoding, rows: parseCsv(text, maxRows) };
}

/**
 * UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), and otherwise GB18030,
 * the superset of GBK that Chinese Excel writes for "CSV (逗号分隔)". Text that is valid UTF-8 is
 * taken as UTF-8: GBK-encoded Chinese is almost never valid UTF-8.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return { text: decodeStrict('utf-8', bytes.subarray(3)), encoding: 'utf-8 (BOM)' };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: decodeStrict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (startsWith(bytes, [0xfe, 0xff])) {
    return { text: decodeStrict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  }
  if (bytes.includes(0)) {
    // The upload itself is a well-formed multipart file; its content is what is refused.
    throw new UnreadableFileError(
      422,
      'import-not-text',
      'The file is neither an XLSX workbook nor CSV text (it contains binary data); send CSV (UTF-8 or GBK) or .xlsx.',
    );
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return {
        text: new TextDecoder('gb18030', { fatal: true }).decode(bytes),
        encoding: 'gb18030',
      };
    } catch {
      throw new UnreadableFileError(
        422,
        'import-encoding-unsupported',
        'The CSV text is neither UTF-8 nor GBK/GB18030; save it as "CSV UTF-8 (逗号分隔)" and send it again.',
      );
    }
  }
}

function decodeStrict(encoding: string, bytes: Buffer): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableFileError(
      422,
      'import-encoding-unsupported',
      `The file starts with a ${encoding} byte-order mark but is not valid ${encoding}; save it as "CSV UTF-8 (逗号分隔)" and send it again.`,
    );
  }
}

/** The separator of the header line: comma, or a semicolon or tab when those dominate. */
function detectDelimiter(text: string): string {
  const end = text.search(/\r\n|\n|\r/);
  const header = end === -1 ? text : text.slice(0, end);
  const unquoted = header.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best[1] > 0 ? best[0] : ',';
}

/**
 * RFC 4180 CSV: quoted fields may hold separators, doubled quotes and line breaks; CRLF, LF or CR
 * end records. Each record keeps the file line it starts on. Blank records are skipped.
 */
export function parseCsv(text: string, maxRows: number): SheetRow[] {
  const delimiter = detectDelimiter(text);
  const rows: SheetRow[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let quoteLine = 0;
  let i = 0;

  const endRecord = (): void => {
    cells.push(cell);
    if (cells.some((value) => value.trim() !== '')) {
      if (rows.length >= maxRows) throw tooManyRows(maxRows);
      rows.push({ line: recordLine, cells });
    }
    cells = [];
    cell = '';
  };

  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      if (char === '\r' || char === '\n') {
        line += 1;
        if (char === '\r' && text[i + 1] === '\n') {
          cell += '\r\n';
          i += 2;
          continue;
        }
      }
      cell += char;
      i += 1;
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are dropped).
      quoted = true;
      quoteLine = line;
      cell = '';
      i += 1;
      continue;
    }
    if (char === delimiter) {
      cells.push(cell);
      cell = '';
      i += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    cell += char;
    i += 1;
  }
  if (quoted) {
    throw new UnreadableFileError(
      422,
      'import-csv-unterminated-quote',
      `Line ${quoteLine} opens a quoted cell (") that is never closed; close the quote or remove it.`,
      quoteLine,
    );
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return rows;
}

function tooManyRows(maxRows: number): UnreadableFileError {
  return new UnreadableFileError(
    422,
    'import-too-many-rows',
    `The file has more than ${maxRows - 1} data rows; split it into files of at most ${maxRows - 1} rows each.`,
  );
}

async function readXlsx(bytes: Buffer, maxRows: number): Promise<Sheet> {
  const workbook = new Workbook();
  try {
    // exceljs declares the older, non-generic Buffer type.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    throw new UnreadableFileError(
      422,
      'import-xlsx-unreadable',
      `The file looks like an XLSX workbook but cannot be read (${error instanceof Error ? error.message : String(error)}); open it in Excel or WPS, save it as .xlsx again, or send CSV.`,
    );
  }
  // The first worksheet with content: a workbook may open with an empty or hidden sheet.
  for (const worksheet of workbook.worksheets) {
    if (worksheet.actualRowCount === 0) continue;
    if (worksheet.actualRowCount > maxRows) throw tooManyRows(maxRows);
    const rows: SheetRow[] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        cells[column - 1] = cellText(cell.value);
      });
      const dense = Array.from(cells, (value) => value ?? '');
      if (dense.some((value) => value.trim() !== '')) rows.push({ line: rowNumber, cells: dense });
    });
    return { format: 'xlsx', rows };
  }
  return { format: 'xlsx', rows: [] };
}

/** What a person sees in the cell, as text; dates as YYYY-MM-DD. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Excel stores the wall-clock date; exceljs hands it over as that instant in UTC.
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result);
  if ('formula' in value || 'sharedFormula' in value) return '';
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : '';
  if ('error' in value) return value.error;
  return '';
}

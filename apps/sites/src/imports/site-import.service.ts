import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { isWithinRegion, type Principal } from '@ecomlog/auth';
import { flattenValidationErrors } from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { KnownEnterprise } from '../read-models/known-enterprise.entity';
import { CreateSiteDto } from '../sites/dto/create-site.dto';
import { SiteRowsRejectedError, SitesService, type SiteRowProblem } from '../sites/sites.service';
import { columnForHeader, describeColumns, SITE_COLUMNS, type SiteColumn } from './site-columns';
import { readSheet, UnreadableFileError, type Sheet, type SheetRow } from './spreadsheet';

export const IMPORT_MAX_ROWS = 5000;
export const IMPORT_MODES = ['all-or-nothing', 'valid-rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/**
 * One problem of the file, where a person finds it: `line` is the file line (CSV; the header is
 * line 1) or the row number (XLSX), `column` the header as written in the file (null when the
 * field has no column). `path`/`message` repeat it in the platform's validation-error shape.
 */
export interface ImportProblem {
  line: number;
  column: string | null;
  field: string | null;
  reason: string;
  path: string;
  message: string;
}

export interface ImportedSite {
  line: number;
  id: string;
  name: string;
}

export interface ImportReport {
  mode: ImportMode;
  dryRun: boolean;
  format: Sheet['format'];
  /** How a CSV was decoded. */
  encoding?: string;
  /** Data rows in the file (the header and blank lines not counted). */
  rows: number;
  /** Rows without any problem. */
  valid: number;
  /** Rows with at least one problem (not imported). */
  rejected: number;
  /** Sites created (0 on a dry run). */
  imported: number;
  sites: ImportedSite[];
  errors: ImportProblem[];
}

interface HeaderColumn {
  index: number;
  text: string;
  column: SiteColumn;
}

interface ParsedRow {
  line: number;
  plain: Record<string, unknown>;
  /** Enterprise references (credit code or name) to resolve, by field. */
  operatorReference?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const LIST_SEPARATORS = /[、,，;；/\n]+/;
const CARRIER_SUFFIXES = /(快递|速递|速运|物流|快运)$/;

/**
 * Bulk registration of sites from the CSV/XLSX lists officials keep. The whole file is checked
 * first — columns, cell formats, CreateSiteDto rules, region, duplicates within the file and the
 * read-model rules of SitesService.validateRows — and every problem is reported with its line and
 * column. Then either nothing is written (any problem, mode all-or-nothing) or the valid rows are
 * registered with SitesService.createMany in one transaction.
 */
@Injectable()
export class SiteImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sites: SitesService,
  ) {}

  async import(
    bytes: Buffer,
    options: { mode: ImportMode; dryRun: boolean },
    actor: Principal,
  ): Promise<ImportReport> {
    const sheet = await this.read(bytes);
    const { headerRow, dataRows } = splitHeader(sheet.rows);
    const columns = resolveHeader(headerRow, dataRows);
    if (dataRows.length === 0) {
      throw new ProblemException(
        422,
        'import-no-rows',
        'No sites in the file',
        `The header (line ${headerRow.line}) is fine, but no rows of sites follow it.`,
      );
    }
    if (dataRows.length > IMPORT_MAX_ROWS) throw tooManyRows();

    const problems = new ProblemList(columns);
    const parsed = dataRows.map((row) => parseRow(row, columns, problems));
    await this.resolveOperators(parsed, problems);

    const candidates: { row: ParsedRow; dto: CreateSiteDto }[] = [];
    const seen = new Map<string, number>();
    for (const row of parsed) {
      const dto = plainToInstance(CreateSiteDto, row.plain);
      const errors = await validate(dto, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
      });
      for (const error of flattenValidationErrors(errors)) {
        problems.add(row.line, error.path, error.message);
      }
      if (typeof dto.divisionCode === 'string' && !isWithinRegion(actor, dto.divisionCode)) {
        problems.add(
          row.line,
          'divisionCode',
          `division ${dto.divisionCode} is outside your region (${actor.regionPrefix}); only officials of that region may register its sites`,
        );
      }
      if (typeof dto.name === 'string') {
        const key = `${String(dto.divisionCode)}|${String(dto.kind)}|${dto.name.trim()}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, row.line);
        else {
          problems.add(
            row.line,
            'name',
            `the same site (name, kind and division) as line ${first}; a site is registered once`,
          );
        }
      }
      if (!problems.hasLine(row.line)) candidates.push({ row, dto });
    }

    // Read-model rules (division level, operator, carriers …) on the rows that passed so far.
    if (candidates.length > 0) {
      const more = await this.sites.validateRows(
        candidates.map((c) => c.dto),
        actor,
      );
      problems.addRowProblems(
        more,
        candidates.map((c) => c.row.line),
      );
    }

    const valid = candidates.filter((c) => !problems.hasLine(c.row.line));
    const report: ImportReport = {
      mode: options.mode,
      dryRun: options.dryRun,
      format: sheet.format,
      ...(sheet.encoding ? { encoding: sheet.encoding } : {}),
      rows: dataRows.length,
      valid: valid.length,
      rejected: dataRows.length - valid.length,
      imported: 0,
      sites: [],
      errors: problems.sorted(),
    };
    if (report.errors.length > 0 && (options.mode === 'all-or-nothing' || valid.length === 0)) {
      throw importRejected(report, options.mode);
    }
    if (options.dryRun) return report;

    try {
      const created = await this.sites.createMany(
        actor,
        valid.map((c) => c.dto),
      );
      report.imported = created.length;
      report.sites = created.map((site, i) => ({
        line: valid[i].row.line,
        id: site.id,
        name: site.name,
      }));
      return report;
    } catch (error) {
      // The read models moved between the check and the write: nothing was written.
      if (!(error instanceof SiteRowsRejectedError)) throw error;
      problems.addRowProblems(
        error.problems,
        valid.map((c) => c.row.line),
      );
      const lines = new Set(problems.sorted().map((p) => p.line));
      throw importRejected(
        {
          ...report,
          valid: dataRows.length - lines.size,
          rejected: lines.size,
          errors: problems.sorted(),
        },
        'all-or-nothing',
      );
    }
  }

  private async read(bytes: Buffer): Promise<Sheet> {
    try {
      // A few rows more than the limit leave room for the header and title rows above it.
      return await readSheet(bytes, IMPORT_MAX_ROWS + 10);
    } catch (error) {
      if (error instanceof UnreadableFileError) {
        if (error.problemType === 'import-too-many-rows') throw tooManyRows();
        if (error.problemType === 'import-file-empty') throw emptyFile();
        throw new ProblemException(
          error.status,
          error.problemType,
          'File not readable',
          error.message,
          error.line === undefined ? {} : { line: error.line },
        );
      }
      throw error;
    }
  }

  /** Credit codes and names in the operator column become enterprise ids (read model only). */
  private async resolveOperators(rows: ParsedRow[], problems: ProblemList): Promise<void> {
    const references = [
      ...new Set(rows.flatMap((row) => (row.operatorReference ? [row.operatorReference] : []))),
    ];
    if (references.length === 0) return;
    const codes = references.filter((ref) => CREDIT_CODE.test(ref));
    const names = references.filter((ref) => !CREDIT_CODE.test(ref));
    const repository = this.dataSource.getRepository(KnownEnterprise);
    const found = [
      ...(codes.length ? await repository.findBy({ creditCode: In(codes) }) : []),
      ...(names.length ? await repository.findBy({ name: In(names) }) : []),
    ];
    for (const row of rows) {
      const reference = row.operatorReference;
      if (!reference) continue;
      const matches = CREDIT_CODE.test(reference)
        ? found.filter((e) => e.creditCode === reference)
        : found.filter((e) => e.name === reference);
      const ids = [...new Set(matches.map((e) => e.id))];
      if (ids.length === 1) {
        row.plain.operatorEnterpriseId = ids[0];
      } else {
        row.plain.operatorEnterpriseId = undefined;
        problems.add(
          row.line,
          'operatorEnterpriseId',
          ids.length === 0
            ? CREDIT_CODE.test(reference)
              ? `no enterprise with credit code ${reference} is registered (registry); register it first`
              : `no enterprise named "${reference}" is registered (registry); write its exact registered name or its 18-character credit code`
            : `${ids.length} enterprises are named "${reference}"; write the credit code instead`,
        );
      }
    }
  }
}

/**
 * The header is the first non-blank row, after any title rows above it (a single cell that names
 * no column, e.g. "XX县村级电商服务点名单").
 */
function splitHeader(rows: SheetRow[]): { headerRow: SheetRow; dataRows: SheetRow[] } {
  let start = 0;
  while (start < rows.length - 1 && start < 5) {
    const filled = rows[start].cells.filter((cell) => cell.trim() !== '');
    if (filled.length !== 1 || columnForHeader(filled[0]) !== undefined) break;
    start += 1;
  }
  const headerRow = rows.at(start);
  if (!headerRow) throw emptyFile();
  return { headerRow, dataRows: rows.slice(start + 1) };
}

/** Every header problem at once: unknown, repeated, missing required and unnamed columns. */
function resolveHeader(headerRow: SheetRow, dataRows: SheetRow[]): HeaderColumn[] {
  const columns: HeaderColumn[] = [];
  const problems: ImportProblem[] = [];
  const line = headerRow.line;
  const width = Math.max(headerRow.cells.length, ...dataRows.map((row) => row.cells.length));
  for (let index = 0; index < width; index += 1) {
    const text = (headerRow.cells[index] ?? '').trim();
    if (text === '') {
      const used = dataRows.find((row) => (row.cells[index] ?? '').trim() !== '');
      if (used) {
        problems.push(
          problem(
            line,
            `column ${columnLetter(index)}`,
            null,
            `column ${columnLetter(index)} has values (e.g. line ${used.line}) but no header; name it or delete it`,
          ),
        );
      }
      continue;
    }
    const column = columnForHeader(text);
    if (!column) {
      problems.push(
        problem(line, text, null, `unknown column "${text}"; the columns are ${describeColumns()}`),
      );
      continue;
    }
    const twin = columns.find((c) => c.column.field === column.field);
    if (twin) {
      problems.push(
        problem(
          line,
          text,
          column.field,
          `"${text}" is the same column (${column.field}) as "${twin.text}"; keep one of them`,
        ),
      );
      continue;
    }
    columns.push({ index, text, column });
  }
  for (const column of SITE_COLUMNS) {
    if (column.required && !columns.some((c) => c.column.field === column.field)) {
      problems.push(
        problem(
          line,
          column.chinese,
          column.field,
          `required column missing: add a column "${column.chinese}" (or "${column.field}")`,
        ),
      );
    }
  }
  if (problems.length > 0) {
    throw new ProblemException(
      422,
      'import-header-invalid',
      'Columns not understood',
      `The header (line ${line}) has ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems
        .map((p) => p.reason)
        .join('; ')}. Nothing was imported.`,
      { errors: problems },
    );
  }
  return columns;
}

/** Turns one row's cells into the plain object CreateSiteDto is built from. */
function parseRow(row: SheetRow, columns: HeaderColumn[], problems: ProblemList): ParsedRow {
  const parsed: ParsedRow = { line: row.line, plain: {} };
  const width = Math.max(...columns.map((c) => c.index)) + 1;
  const stray = row.cells.findIndex((cell, index) => index >= width && cell.trim() !== '');
  if (stray !== -1) {
    problems.add(
      row.line,
      null,
      `a value beyond the last named column (column ${columnLetter(stray)}: "${row.cells[stray].trim()}"); remove it or give the column a header`,
    );
  }
  for (const { index, column } of columns) {
    const text = (row.cells[index] ?? '').trim();
    if (text === '') continue;
    const converted = convertCell(text, column);
    if ('reason' in converted) {
      problems.add(row.line, column.field, converted.reason);
      parsed.plain[column.field] = text;
    } else if (column.type === 'enterprise' && typeof converted.value === 'string') {
      if (UUID.test(converted.value)) parsed.plain[column.field] = converted.value.toLowerCase();
      else parsed.operatorReference = converted.value;
    } else {
      parsed.plain[column.field] = converted.value;
    }
  }
  return parsed;
}

type Converted = { value: unknown } | { reason: string };

function convertCell(text: string, column: SiteColumn): Converted {
  const normal = text.normalize('NFKC').trim();
  switch (column.type) {
    case 'text': {
      if (column.field === 'divisionCode' && /^\d(\.\d+)?e\+?\d+$/i.test(normal)) {
        return {
          reason: `"${text}" is a division code that the spreadsheet turned into a number; format the column as text and type the 12 digits`,
        };
      }
      if (!column.values) return { value: text };
      const code = codeOf(normal, column.values);
      return code === null ? { reason: unknownWord(text, column) } : { value: code };
    }
    case 'enterprise':
      return { value: normal.toUpperCase().length === 18 ? normal.toUpperCase() : normal };
    case 'int':
    case 'number': {
      const compact = normal.replace(/[,\s]/g, '');
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(compact)) {
        return { reason: `"${text}" is not a number; write digits only, e.g. 300` };
      }
      return { value: Number(compact) };
    }
    case 'boolean': {
      const lower = normal.toLowerCase();
      const word = column.values?.[normal] ?? lower;
      if (['true', 'yes', 'y', '1'].includes(word)) return { value: true };
      if (['false', 'no', 'n', '0'].includes(word)) return { value: false };
      return { reason: `"${text}" is not yes or no; write 是 or 否 (true or false)` };
    }
    case 'day':
      return { value: calendarDay(normal) };
    case 'list': {
      const items = normal
        .split(LIST_SEPARATORS)
        .map((item) => item.trim())
        .filter((item) => item !== '');
      const values = column.values ?? {};
      const carriers = column.field === 'carriers';
      const codes: string[] = [];
      for (const item of items) {
        const code = carriers
          ? (values[item] ?? values[item.replace(CARRIER_SUFFIXES, '')] ?? asciiUpper(item))
          : codeOf(item, values);
        if (code === null) return { reason: unknownWord(item, column) };
        codes.push(code);
      }
      return { value: codes };
    }
  }
}

const ASCII = /^[\x20-\x7e]+$/;

/**
 * The API code for a word officials write; codes themselves pass lower-cased (the DTO judges
 * them); null for a word in Chinese that the column does not know.
 */
function codeOf(text: string, values: Readonly<Record<string, string>>): string | null {
  const mapped = values[text];
  if (mapped) return mapped;
  return ASCII.test(text) ? text.toLowerCase() : null;
}

function asciiUpper(text: string): string | null {
  return ASCII.test(text) ? text.toUpperCase() : null;
}

/** "unknown 站点类型 "…"; write one of …": the words the column knows, one per code. */
function unknownWord(text: string, column: SiteColumn): string {
  const firstWordPerCode = new Map<string, string>();
  for (const [word, code] of Object.entries(column.values ?? {})) {
    if (!firstWordPerCode.has(code)) firstWordPerCode.set(code, word);
  }
  const words = [...firstWordPerCode.values()].join('、');
  const codes = column.field === 'carriers' ? 'a carrier code such as ZTO' : 'its code';
  return `"${text}" is not a known ${column.chinese} (${column.field}); write one of ${words}, or ${codes}`;
}

/** 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 and 20240301 → 2024-03-01; anything else as is. */
function calendarDay(text: string): string {
  const match =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return text;
  return `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
}

/** A, B, … Z, AA, AB …: the spreadsheet's name of a 0-based column index. */
function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

function problem(
  line: number,
  column: string | null,
  field: string | null,
  reason: string,
): ImportProblem {
  return {
    line,
    column,
    field,
    reason,
    path: `line ${line}${column === null ? '' : `, ${column}`}`,
    message: reason,
  };
}

/** Problems of the data rows, one per line and field (the first, most specific, wins). */
class ProblemList {
  private readonly byKey = new Map<string, ImportProblem>();
  private readonly lines = new Set<number>();
  private readonly headerByField: Map<string, HeaderColumn>;

  constructor(private readonly columns: HeaderColumn[]) {
    this.headerByField = new Map(columns.map((c) => [c.column.field, c]));
  }

  /** `path` is a CreateSiteDto field path such as `carriers[1]` (null: the row as a whole). */
  add(line: number, path: string | null, reason: string): void {
    const field = path === null || path === '' ? null : path.replace(/[.[].*$/, '');
    const key = `${line}|${field ?? ''}`;
    this.lines.add(line);
    if (this.byKey.has(key)) return;
    const header = field === null ? undefined : this.headerByField.get(field);
    this.byKey.set(key, problem(line, header?.text ?? null, path || null, reason));
  }

  addRowProblems(rowProblems: SiteRowProblem[], lineOfIndex: number[]): void {
    for (const rowProblem of rowProblems) {
      const line = lineOfIndex.at(rowProblem.index);
      if (line !== undefined) this.add(line, rowProblem.field, rowProblem.reason);
    }
  }

  hasLine(line: number): boolean {
    return this.lines.has(line);
  }

  /** By line, then in the order of the file's columns. */
  sorted(): ImportProblem[] {
    const order = (p: ImportProblem): number => {
      const column = this.columns.find((c) => c.text === p.column);
      return column ? column.index : -1;
    };
    return [...this.byKey.values()].sort((a, b) => a.line - b.line || order(a) - order(b));
  }
}

function emptyFile(): ProblemException {
  return new ProblemException(
    422,
    'import-file-empty',
    'Empty file',
    `The file has no rows. Its first row names the columns (${describeColumns()}); each following row is one site.`,
  );
}

function tooManyRows(): ProblemException {
  return new ProblemException(
    422,
    'import-too-many-rows',
    'Too many rows',
    `The file has more than ${IMPORT_MAX_ROWS} rows of sites; split it into files of at most ${IMPORT_MAX_ROWS} rows each.`,
  );
}

function importRejected(report: ImportReport, mode: ImportMode): ProblemException {
  const first = report.errors[0];
  const where = first ? ` (first: ${first.path}: ${first.reason})` : '';
  const advice =
    mode === 'all-or-nothing' && report.valid > 0
      ? ` Fix them and send the file again, or send mode=valid-rows to import the ${report.valid} valid row${report.valid === 1 ? '' : 's'}.`
      : ' Fix them and send the file again.';
  return new ProblemException(
    422,
    'import-rejected',
    'Rows with problems',
    `${report.rejected} of ${report.rows} rows have problems${where}; nothing was imported.${advice}`,
    {
      rows: report.rows,
      valid: report.valid,
      rejected: report.rejected,
      imported: 0,
      errors: report.errors,
    },
  );
}

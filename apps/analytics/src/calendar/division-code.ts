/**
 * Roll-up by code prefix: a division's facts are every fact whose 12-digit code starts with the
 * division's prefix (province 2 digits, city 4, county 6, town 9, village 12).
 */
export const LEVEL_PREFIX_LENGTH = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
} as const;
export type DivisionLevel = keyof typeof LEVEL_PREFIX_LENGTH;
export const DIVISION_LEVELS = Object.keys(LEVEL_PREFIX_LENGTH) as DivisionLevel[];

export const DIVISION_CODE = /^\d{12}$/;

/** The level a code's shape says (trailing zero groups), independent of any read model. */
export function levelOfCode(code: string): DivisionLevel {
  if (/^\d{2}0{10}$/.test(code)) return 'province';
  if (/^\d{4}0{8}$/.test(code)) return 'city';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}000$/.test(code)) return 'town';
  return 'village';
}

export function prefixOf(code: string): string {
  return code.slice(0, LEVEL_PREFIX_LENGTH[levelOfCode(code)]);
}

/** The full 12-digit code of a prefix. */
export function codeOfPrefix(prefix: string): string {
  return prefix.padEnd(12, '0');
}

/** The code itself and its ancestors' codes, down to `deepest` level, coarsest first. */
export function ancestorCodes(code: string, deepest: DivisionLevel = 'village'): string[] {
  const own = LEVEL_PREFIX_LENGTH[levelOfCode(code)];
  const limit = Math.min(own, LEVEL_PREFIX_LENGTH[deepest]);
  return DIVISION_LEVELS.map((level) => LEVEL_PREFIX_LENGTH[level])
    .filter((length) => length <= limit)
    .map((length) => codeOfPrefix(code.slice(0, length)))
    .filter((candidate, i, all) => all.indexOf(candidate) === i);
}

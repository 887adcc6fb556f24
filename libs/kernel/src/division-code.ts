/**
 * Chinese statistical division codes (统计用区划代码): 12 digits, zero-padded. The significant
 * digits say the level and the ancestry: province 2 (37), city 4 (3709), county 6 (370982), town 9
 * (370982101), village 12. Every division inside another has a code starting with the outer
 * one's prefix, so "inside" is a prefix match.
 */

export const DIVISION_LEVELS = ['province', 'city', 'county', 'town', 'village'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** Significant digits of a code at each level (the rest is zero padding). */
export const LEVEL_DIGITS: Readonly<Record<DivisionLevel, number>> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};

/** A full division code: exactly 12 digits. */
export const DIVISION_CODE_PATTERN = /^\d{12}$/;

export function isDivisionCode(value: unknown): value is string {
  return typeof value === 'string' && DIVISION_CODE_PATTERN.test(value);
}

/** The level a 12-digit code's shape says (its trailing zero groups). */
export function levelOfCode(code: string): DivisionLevel {
  for (const level of DIVISION_LEVELS) {
    if (/^0*$/.test(code.slice(LEVEL_DIGITS[level]))) return level;
  }
  return 'village';
}

/**
 * The significant digits of a division: every division inside it starts with them
 * (370982000000 → 370982, 370982101000 → 370982101). A string shorter than 12 digits is taken
 * as a prefix already and given back as it is ('' = everything).
 */
export function prefixOfCode(code: string): string {
  if (code.length < 12) return code;
  return code.slice(0, LEVEL_DIGITS[levelOfCode(code)]);
}

/** The prefix of a code at a level: the code's province (2), city (4), … digits. */
export function prefixAtLevel(code: string, level: DivisionLevel): string {
  return code.slice(0, LEVEL_DIGITS[level]);
}

/** The full 12-digit code of a prefix (3709 → 370900000000). */
export function codeOfPrefix(prefix: string): string {
  return prefix.padEnd(12, '0');
}

/**
 * The greatest 12-digit code under a prefix (3709 → 370999999999): with `codeOfPrefix`, the
 * closed range of codes a prefix covers, for a range scan ('' = every code).
 */
export function lastCodeOfPrefix(prefix: string): string {
  return prefix.padEnd(12, '9');
}

/**
 * Village committees numbered 200–399 (the last three digits of a village's code) are
 * administrative villages (村民委员会); 001–199 are residents' committees (居民委员会).
 */
export function isAdministrativeVillage(code: string): boolean {
  if (levelOfCode(code) !== 'village') return false;
  const suffix = Number(code.slice(9));
  return suffix >= 200 && suffix <= 399;
}

/** The code of the division directly above (null for a province). */
export function parentOfCode(code: string): string | null {
  const level = levelOfCode(code);
  if (level === 'province') return null;
  const parentLevel = DIVISION_LEVELS[DIVISION_LEVELS.indexOf(level) - 1];
  return codeOfPrefix(prefixAtLevel(code, parentLevel));
}

/** The codes of a division's ancestors, province first, parent last. */
export function ancestorsOfCode(code: string): string[] {
  const ancestors: string[] = [];
  for (let parent = parentOfCode(code); parent !== null; parent = parentOfCode(parent)) {
    ancestors.unshift(parent);
  }
  return ancestors;
}

/**
 * The code itself and its ancestors' codes, coarsest first, down to the `deepest` level (a
 * village with deepest 'county' gives its province, city and county). A level a code skips (a
 * town directly under a city, as in 东莞) appears once.
 */
export function lineageOfCode(code: string, deepest: DivisionLevel = 'village'): string[] {
  const limit = Math.min(LEVEL_DIGITS[levelOfCode(code)], LEVEL_DIGITS[deepest]);
  return DIVISION_LEVELS.map((level) => LEVEL_DIGITS[level])
    .filter((digits) => digits <= limit)
    .map((digits) => codeOfPrefix(code.slice(0, digits)))
    .filter((candidate, i, all) => all.indexOf(candidate) === i);
}

/**
 * True when `code` lies inside `region` or is it: `region` is a 12-digit division code (its
 * prefix is matched) or a prefix already ('' = everywhere).
 */
export function isWithin(code: string, region: string): boolean {
  return code.startsWith(prefixOfCode(region));
}

import type { DivisionLevel } from '@ecomlog/contracts';

/**
 * 统计用区划代码: 2 digits province, 2 city, 2 county, 3 town, 3 village, zero-padded to 12.
 * The level and the parent follow from the code itself.
 */
export function levelOfCode(code: string): DivisionLevel {
  if (code.slice(2) === '0000000000') return 'province';
  if (code.slice(4) === '00000000') return 'city';
  if (code.slice(6) === '000000') return 'county';
  if (code.slice(9) === '000') return 'town';
  return 'village';
}

export function parentOfCode(code: string): string | null {
  switch (levelOfCode(code)) {
    case 'province':
      return null;
    case 'city':
      return code.slice(0, 2).padEnd(12, '0');
    case 'county':
      return code.slice(0, 4).padEnd(12, '0');
    case 'town':
      return code.slice(0, 6).padEnd(12, '0');
    case 'village':
      return code.slice(0, 9).padEnd(12, '0');
  }
}

/** Village committees numbered 200–399 are administrative villages (村民委员会). */
export function isAdministrativeVillage(code: string): boolean {
  if (levelOfCode(code) !== 'village') return false;
  const suffix = Number(code.slice(9));
  return suffix >= 200 && suffix <= 399;
}

/** Significant digits of a code at each level (the rest is zero padding). */
export const LEVEL_DIGITS: Record<DivisionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};

/** The significant digits of a code: every descendant's code starts with them. */
export function prefixOfCode(code: string): string {
  return code.slice(0, LEVEL_DIGITS[levelOfCode(code)]);
}

/** The codes of a division's ancestors, province first, parent last. */
export function ancestorsOfCode(code: string): string[] {
  const ancestors: string[] = [];
  for (let parent = parentOfCode(code); parent !== null; parent = parentOfCode(parent)) {
    ancestors.unshift(parent);
  }
  return ancestors;
}

import type { EntityManager } from 'typeorm';
import { ProblemException } from '@ecomlog/http';
import { prefixAtLevel } from '@ecomlog/kernel';
import { Division } from '../divisions/division.entity';

/** Enterprises register at a county or finer: towns and villages are inside a county. */
const REGISTRABLE_LEVELS = new Set(['county', 'town', 'village']);

/** The division must exist and be in use; `countyOrFiner` for an enterprise's registration. */
export async function requireDivision(
  tx: EntityManager,
  code: string,
  field: string,
  options: { countyOrFiner: boolean },
): Promise<Division> {
  const division = await tx.findOne(Division, { where: { code } });
  if (!division) {
    throw new ProblemException(
      422,
      'division-not-found',
      'Division not found',
      `${field}: there is no division ${code}; create it first with PUT /v1/divisions/${code}.`,
    );
  }
  if (division.status === 'retired') {
    const successor = division.replacedBy ? ` (merged into ${division.replacedBy})` : '';
    throw new ProblemException(
      422,
      'division-retired',
      'Division retired',
      `${field}: division ${code} ${division.name} is retired${successor}; use a division in use.`,
    );
  }
  if (options.countyOrFiner && !REGISTRABLE_LEVELS.has(division.level)) {
    throw new ProblemException(
      422,
      'division-too-coarse',
      'Division coarser than a county',
      `${field}: ${code} ${division.name} is a ${division.level}; an enterprise registers at a county, town or village, so give the code of its county or of a division inside it.`,
    );
  }
  return division;
}

/** The code prefix that every division inside this one starts with (640521000000 → 640521). */
export function regionPrefixOf(division: Pick<Division, 'code' | 'level'>): string {
  return prefixAtLevel(division.code, division.level);
}

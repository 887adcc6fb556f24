import type { DivisionChangedV1 } from '@ecomlog/contracts';
import type { Division } from './division.entity';

/** A division as the API answers it and as DivisionChanged publishes it. */
export type DivisionView = DivisionChangedV1;

export function toView(division: Division): DivisionView {
  return {
    code: division.code,
    name: division.name,
    level: division.level,
    parentCode: division.parentCode,
    administrativeVillage: division.administrativeVillage,
    status: division.status,
    replacedBy: division.replacedBy,
    version: division.version,
    changedAt: division.changedAt.toISOString(),
  };
}

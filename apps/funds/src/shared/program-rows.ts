import type { EntityManager } from 'typeorm';
import { isWithinRegion, type Principal } from '@ecomlog/auth';
import { fen } from './money';
import { notFound } from './problems';

export interface ProgramRow {
  id: string;
  name: string;
  year: number;
  divisionCode: string;
  status: string;
  version: number;
}

/** Allocated, committed and paid out of one program, from its journal entries. */
export interface ProgramFigures {
  allocatedFen: number;
  committedFen: number;
  /** Tranches paid plus subsidies paid (资金拨付). */
  disbursedFen: number;
  subsidiesPaidFen: number;
  /** What can still be committed to contracts or subsidies: allocated − committed − subsidies paid. */
  availableFen: number;
}

/** The select list that reads a `program` row as a ProgramRow. */
export const PROGRAM_COLUMNS = 'id, name, year, division_code AS "divisionCode", status, version';

/**
 * Reads a program (locking its row for the rest of the transaction when `lock`); a program
 * outside the caller's region is answered as not found.
 */
export async function loadProgram(
  tx: EntityManager,
  id: string,
  actor: Principal | undefined,
  lock = false,
): Promise<ProgramRow> {
  const [row] = await tx.query<ProgramRow[]>(
    `SELECT ${PROGRAM_COLUMNS} FROM program WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  if (!row || (actor && !isWithinRegion(actor, row.divisionCode))) throw notFound('program', id);
  return row;
}

export async function programFigures(
  manager: EntityManager,
  programIds: string[],
): Promise<Map<string, ProgramFigures>> {
  const figures = new Map<string, ProgramFigures>(
    programIds.map((id) => [
      id,
      { allocatedFen: 0, committedFen: 0, disbursedFen: 0, subsidiesPaidFen: 0, availableFen: 0 },
    ]),
  );
  if (programIds.length === 0) return figures;
  const rows = await manager.query<{ program_id: string; kind: string; total: string }[]>(
    `SELECT program_id, kind, sum(amount_fen) AS total FROM journal_entry
     WHERE program_id = ANY($1::uuid[]) GROUP BY program_id, kind`,
    [programIds],
  );
  for (const row of rows) {
    const f = figures.get(row.program_id);
    if (!f) continue;
    const total = fen(row.total);
    if (row.kind === 'allocation') f.allocatedFen += total;
    if (row.kind === 'contract_commitment') f.committedFen += total;
    if (row.kind === 'disbursement') f.disbursedFen += total;
    if (row.kind === 'subsidy_payment') {
      f.disbursedFen += total;
      f.subsidiesPaidFen += total;
    }
  }
  for (const f of figures.values()) {
    f.availableFen = f.allocatedFen - f.committedFen - f.subsidiesPaidFen;
  }
  return figures;
}

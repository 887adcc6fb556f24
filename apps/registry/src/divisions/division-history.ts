import type { EntityManager } from 'typeorm';
import type { DivisionChange, DivisionHistory } from './division-history.entity';
import type { Division } from './division.entity';

export interface HistoryEntry {
  division: Division;
  change: DivisionChange;
  changedBy?: string | null;
  note?: string | null;
  effectiveOn?: string | null;
}

/** Appends the versions just written, in one set-based statement, inside the caller's transaction. */
export async function appendHistory(tx: EntityManager, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO division_history
       (code, version, change, name, status, replaced_by, changed_at, changed_by, note, effective_on)
     SELECT * FROM unnest($1::char(12)[], $2::int[], $3::text[], $4::text[], $5::text[],
                          $6::char(12)[], $7::timestamptz[], $8::text[], $9::text[], $10::date[])`,
    [
      entries.map((e) => e.division.code),
      entries.map((e) => e.division.version),
      entries.map((e) => e.change),
      entries.map((e) => e.division.name),
      entries.map((e) => e.division.status),
      entries.map((e) => e.division.replacedBy),
      entries.map((e) => e.division.changedAt.toISOString()),
      entries.map((e) => e.changedBy ?? null),
      entries.map((e) => e.note ?? null),
      entries.map((e) => e.effectiveOn ?? null),
    ],
  );
}

export interface DivisionHistoryView {
  code: string;
  version: number;
  change: DivisionChange;
  name: string;
  status: DivisionHistory['status'];
  replacedBy: string | null;
  changedAt: string;
  changedBy: string | null;
  note: string | null;
  effectiveOn: string | null;
}

export function toHistoryView(row: DivisionHistory): DivisionHistoryView {
  return {
    code: row.code,
    version: row.version,
    change: row.change,
    name: row.name,
    status: row.status,
    replacedBy: row.replacedBy,
    changedAt: row.changedAt.toISOString(),
    changedBy: row.changedBy,
    note: row.note,
    effectiveOn: row.effectiveOn,
  };
}

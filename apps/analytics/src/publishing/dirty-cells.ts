import type { EntityManager } from 'typeorm';

/**
 * Which family of indicators a change touches. The publisher recomputes the cells of these
 * indicators for the marked division (and its ancestors) and days.
 */
export type DirtySource =
  'orders' | 'parcels' | 'hubs' | 'coverage' | 'enterprises' | 'trainings' | 'funds' | 'targets';

export interface DirtyMark {
  source: DirtySource;
  divisionCode: string;
  /** YYYY-MM-DD (Asia/Shanghai). */
  day: string;
  /** '' for the division total, else a split member such as `enterprise:<uuid>`. */
  scope?: string;
}

/** Records, in the caller's transaction, that these cells must be recomputed and published. */
export async function markDirty(tx: EntityManager, marks: DirtyMark[]): Promise<void> {
  if (marks.length === 0) return;
  const unique = new Map(
    marks.map((m) => [`${m.source}|${m.divisionCode}|${m.day}|${m.scope ?? ''}`, m] as const),
  );
  const rows = [...unique.values()];
  await tx.query(
    `INSERT INTO dirty_cell (source, division_code, day, scope)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS t(source, division_code, day, scope)
     ORDER BY source, division_code, day, scope -- one lock order for every writer: no deadlocks
     ON CONFLICT (source, division_code, day, scope)
       DO UPDATE SET mark_seq = nextval('dirty_cell_mark_seq')`,
    [
      rows.map((r) => r.source),
      rows.map((r) => r.divisionCode),
      rows.map((r) => r.day),
      rows.map((r) => r.scope ?? ''),
    ],
  );
}

import type { EntityManager } from 'typeorm';

/**
 * Adds a batch of deltas to an aggregate table in one statement: rows with the same key are summed
 * in memory first (ON CONFLICT cannot touch a row twice), then `col = col + EXCLUDED.col`. Rows are
 * written in key order, so consumers of different partitions that touch the same cells lock them
 * in the same order and cannot deadlock.
 * Table and column names are constants of this service, never input.
 */
export async function addToAggregate(
  tx: EntityManager,
  table: string,
  keys: { name: string; type: string }[],
  measures: string[],
  rows: AggregateRow[],
): Promise<void> {
  const summed = new Map<string, AggregateRow>();
  for (const row of rows) {
    const id = JSON.stringify(row.key);
    const current = summed.get(id);
    if (current) row.values.forEach((v, i) => (current.values[i] += v));
    else summed.set(id, { key: [...row.key], values: [...row.values] });
  }
  const merged = [...summed.values()].filter((row) => row.values.some((v) => v !== 0));
  if (merged.length === 0) return;
  const columns = [...keys.map((k) => k.name), ...measures];
  const types = [...keys.map((k) => `${k.type}[]`), ...measures.map(() => 'bigint[]')];
  const parameters = [
    ...keys.map((_, i) => merged.map((row) => row.key[i])),
    ...measures.map((_, i) => merged.map((row) => row.values[i])),
  ];
  await tx.query(
    `INSERT INTO ${table} AS a (${columns.join(', ')})
     SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}`).join(', ')})
       AS t(${columns.join(', ')})
     ORDER BY ${keys.map((k) => k.name).join(', ')}
     ON CONFLICT (${keys.map((k) => k.name).join(', ')}) DO UPDATE SET
       ${measures.map((m) => `${m} = a.${m} + EXCLUDED.${m}`).join(', ')}`,
    parameters,
  );
}

/** A row of deltas for an aggregate: the key's values in key order, one delta per measure. */
export interface AggregateRow {
  key: (string | null)[];
  values: number[];
}

/** An aggregate table described once, to add deltas to (see `addToAggregate`). */
export interface Aggregate {
  readonly table: string;
  add(tx: EntityManager, rows: AggregateRow[]): Promise<void>;
}

/** An aggregate table: its key columns (name → Postgres type, in key order) and its measures. */
export function defineAggregate(
  table: string,
  keys: Readonly<Record<string, string>>,
  measures: string[],
): Aggregate {
  const keyColumns = Object.entries(keys).map(([name, type]) => ({ name, type }));
  return { table, add: (tx, rows) => addToAggregate(tx, table, keyColumns, measures, rows) };
}

/**
 * One column of a snapshot table: its Postgres type and how a payload fills it.
 *
 * `type` is the column's type as `unnest` reads it, without the array brackets of the parameter:
 * a scalar (`uuid`, `text`, `char(12)`, `int`, `boolean`, `date`, `timestamptz`,
 * `double precision`, `jsonb`) or a one-dimensional array of one (`text[]`). `jsonb` values are
 * serialised with JSON.stringify; an array column's values travel as Postgres array literals (one
 * `text` per row, cast back), because `unnest` of a two-dimensional parameter would flatten them.
 * `null` and `undefined` become SQL NULL.
 */
export interface SnapshotColumn<P> {
  readonly type: string;
  readonly from: (payload: P) => unknown;
}

/** What a read model keeps of the latest version of each thing another service publishes. */
export interface SnapshotTableDescription<P> {
  /** The table, e.g. `known_site`. */
  readonly table: string;
  /** Columns in insert order; every one but the key is replaced when a newer version arrives. */
  readonly columns: Readonly<Record<string, SnapshotColumn<P>>>;
  /** The conflict target, also what a chunk is folded by: the column(s) naming one thing. */
  readonly key: readonly string[];
  /** The column holding the producer's version (a number); defaults to `version`. */
  readonly version?: string;
  /** Columns set to now() when a newer version replaces a row (their default fills an insert). */
  readonly touchedOnUpdate?: readonly string[];
}

/**
 * A snapshot table ready to write: the fold of a chunk to the latest version per key and one
 * `INSERT … SELECT FROM unnest(…) ON CONFLICT (key) DO UPDATE … WHERE EXCLUDED.version >
 * existing.version RETURNING key` for the whole chunk. A newer version replaces the row; an equal
 * or older one changes nothing (redelivery and compaction replays are harmless).
 */
export interface SnapshotTable<P> {
  readonly table: string;
  readonly sql: string;
  /** The newest payload per key, in first-seen order; of equal versions the first one is kept. */
  latest(payloads: Iterable<P>): P[];
  /** The statement's parameters for these rows: one array per column, in column order. */
  parameters(rows: readonly P[]): unknown[][];
  /** The rows among `rows` whose keys the statement returned (inserted or replaced). */
  written(rows: readonly P[], returned: readonly Record<string, unknown>[]): P[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^[a-z][a-z0-9_ ]*(\(\d+(, *\d+)?\))?(\[\])?$/;

/**
 * Checks a description and generates its statement once (at import, so a mistake fails at start-up
 * and in unit tests, not on the first message).
 */
export function defineSnapshotTable<P>(description: SnapshotTableDescription<P>): SnapshotTable<P> {
  const { table, columns, key } = description;
  const version = description.version ?? 'version';
  const touched = description.touchedOnUpdate ?? [];
  const names = Object.keys(columns);
  const problems: string[] = [];
  for (const name of [table, ...names, ...touched]) {
    if (!IDENTIFIER.test(name)) problems.push(`"${name}" is not a lower-case SQL identifier`);
  }
  for (const name of names) {
    if (!TYPE.test(columns[name].type)) {
      problems.push(`column ${name}: "${columns[name].type}" is not a Postgres type`);
    }
  }
  if (key.length === 0) problems.push('key names no column');
  for (const name of [...key, version]) {
    if (!names.includes(name)) problems.push(`${name} is not one of the columns`);
  }
  if (key.includes(version)) problems.push(`the version column ${version} cannot be in the key`);
  for (const name of touched) {
    if (names.includes(name)) problems.push(`${name} is both a column and touched on update`);
  }
  if (problems.length > 0) {
    throw new Error(`Snapshot table ${table}: ${problems.join('; ')}`);
  }

  const isArray = (name: string) => columns[name].type.endsWith('[]');
  const unnestTypes = names.map((name, i) =>
    isArray(name) ? `$${i + 1}::text[]` : `$${i + 1}::${columns[name].type}[]`,
  );
  const selected = names.map((name) => (isArray(name) ? `${name}::${columns[name].type}` : name));
  const updated = [
    ...names.filter((name) => !key.includes(name)).map((name) => `${name} = EXCLUDED.${name}`),
    ...touched.map((name) => `${name} = now()`),
  ];
  const sql = [
    `INSERT INTO ${table} AS existing (${names.join(', ')})`,
    `SELECT ${selected.join(', ')}`,
    `FROM unnest(${unnestTypes.join(', ')}) AS incoming(${names.join(', ')})`,
    `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updated.join(', ')}`,
    `WHERE EXCLUDED.${version} > existing.${version}`,
    `RETURNING ${key.join(', ')}`,
  ].join('\n');

  // Postgres compares uuids regardless of case: so does the fold, or two spellings of one id
  // would reach ON CONFLICT twice in one statement (which Postgres refuses).
  const keyValue = (name: string, value: unknown) => {
    const text = String(value);
    return columns[name].type === 'uuid' ? text.toLowerCase() : text;
  };
  const keyOf = (payload: P) =>
    JSON.stringify(key.map((name) => keyValue(name, columns[name].from(payload))));
  const returnedKeyOf = (row: Record<string, unknown>) =>
    JSON.stringify(key.map((name) => keyValue(name, row[name])));
  const versionOf = (payload: P) => Number(columns[version].from(payload));

  return {
    table,
    sql,
    latest(payloads) {
      const latest = new Map<string, P>();
      for (const payload of payloads) {
        const id = keyOf(payload);
        const current = latest.get(id);
        if (!current || versionOf(payload) > versionOf(current)) latest.set(id, payload);
      }
      return [...latest.values()];
    },
    parameters(rows) {
      return names.map((name) => {
        const { type, from } = columns[name];
        return rows.map((row) => parameterValue(type, from(row)));
      });
    },
    written(rows, returned) {
      const keys = new Set(returned.map(returnedKeyOf));
      return rows.filter((row) => keys.has(keyOf(row)));
    },
  };
}

function parameterValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type.endsWith('[]')) return arrayLiteral(value as readonly unknown[]);
  if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
  return value;
}

/** `{"a","b \"c\""}`: a Postgres array literal, every element quoted so commas and braces pass. */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

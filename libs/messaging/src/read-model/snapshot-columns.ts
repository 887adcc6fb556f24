import type { SnapshotColumn } from './snapshot-table';

/** `registeredOn` → `registered_on`: a payload field's name as a column name. */
type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/** The column names a payload's fields give, in snake_case. */
export type FieldColumnName<P> = { [F in keyof P & string]: SnakeCase<F> }[keyof P & string];

/** Snapshot columns by name, each filled from a payload. */
export type SnapshotColumns<P, N extends string = string> = Readonly<Record<N, SnapshotColumn<P>>>;

/** `registered_on` → `registeredOn`: the payload field a snake_case column is filled from. */
export function fieldOf(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Columns named after payload fields, each filled with its field as it is: `{ registered_on:
 * 'date' }` is `registered_on date` holding `payload.registeredOn`. Only a field's snake_case name
 * compiles; a column computed from the payload is written out as a `SnapshotColumn` beside these.
 */
export function fieldColumns<P>() {
  return <const N extends FieldColumnName<P>>(types: {
    readonly [C in N]: string;
  }): SnapshotColumns<P, N> => {
    const columns = {} as Record<N, SnapshotColumn<P>>;
    for (const name of Object.keys(types) as N[]) {
      const field = fieldOf(name) as keyof P;
      columns[name] = { type: types[name], from: (payload) => payload[field] };
    }
    return columns;
  };
}

/**
 * Some columns of a set, in the order named, with other Postgres types where a table stores a
 * field differently (e.g. a division code as `text` instead of `char(12)`).
 */
export function pickColumns<P, N extends string, K extends N>(
  set: SnapshotColumns<P, N>,
  names: readonly K[],
  types: { readonly [C in K]?: string } = {},
): SnapshotColumns<P, K> {
  const picked = {} as Record<K, SnapshotColumn<P>>;
  for (const name of names) {
    const type = types[name];
    picked[name] = type === undefined ? set[name] : { ...set[name], type };
  }
  return picked;
}

/** The columns of a set but those named, in the set's order, with other types as for `pickColumns`. */
export function omitColumns<P, N extends string, K extends N>(
  set: SnapshotColumns<P, N>,
  names: readonly K[],
  types: { readonly [C in Exclude<N, K>]?: string } = {},
): SnapshotColumns<P, Exclude<N, K>> {
  const kept = (Object.keys(set) as N[]).filter(
    (name): name is Exclude<N, K> => !names.includes(name as K),
  );
  return pickColumns(set, kept, types);
}

import { A, B, KNOWN_SITE, knownSite as site, type KnownSite as Site } from '../../test/known-site';
import { defineSnapshotTable } from './snapshot-table';

describe('defineSnapshotTable', () => {
  it('generates one unnest upsert where only a newer version replaces a row', () => {
    expect(KNOWN_SITE.sql).toBe(
      [
        'INSERT INTO known_site AS existing (id, carriers, status_history, opened_on, changed_at, version)',
        'SELECT id, carriers::text[], status_history, opened_on, changed_at, version',
        'FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::date[], $5::timestamptz[], $6::int[]) AS incoming(id, carriers, status_history, opened_on, changed_at, version)',
        'ON CONFLICT (id) DO UPDATE SET carriers = EXCLUDED.carriers, status_history = EXCLUDED.status_history, opened_on = EXCLUDED.opened_on, changed_at = EXCLUDED.changed_at, version = EXCLUDED.version, updated_at = now()',
        'WHERE EXCLUDED.version > existing.version',
        'RETURNING id',
      ].join('\n'),
    );
  });

  it('passes one array per column: jsonb serialised, arrays as quoted literals, absent values as NULL', () => {
    const rows = [
      site(A, 1, { carriers: ['hub', 'a,b', 'say "hi"\\'] }),
      site(B, 2, { carriers: [], history: [], openedOn: null }),
    ];
    expect(KNOWN_SITE.parameters(rows)).toEqual([
      [A, B],
      ['{"hub","a,b","say \\"hi\\"\\\\"}', '{}'],
      ['[{"effectiveFrom":"2024-08-01"}]', '[]'],
      ['2024-07-01', null],
      ['2024-08-01T10:00:00+08:00', '2024-08-02T10:00:00+08:00'],
      [1, 2],
    ]);
  });

  it('folds a chunk to the newest version per key; of equal versions the first stays', () => {
    const first = site(A, 3, { carriers: ['first'] });
    const latest = KNOWN_SITE.latest([
      site(A, 2),
      first,
      site(B, 1),
      site(A.toUpperCase(), 3, { carriers: ['same version, seen later'] }),
      site(A, 1),
    ]);
    expect(latest).toEqual([first, site(B, 1)]);
  });

  it('tells which rows the statement wrote from the keys it returned', () => {
    const rows = [site(A.toUpperCase(), 2), site(B, 1)];
    expect(KNOWN_SITE.written(rows, [{ id: A }])).toEqual([rows[0]]);
    expect(KNOWN_SITE.written(rows, [])).toEqual([]);
  });

  it('folds and conflicts on a composite key, with a version column of another name', () => {
    const cells = defineSnapshotTable<{
      indicator: string;
      period: string;
      value: number;
      v: number;
    }>({
      table: 'known_cell',
      key: ['indicator', 'period'],
      version: 'revision',
      columns: {
        indicator: { type: 'text', from: (c) => c.indicator },
        period: { type: 'text', from: (c) => c.period },
        value: { type: 'double precision', from: (c) => c.value },
        revision: { type: 'int', from: (c) => c.v },
      },
    });
    expect(cells.sql).toContain(
      'ON CONFLICT (indicator, period) DO UPDATE SET value = EXCLUDED.value, revision = EXCLUDED.revision\n',
    );
    expect(cells.sql).toContain(
      'WHERE EXCLUDED.revision > existing.revision\nRETURNING indicator, period',
    );
    const latest = cells.latest([
      { indicator: 'sales', period: '2024', value: 1, v: 1 },
      { indicator: 'sales', period: '2025', value: 2, v: 1 },
      { indicator: 'sales', period: '2024', value: 3, v: 2 },
    ]);
    expect(latest.map((c) => c.value)).toEqual([3, 2]);
  });

  it('refuses a description that cannot be written, naming every problem', () => {
    expect(() =>
      defineSnapshotTable<Site>({
        table: 'known site',
        key: ['code'],
        columns: {
          id: { type: 'uuid; DROP TABLE x', from: (s) => s.id },
          updated_at: { type: 'timestamptz', from: () => null },
        },
        touchedOnUpdate: ['updated_at'],
      }),
    ).toThrow(
      'Snapshot table known site: "known site" is not a lower-case SQL identifier; ' +
        'column id: "uuid; DROP TABLE x" is not a Postgres type; code is not one of the columns; ' +
        'version is not one of the columns; updated_at is both a column and touched on update',
    );
  });
});

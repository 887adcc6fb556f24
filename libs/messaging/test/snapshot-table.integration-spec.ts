import type { DataSource } from 'typeorm';
import { openTestDatabase, uniqueSuffix, type TestDatabase } from '@ecomlog/testing';
import { A, B, KNOWN_SITE, knownSite as site, type KnownSite as Site } from './known-site';

describe('a snapshot table against the real database', () => {
  const database = `it_snapshot_${uniqueSuffix()}`;
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase(database, 2, {
      applicationName: 'snapshot-it',
      entities: [],
      migrations: [],
    });
    dataSource = db.dataSource;
    await dataSource.query(
      `CREATE TABLE known_site (id uuid PRIMARY KEY, carriers text[] NOT NULL,
         status_history jsonb NOT NULL, opened_on date NOT NULL, changed_at timestamptz NOT NULL,
         version int NOT NULL, updated_at timestamptz NOT NULL DEFAULT '2000-01-01')`,
    );
  });

  afterAll(async () => {
    await db.drop();
  });

  async function write(rows: Site[]): Promise<Site[]> {
    const latest = KNOWN_SITE.latest(rows);
    const returned = await dataSource.query<Record<string, unknown>[]>(
      KNOWN_SITE.sql,
      KNOWN_SITE.parameters(latest),
    );
    return KNOWN_SITE.written(latest, returned);
  }

  async function stored() {
    return dataSource.query<Record<string, unknown>[]>(
      `SELECT id, carriers, status_history, to_char(opened_on, 'YYYY-MM-DD') AS opened_on,
              changed_at = '2024-08-02T02:00:00Z' AS changed_at_kept, version,
              updated_at > '2000-01-01' AS touched
       FROM known_site ORDER BY id`,
    );
  }

  it('inserts, replaces with newer versions only, and says which rows it wrote', async () => {
    expect(await write([site(A, 1), site(A, 2, { carriers: ['YTO', 'a,"b"', '{c}'] })])).toEqual([
      site(A, 2, { carriers: ['YTO', 'a,"b"', '{c}'] }),
    ]);
    expect(await stored()).toEqual([
      {
        id: A,
        carriers: ['YTO', 'a,"b"', '{c}'],
        status_history: [{ effectiveFrom: '2024-08-02' }],
        opened_on: '2024-07-02',
        changed_at_kept: true,
        version: 2,
        touched: false,
      },
    ]);

    // An equal version (a redelivery) and an older one change nothing; a new key is inserted.
    const equal = { ...site(A.toUpperCase(), 2), carriers: ['STO'] };
    expect(await write([equal, site(A, 1), site(B, 1)])).toEqual([site(B, 1)]);
    expect((await stored()).map((r) => [r.id, r.carriers, r.version, r.touched])).toEqual([
      [A, ['YTO', 'a,"b"', '{c}'], 2, false],
      [B, ['ZTO'], 1, false],
    ]);

    // A newer version replaces every column but the key and touches updated_at.
    expect(await write([site(A.toUpperCase(), 3, { carriers: [] })])).toHaveLength(1);
    expect((await stored())[0]).toMatchObject({ carriers: [], version: 3, touched: true });
  });
});

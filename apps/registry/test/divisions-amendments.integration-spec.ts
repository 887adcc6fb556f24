import type { DataSource } from 'typeorm';
import type { DivisionChangedV1 } from '@ecomlog/contracts';
import { DivisionImportService } from '../src/divisions/division-import.service';
import { DivisionsService } from '../src/divisions/divisions.service';
import { startRegistryTestApp, type RegistryTestApp } from './support/registry-test-app';

type View = DivisionChangedV1;
interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}
interface HistoryItem {
  version: number;
  change: string;
  name: string;
  status: string;
  replacedBy: string | null;
  changedBy: string | null;
  note: string | null;
  effectiveOn: string | null;
}

// 新泰市 → 羊流镇 and two of its villages, and another town.
const COUNTY = '370982000000';
const TOWN = '370982105000';
const OTHER_TOWN = '370982101000';

describe('registry: amending and querying divisions', () => {
  let registry: RegistryTestApp;
  let adminToken: string;
  let dataSource: DataSource;
  let villages: string[];

  /** supertest with an administrator's bearer token on every request. */
  const http = () => registry.http(adminToken);
  const outboxFor = async (code: string) =>
    (
      await dataSource.query<{ version: number; status: string; replaced_by: string | null }[]>(
        `SELECT (payload->>'version')::int AS version, payload->>'status' AS status,
                payload->>'replacedBy' AS replaced_by
         FROM outbox_event WHERE message_key = $1 ORDER BY sequence`,
        [code],
      )
    ).map((row) => [row.version, row.status, row.replaced_by]);
  async function allPages<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = (
        await http()
          .get(path)
          .query(cursor ? { ...query, cursor } : query)
          .expect(200)
      ).body as ListPage<T>;
      items.push(...page.items);
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
  }

  beforeAll(async () => {
    registry = await startRegistryTestApp();
    adminToken = await registry.tokenFor({ roles: ['admin'], regionPrefix: '' });
    dataSource = registry.dataSource;
    await registry.app.get(DivisionImportService).importByPrefix('370982');
    villages = (
      await dataSource.query<{ code: string }[]>(
        `SELECT code FROM division WHERE parent_code = $1 AND administrative_village ORDER BY code`,
        [TOWN],
      )
    ).map((row) => row.code);
    expect(villages.length).toBeGreaterThan(5);
  });

  afterAll(async () => {
    await registry?.close();
  });

  describe('queries', () => {
    it('answers a division, its ancestors (province first) and its children', async () => {
      const village = villages[0];
      expect((await http().get(`/v1/divisions/${village}`).expect(200)).body).toMatchObject({
        code: village,
        level: 'village',
        parentCode: TOWN,
        administrativeVillage: true,
        status: 'active',
      });
      const ancestors = (await http().get(`/v1/divisions/${village}/ancestors`).expect(200))
        .body as { items: View[] };
      expect(ancestors.items.map((d) => [d.code, d.name])).toEqual([
        ['370000000000', '山东省'],
        ['370900000000', '泰安市'],
        [COUNTY, '新泰市'],
        [TOWN, '羊流镇'],
      ]);
      expect((await http().get('/v1/divisions/370000000000/ancestors').expect(200)).body).toEqual({
        items: [],
      });
      const children = await allPages<View>(`/v1/divisions/${TOWN}/children?limit=7`);
      expect(children.map((d) => d.parentCode)).toEqual(children.map(() => TOWN));
      expect(children.filter((d) => d.administrativeVillage).map((d) => d.code)).toEqual(villages);
    });

    it('pages through descendants at a level, administrative villages only, by code', async () => {
      const expected = (
        await dataSource.query<{ code: string }[]>(
          `SELECT code FROM division WHERE code LIKE '370982%' AND level = 'village'
             AND substring(code, 10, 3)::int BETWEEN 200 AND 399 ORDER BY code`,
        )
      ).map((row) => row.code);
      const paged = await allPages<View>(
        `/v1/divisions/${COUNTY}/descendants?level=village&administrativeOnly=true&limit=100`,
      );
      expect(paged.map((d) => d.code)).toEqual(expected);
      expect(paged.every((d) => d.administrativeVillage && d.level === 'village')).toBe(true);

      const towns = await allPages<View>(`/v1/divisions/${COUNTY}/descendants?level=town`);
      expect(towns.every((d) => d.parentCode === COUNTY)).toBe(true);
      const all = await allPages<View>(`/v1/divisions/370900000000/descendants?limit=500`);
      expect(all).toHaveLength(
        (
          await dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM division WHERE code LIKE '3709%' AND level <> 'city'`,
          )
        )[0].n,
      );
      expect(all[0].code).toBe(COUNTY);

      const wrongLevel = await http()
        .get(`/v1/divisions/${TOWN}/descendants?level=county`)
        .expect(422);
      expect(wrongLevel.body).toMatchObject({
        type: 'https://ecomlog.cn/problems/invalid-descendant-level',
      });
      const badFlag = await http()
        .get(`/v1/divisions/${COUNTY}/descendants?administrativeOnly=yes`)
        .expect(400);
      expect(badFlag.body).toMatchObject({ errors: [{ path: 'administrativeOnly' }] });
      await http().get(`/v1/divisions/${COUNTY}/descendants?level=hamlet`).expect(400);
    });

    it('searches by name fragment under a code prefix', async () => {
      const found = (
        await http().get('/v1/divisions').query({ q: '羊流', under: '370982' }).expect(200)
      ).body as ListPage<View>;
      expect(found.items[0]).toMatchObject({ code: TOWN, name: '羊流镇' });
      expect(found.items.every((d) => d.name.includes('羊流'))).toBe(true);

      const towns = await allPages<View>('/v1/divisions', {
        q: '镇',
        under: '370982',
        level: 'town',
        limit: '5',
      });
      expect(towns.length).toBeGreaterThan(10);
      expect(towns.every((d) => d.level === 'town' && d.name.includes('镇'))).toBe(true);
      expect(towns.map((d) => d.code)).toEqual([...towns.map((d) => d.code)].sort());

      // LIKE wildcards in a fragment are literal characters.
      expect((await http().get('/v1/divisions?q=%25').expect(200)).body).toEqual({ items: [] });
      expect(
        (await http().get('/v1/divisions').query({ q: '羊流', under: '6405' }).expect(200)).body,
      ).toEqual({ items: [] });
      const badUnder = await http().get('/v1/divisions?under=37x').expect(400);
      expect(badUnder.body).toMatchObject({ errors: [{ path: 'under' }] });
    });

    it('answers bad codes, unknown divisions and foreign cursors with problems', async () => {
      const bad = await http().get('/v1/divisions/3709/ancestors').expect(400);
      expect(bad.body).toMatchObject({
        type: 'https://ecomlog.cn/problems/invalid-division-code',
      });
      expect((bad.body as { detail: string }).detail).toContain('"3709"');
      await http().get('/v1/divisions/370982999000').expect(404);
      await http().get('/v1/divisions/370982999000/history').expect(404);
      await http().get('/v1/divisions/370982999000/descendants').expect(404);
      const cursor = Buffer.from(JSON.stringify({ code: 'x' })).toString('base64url');
      const foreign = await http()
        .get(`/v1/divisions/${COUNTY}/descendants?cursor=${cursor}`)
        .expect(422);
      expect(foreign.body).toMatchObject({ type: 'https://ecomlog.cn/problems/invalid-cursor' });
    });
  });

  describe('amendments', () => {
    it('renames, recording history and one event per version', async () => {
      const village = villages[0];
      const renamed = (
        await http().patch(`/v1/divisions/${village}`).send({ name: '新村' }).expect(200)
      ).body as View;
      expect(renamed).toMatchObject({ code: village, name: '新村', version: 2, status: 'active' });
      // The same name again changes nothing.
      await http().patch(`/v1/divisions/${village}`).send({ name: '新村' }).expect(200);
      expect((await http().get(`/v1/divisions/${village}`).expect(200)).body).toMatchObject({
        version: 2,
      });
      expect(await outboxFor(village)).toEqual([
        [1, 'active', null],
        [2, 'active', null],
      ]);

      const invalid = await http().patch(`/v1/divisions/${village}`).send({ name: '' }).expect(400);
      expect(invalid.body).toMatchObject({ errors: [{ path: 'name' }] });
      await http()
        .patch(`/v1/divisions/${village}`)
        .send({ name: 'x', status: 'retired' })
        .expect(400);
    });

    it('merges a village into another of the same level; it stays queryable as retired', async () => {
      const [from, into] = [villages[1], villages[2]];
      const merged = (
        await http()
          .post(`/v1/divisions/${from}/merge`)
          .send({ replacedBy: into, effectiveOn: '2024-12-31', note: '合村并居' })
          .expect(200)
      ).body as View;
      expect(merged).toMatchObject({
        code: from,
        status: 'retired',
        replacedBy: into,
        version: 2,
      });
      expect((await http().get(`/v1/divisions/${from}`).expect(200)).body).toMatchObject({
        status: 'retired',
        replacedBy: into,
      });
      const history = (await http().get(`/v1/divisions/${from}/history`).expect(200))
        .body as ListPage<HistoryItem>;
      expect(history.items).toEqual([
        expect.objectContaining({ version: 1, change: 'imported', status: 'active' }),
        expect.objectContaining({
          version: 2,
          change: 'merged',
          status: 'retired',
          replacedBy: into,
          effectiveOn: '2024-12-31',
          note: '合村并居',
        }),
      ]);
      expect(await outboxFor(from)).toEqual([
        [1, 'active', null],
        [2, 'retired', into],
      ]);
      // Retired divisions stay in the queries, with their status.
      const retiredUnder = await allPages<View>(`/v1/divisions/${TOWN}/descendants?status=retired`);
      expect(retiredUnder.map((d) => d.code)).toEqual([from]);

      // It cannot be amended again, and nothing can be merged into it.
      const again = await http()
        .post(`/v1/divisions/${from}/merge`)
        .send({ replacedBy: villages[3] })
        .expect(409);
      expect(again.body).toMatchObject({ type: 'https://ecomlog.cn/problems/division-retired' });
      await http().patch(`/v1/divisions/${from}`).send({ name: '复活' }).expect(409);
      await http().post(`/v1/divisions/${from}/retire`).send({}).expect(409);
      const intoRetired = await http()
        .post(`/v1/divisions/${villages[3]}/merge`)
        .send({ replacedBy: from })
        .expect(422);
      expect(intoRetired.body).toMatchObject({
        type: 'https://ecomlog.cn/problems/merge-target-retired',
      });
      expect((intoRetired.body as { detail: string }).detail).toContain(`merged into ${into}`);
    });

    it('refuses merges into itself, a descendant, another level or nothing', async () => {
      const village = villages[3];
      const refusals: [from: string, replacedBy: string, problem: string][] = [
        [village, village, 'merge-into-itself'],
        [TOWN, village, 'merge-into-descendant'],
        [village, OTHER_TOWN, 'merge-level-mismatch'],
        [village, '370982105999', 'merge-target-not-found'],
      ];
      for (const [from, replacedBy, problem] of refusals) {
        const refused = await http()
          .post(`/v1/divisions/${from}/merge`)
          .send({ replacedBy })
          .expect(422)
          .expect('content-type', /application\/problem\+json/);
        expect(refused.body).toMatchObject({ type: `https://ecomlog.cn/problems/${problem}` });
      }
      const malformed = await http()
        .post(`/v1/divisions/${village}/merge`)
        .send({ replacedBy: '3709', effectiveOn: '2024-02-30' })
        .expect(400);
      expect(
        (malformed.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort(),
      ).toEqual(['effectiveOn', 'replacedBy']);
      await http().post(`/v1/divisions/${village}/merge`).send({}).expect(400);
      expect(await outboxFor(village)).toEqual([[1, 'active', null]]);
    });

    it('retires a division without active children, refusing one that has some', async () => {
      const busy = await http().post(`/v1/divisions/${OTHER_TOWN}/retire`).send({}).expect(409);
      expect(busy.body).toMatchObject({
        type: 'https://ecomlog.cn/problems/division-has-active-children',
      });
      const village = villages[4];
      // No body at all is fine too.
      const retired = (await http().post(`/v1/divisions/${village}/retire`).expect(200))
        .body as View;
      expect(retired).toMatchObject({ status: 'retired', replacedBy: null, version: 2 });
      const history = (await http().get(`/v1/divisions/${village}/history?limit=1`).expect(200))
        .body as ListPage<HistoryItem>;
      expect(history.items).toEqual([expect.objectContaining({ version: 1 })]);
      const rest = (
        await http()
          .get(`/v1/divisions/${village}/history?cursor=${history.nextCursor}`)
          .expect(200)
      ).body as ListPage<HistoryItem>;
      expect(rest).toEqual({
        items: [expect.objectContaining({ version: 2, change: 'retired', status: 'retired' })],
      });
    });

    it('records the official and keeps them to their region', async () => {
      const divisions = registry.app.get(DivisionsService);
      const village = villages[5];
      await divisions.rename(village, '官方命名', { subject: 'official-7', regionPrefix: '3709' });
      const history = await divisions.history(village, 10);
      expect(history.items.at(-1)).toMatchObject({ change: 'renamed', changedBy: 'official-7' });
      await expect(
        divisions.retire(village, {}, { subject: 'official-8', regionPrefix: '6405' }),
      ).rejects.toMatchObject({ problemType: 'outside-region', status: 403 });
      await expect(
        divisions.merge(
          village,
          { replacedBy: villages[2] },
          // The village itself is inside this region, the division it would merge into is not.
          { subject: 'official-9', regionPrefix: village },
        ),
      ).rejects.toMatchObject({ problemType: 'outside-region' });
    });

    it('keeps PUT working, with history', async () => {
      const code = '370982105398';
      const created = await http()
        .put(`/v1/divisions/${code}`)
        .send({ name: '新设村民委员会' })
        .expect(201);
      expect(created.body).toMatchObject({
        code,
        level: 'village',
        parentCode: TOWN,
        administrativeVillage: true,
        version: 1,
      });
      await http().put(`/v1/divisions/${code}`).send({ name: '新设村' }).expect(200);
      const history = (await http().get(`/v1/divisions/${code}/history`).expect(200))
        .body as ListPage<HistoryItem>;
      expect(history.items.map((h) => [h.version, h.change, h.name])).toEqual([
        [1, 'created', '新设村民委员会'],
        [2, 'amended', '新设村'],
      ]);
    });

    it('keeps history append-only', async () => {
      await expect(dataSource.query('DELETE FROM division_history')).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`UPDATE division_history SET name = 'x'`)).rejects.toThrow(
        /append-only/,
      );
    });
  });
});

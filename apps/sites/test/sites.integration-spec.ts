import { randomUUID } from 'node:crypto';
import { SiteChanged, validatePayload, type SiteChangedV1 } from '@ecomlog/contracts';
import { shanghaiDay } from '@ecomlog/kernel';
import type { CreateSiteDto } from '../src/sites/dto/create-site.dto';
import { SiteRowsRejectedError, SitesService, type SiteView } from '../src/sites/sites.service';
import {
  divisionEvent,
  enterpriseEvent,
  outboxRows,
  problem,
  seedCounty,
  startSitesApp,
  testCounty,
  type HttpAgent,
  type SitesTestApp,
} from './sites-harness';

/**
 * Sites on the real database, Kafka and Redis. The read models (known_division, known_enterprise)
 * are seeded directly with the rows their consumers would write from the registry topics; the
 * Kafka path itself is exercised in sites-read-models.integration-spec.ts.
 */
describe('sites (sites service) on the real database, Kafka and Redis', () => {
  const c = testCounty();
  const TOWN = c.town(1);
  const VILLAGE = c.village(1, 1);
  const OTHER_VILLAGE = c.village(1, 2);
  const COMMITTEE = c.committee(1, 1);
  const FOREIGN_VILLAGE = c.otherVillage(1, 1);
  const operator = enterpriseEvent(c.prefix, { name: '测试县邮政电商服务有限公司' });
  const deregistered = enterpriseEvent(c.prefix, {
    name: '已注销物流有限公司',
    status: 'deregistered',
  });
  const zto = enterpriseEvent(c.prefix, {
    name: '中通快递测试县分公司',
    kinds: ['courier'],
    carrierCode: 'ZTO',
  });
  const yto = enterpriseEvent(c.prefix, {
    name: '圆通速递测试县分公司',
    kinds: ['courier', 'logistics'],
    carrierCode: 'YTO',
  });
  const suspendedCourier = enterpriseEvent(c.prefix, {
    name: '暂停快递有限公司',
    kinds: ['courier'],
    carrierCode: 'HALT',
    status: 'suspended',
  });

  let t: SitesTestApp;
  /** commerce official of the county. */
  let commerce: HttpAgent;
  const commerceSubject = `commerce-${randomUUID()}`;

  function villagePoint(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: `村级电商服务点 ${randomUUID().slice(0, 8)}`,
      kind: 'village_service_point',
      divisionCode: VILLAGE,
      operatorEnterpriseId: operator.id,
      carriers: ['ZTO', 'YTO'],
      services: ['parcel_delivery', 'online_shopping_agency', 'parcel_collection'],
      dailyCapacity: 300,
      address: '一村村委会院内',
      latitude: 37.4893,
      longitude: 105.6712,
      ...overrides,
    };
  }

  async function create(body: Record<string, unknown>): Promise<SiteView> {
    const response = await commerce.post('/v1/sites').send(body);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 201,
    });
    return response.body as SiteView;
  }

  async function siteCount(): Promise<number> {
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM site',
    );
    return count;
  }

  beforeAll(async () => {
    t = await startSitesApp('sites');
    await seedCounty(
      t.dataSource,
      c,
      [
        divisionEvent(TOWN, '一镇'),
        divisionEvent(c.town(2), '二镇', { status: 'retired', replacedBy: TOWN, version: 2 }),
        divisionEvent(VILLAGE, '一村'),
        divisionEvent(OTHER_VILLAGE, '二村'),
        divisionEvent(COMMITTEE, '镇区社区居委会'),
      ],
      [operator, deregistered, zto, yto, suspendedCourier],
    );
    commerce = t.as(['commerce'], c.prefix, commerceSubject);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('registers a village point and writes its full state to the outbox and the audit log', async () => {
    const body = villagePoint({
      status: 'operating',
      effectiveFrom: '2023-06-18',
      note: '验收通过',
    });
    const site = await create(body);
    expect(site).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: body.name,
      kind: 'village_service_point',
      divisionCode: VILLAGE,
      operatorEnterpriseId: operator.id,
      carriers: ['YTO', 'ZTO'],
      services: ['online_shopping_agency', 'parcel_collection', 'parcel_delivery'],
      dailyCapacity: 300,
      address: '一村村委会院内',
      location: { lat: 37.4893, lng: 105.6712 },
      flags: { coldChain: false, cloudWarehouse: false },
      statusHistory: [{ status: 'operating', effectiveFrom: '2023-06-18', note: '验收通过' }],
      version: 1,
      changedAt: expect.any(String) as unknown,
      asOf: shanghaiDay(),
      status: 'operating',
    });

    const rows = await outboxRows(t.dataSource, site.id);
    expect(rows).toHaveLength(1);
    const { asOf: _asOf, status: _status, ...payload } = site;
    expect(rows[0]).toMatchObject({
      topic: 'sites.sites.v1',
      message_key: site.id,
      event_type: 'cn.ecomlog.sites.site-changed.v1',
      payload,
    });
    expect(validatePayload(SiteChanged.payload, rows[0].payload, 'produce').ok).toBe(true);
    expect(rows[0].headers).toMatchObject({
      ce_type: SiteChanged.type,
      ce_subject: `sites/${site.id}`,
      ce_source: 'sites',
    });

    const audit = await t
      .as(['auditor'], '')
      .get(`/v1/audit-entries?entityType=site&entityId=${site.id}`)
      .expect(200);
    expect((audit.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        actorSubject: commerceSubject,
        actorKind: 'official',
        action: 'site.created',
        entityType: 'site',
        entityId: site.id,
        before: null,
        after: payload,
      }),
    ]);
  });

  it('defaults to planned from today, and admits a pickup point at a residents committee', async () => {
    const site = await create({
      name: '镇区社区快递驿站',
      kind: 'pickup_point',
      divisionCode: COMMITTEE,
      operatorEnterpriseId: operator.id,
      carriers: ['ZTO'],
    });
    expect(site).toMatchObject({
      status: 'planned',
      statusHistory: [{ status: 'planned', effectiveFrom: shanghaiDay(), note: null }],
      services: [],
      dailyCapacity: null,
      address: null,
      location: null,
    });
  });

  describe('refuses with a clear reason and writes nothing', () => {
    let before: number;
    beforeEach(async () => {
      before = await siteCount();
    });
    afterEach(async () => {
      expect(await siteCount()).toBe(before);
    });

    it('an operator that is not a registered enterprise', async () => {
      const unknown = randomUUID();
      const body = await problem(
        commerce.post('/v1/sites').send(villagePoint({ operatorEnterpriseId: unknown })),
        422,
      );
      expect(body.type).toBe('https://ecomlog.cn/problems/operator-not-found');
      expect(body.detail).toContain(`operator ${unknown} is not a registered enterprise`);
      expect(body.errors).toEqual([{ path: 'operatorEnterpriseId', message: expect.any(String) }]);
    });

    it('a deregistered operator', async () => {
      const body = await problem(
        commerce.post('/v1/sites').send(villagePoint({ operatorEnterpriseId: deregistered.id })),
        422,
      );
      expect(body.type).toBe('https://ecomlog.cn/problems/operator-not-active');
      expect(body.detail).toContain(
        `operator ${deregistered.id} 已注销物流有限公司 is deregistered; a site's operator must be an active enterprise`,
      );
    });

    it('a town station at a village', async () => {
      const body = await problem(
        commerce.post('/v1/sites').send(villagePoint({ kind: 'town_service_station' })),
        422,
      );
      expect(body.type).toBe('https://ecomlog.cn/problems/division-level-mismatch');
      expect(body.detail).toBe(
        `divisionCode: division ${VILLAGE} 一村 is a village (村/居委会), but a town_service_station sits at a town (乡镇/街道).`,
      );
    });

    it('a village point at a town, a county centre at a city, a warehouse at a village', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'village_service_point', divisionCode: TOWN }, 'sits at a village'],
        [{ kind: 'county_service_center', divisionCode: c.CITY }, 'sits at a county.'],
        [{ kind: 'warehouse', divisionCode: VILLAGE }, 'sits at a county or town'],
      ];
      // A nationwide official: the city is outside the county official's region.
      const nationwide = t.as(['postal'], '');
      for (const [overrides, reason] of cases) {
        const body = await problem(nationwide.post('/v1/sites').send(villagePoint(overrides)), 422);
        expect(body.type).toBe('https://ecomlog.cn/problems/division-level-mismatch');
        expect(body.detail).toContain(reason);
      }
    });

    it('an unknown division and a retired one', async () => {
      const unknown = `${c.prefix}109000`;
      const missing = await problem(
        commerce
          .post('/v1/sites')
          .send(villagePoint({ kind: 'town_service_station', divisionCode: unknown })),
        422,
      );
      expect(missing.type).toBe('https://ecomlog.cn/problems/division-not-found');
      expect(missing.detail).toContain(`division ${unknown} is not known`);
      const retired = await problem(
        commerce
          .post('/v1/sites')
          .send(villagePoint({ kind: 'town_service_station', divisionCode: c.town(2) })),
        422,
      );
      expect(retired.detail).toContain(`is retired (merged into ${TOWN})`);
    });

    it('a division code no registry knows, on create and on a move', async () => {
      const nationwide = t.as(['postal'], '');
      const created = await problem(
        nationwide.post('/v1/sites').send(villagePoint({ divisionCode: '999999000000' })),
        422,
      );
      expect(created.type).toBe('https://ecomlog.cn/problems/division-not-found');
      expect(created.detail).toBe(
        'divisionCode: division 999999000000 is not known to the sites service (统计用区划代码 from registry.divisions.v1): check the 12-digit code, or create or import the division in the registry first.',
      );
      expect(created.errors).toEqual([
        { path: 'divisionCode', message: expect.stringContaining('999999000000') },
      ]);
      const site = await create(villagePoint());
      before += 1;
      const moved = await problem(
        nationwide.patch(`/v1/sites/${site.id}`).send({ divisionCode: '999999000000' }),
        422,
      );
      expect(moved.type).toBe('https://ecomlog.cn/problems/division-not-found');
      expect(moved.detail).toContain('division 999999000000 is not known');
      expect(await outboxRows(t.dataSource, site.id)).toHaveLength(1);
    });

    it('an unknown carrier code, naming it, and a suspended courier', async () => {
      const body = await problem(
        commerce.post('/v1/sites').send(villagePoint({ carriers: ['ZTO', 'NOPE', 'HALT'] })),
        422,
      );
      expect(body.type).toBe('https://ecomlog.cn/problems/carrier-unknown');
      expect(body.detail).toContain(
        'carriers[1]: carrier code NOPE is not the carrier code of any courier enterprise',
      );
      expect(body.errors?.map((error) => error.path)).toEqual(['carriers[1]', 'carriers[2]']);
      expect(body.errors?.[1].message).toContain('暂停快递有限公司 (suspended)');
    });

    it('coordinates outside China, half a location and warehouse flags on a village point', async () => {
      const range = await problem(
        commerce.post('/v1/sites').send(villagePoint({ latitude: 60, longitude: 200 })),
        400,
      );
      expect(range.errors?.map((error) => error.path).sort()).toEqual(['latitude', 'longitude']);
      expect(range.detail).toContain('latitude must be a number from 3.8 to 53.6');
      const half = await problem(
        commerce.post('/v1/sites').send(villagePoint({ longitude: null })),
        422,
      );
      expect(half.detail).toContain('longitude is missing');
      const flags = await problem(
        commerce.post('/v1/sites').send(villagePoint({ coldChain: true })),
        422,
      );
      expect(flags.type).toBe('https://ecomlog.cn/problems/flags-warehouse-only');
      const capacity = await problem(
        commerce.post('/v1/sites').send(villagePoint({ dailyCapacity: -1 })),
        400,
      );
      expect(capacity.errors?.[0].path).toBe('dailyCapacity');
    });

    it('a site outside the official’s region, and writes by a viewer', async () => {
      const outside = await problem(
        commerce.post('/v1/sites').send(villagePoint({ divisionCode: FOREIGN_VILLAGE })),
        403,
      );
      expect(outside.type).toBe('https://ecomlog.cn/problems/outside-region');
      await problem(t.as(['viewer'], c.prefix).post('/v1/sites').send(villagePoint()), 403);
    });

    it('a second site of the same kind and name in a division', async () => {
      const body = villagePoint();
      await create(body);
      before += 1;
      const taken = await problem(commerce.post('/v1/sites').send(body), 409);
      expect(taken.type).toBe('https://ecomlog.cn/problems/site-name-taken');
    });
  });

  describe('dated status history', () => {
    let site: SiteView;

    async function record(
      status: string,
      effectiveFrom: string,
      expected = 200,
    ): Promise<SiteView> {
      const response = await commerce
        .post(`/v1/sites/${site.id}/status`)
        .send({ status, effectiveFrom });
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: expected,
      });
      return response.body as SiteView;
    }

    async function statusOn(day: string): Promise<string> {
      const response = await commerce.get(`/v1/sites/${site.id}?asOf=${day}`).expect(200);
      return (response.body as SiteView).status;
    }

    it('answers as-of queries before, between and after changes, including back-dated ones', async () => {
      site = await create(
        villagePoint({ name: '历史测试服务点', status: 'planned', effectiveFrom: '2023-01-10' }),
      );
      await record('operating', '2023-06-01');
      await record('closed', '2024-05-01');
      // Back-dated entries go in at their day: the history stays a valid sequence.
      await record('under_construction', '2023-03-01');
      const latest = await record('suspended', '2024-02-01');
      expect(latest.statusHistory.map((e) => [e.status, e.effectiveFrom])).toEqual([
        ['planned', '2023-01-10'],
        ['under_construction', '2023-03-01'],
        ['operating', '2023-06-01'],
        ['suspended', '2024-02-01'],
        ['closed', '2024-05-01'],
      ]);
      expect(latest).toMatchObject({ version: 5, status: 'closed' });

      const notYet = await problem(commerce.get(`/v1/sites/${site.id}?asOf=2023-01-09`), 404);
      expect(notYet.type).toBe('https://ecomlog.cn/problems/site-not-yet-existing');
      expect(notYet.detail).toContain('starts on 2023-01-10');
      expect(await statusOn('2023-01-10')).toBe('planned');
      expect(await statusOn('2023-02-28')).toBe('planned');
      expect(await statusOn('2023-03-01')).toBe('under_construction');
      expect(await statusOn('2023-05-31')).toBe('under_construction');
      expect(await statusOn('2023-06-01')).toBe('operating');
      expect(await statusOn('2024-01-31')).toBe('operating');
      expect(await statusOn('2024-02-01')).toBe('suspended');
      expect(await statusOn('2024-04-30')).toBe('suspended');
      expect(await statusOn('2024-05-01')).toBe('closed');
      expect(await statusOn(shanghaiDay())).toBe('closed');
      const today = await commerce.get(`/v1/sites/${site.id}`).expect(200);
      expect(today.body).toMatchObject({ asOf: shanghaiDay(), status: 'closed' });

      // Lists answer as of the day too.
      const ids = async (query: string): Promise<string[]> => {
        const response = await commerce
          .get(`/v1/sites?divisionPrefix=${VILLAGE}&${query}`)
          .expect(200);
        return (response.body as { items: SiteView[] }).items.map((item) => item.id);
      };
      expect(await ids('asOf=2023-01-09')).not.toContain(site.id);
      expect(await ids('asOf=2023-04-01&status=under_construction')).toEqual([site.id]);
      expect(await ids('asOf=2023-04-01&status=operating')).not.toContain(site.id);
      expect(await ids('asOf=2024-03-15&status=suspended')).toEqual([site.id]);
      expect(await ids('status=closed')).toEqual([site.id]);

      // One event per change, each with the full history as it then was.
      const rows = await outboxRows(t.dataSource, site.id);
      expect(rows.map((row) => row.payload.version)).toEqual([1, 2, 3, 4, 5]);
      expect(rows[3].payload.statusHistory.map((e) => e.status)).toEqual([
        'planned',
        'under_construction',
        'operating',
        'closed',
      ]);
      const { asOf: _asOf, status: _status, ...payload } = latest;
      expect(rows[4].payload).toEqual(payload);
    });

    it('refuses impossible transitions, naming the conflicting entries, and writes nothing', async () => {
      const before = (await outboxRows(t.dataSource, site.id)).length;
      const backwards = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'planned',
          effectiveFrom: '2023-08-01',
        }),
        409,
      );
      expect(backwards.type).toBe('https://ecomlog.cn/problems/impossible-status-transition');
      expect(backwards.detail).toContain(
        'planned from 2023-08-01 cannot follow operating from 2023-06-01 (after operating only suspended, closed may follow)',
      );
      const afterClosed = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'operating',
          effectiveFrom: '2024-06-01',
        }),
        409,
      );
      expect(afterClosed.detail).toContain(
        'operating from 2024-06-01 cannot follow closed from 2024-05-01 (closed is final)',
      );
      // A back-dated entry that breaks what follows it.
      const breaksNext = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'closed',
          effectiveFrom: '2023-04-01',
        }),
        409,
      );
      expect(breaksNext.detail).toContain(
        'operating from 2023-06-01 cannot follow closed from 2023-04-01 (closed is final)',
      );
      const beforeFirst = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'suspended',
          effectiveFrom: '2022-12-01',
        }),
        409,
      );
      expect(beforeFirst.detail).toContain('would start with suspended from 2022-12-01');
      const sameDay = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'suspended',
          effectiveFrom: '2023-06-01',
        }),
        409,
      );
      expect(sameDay.type).toBe('https://ecomlog.cn/problems/status-same-day');
      expect(sameDay.detail).toContain('already has operating from 2023-06-01');
      const future = await problem(
        commerce.post(`/v1/sites/${site.id}/status`).send({
          status: 'suspended',
          effectiveFrom: '2999-01-01',
        }),
        422,
      );
      expect(future.type).toBe('https://ecomlog.cn/problems/date-in-future');
      expect(await outboxRows(t.dataSource, site.id)).toHaveLength(before);
    });

    it('audits every status entry with the state before and after', async () => {
      const audit = await t
        .as(['admin'], '')
        .get(`/v1/audit-entries?entityType=site&entityId=${site.id}`)
        .expect(200);
      const items = (
        audit.body as {
          items: { action: string; before: SiteChangedV1 | null; after: SiteChangedV1 }[];
        }
      ).items;
      expect(items.map((item) => item.action)).toEqual([
        'site.status-recorded',
        'site.status-recorded',
        'site.status-recorded',
        'site.status-recorded',
        'site.created',
      ]);
      expect(items[0].before?.version).toBe(4);
      expect(items[0].after.version).toBe(5);
    });
  });

  describe('changes', () => {
    it('changes carriers, services and location with one event and one audit entry', async () => {
      const site = await create(villagePoint({ carriers: ['ZTO'] }));
      const response = await commerce
        .patch(`/v1/sites/${site.id}`)
        .send({ carriers: ['YTO', 'ZTO'], services: ['returns'], latitude: null, longitude: null })
        .expect(200);
      expect(response.body).toMatchObject({
        carriers: ['YTO', 'ZTO'],
        services: ['returns'],
        location: null,
        version: 2,
      });
      const rows = await outboxRows(t.dataSource, site.id);
      expect(rows.map((row) => row.payload.version)).toEqual([1, 2]);
      const audit = await t
        .as(['auditor'], '')
        .get(`/v1/audit-entries?entityType=site&entityId=${site.id}`)
        .expect(200);
      expect((audit.body as { items: unknown[] }).items[0]).toMatchObject({
        action: 'site.changed',
        actorSubject: commerceSubject,
        before: { carriers: ['ZTO'], version: 1 },
        after: { carriers: ['YTO', 'ZTO'], version: 2 },
      });

      // Unchanged: no new version.
      await commerce
        .patch(`/v1/sites/${site.id}`)
        .send({ services: ['returns'] })
        .expect(200);
      expect(await outboxRows(t.dataSource, site.id)).toHaveLength(2);
    });

    it('refuses an added unknown carrier, a new inactive operator, a move to the wrong level and a kind change', async () => {
      const site = await create(villagePoint());
      const carrier = await problem(
        commerce.patch(`/v1/sites/${site.id}`).send({ carriers: ['ZTO', 'YTO', 'XYZ'] }),
        422,
      );
      expect(carrier.errors).toEqual([
        { path: 'carriers[2]', message: expect.stringContaining('carrier code XYZ') },
      ]);
      const operatorProblem = await problem(
        commerce.patch(`/v1/sites/${site.id}`).send({ operatorEnterpriseId: deregistered.id }),
        422,
      );
      expect(operatorProblem.type).toBe('https://ecomlog.cn/problems/operator-not-active');
      const move = await problem(
        commerce.patch(`/v1/sites/${site.id}`).send({ divisionCode: TOWN }),
        422,
      );
      expect(move.type).toBe('https://ecomlog.cn/problems/division-level-mismatch');
      const kind = await problem(
        commerce.patch(`/v1/sites/${site.id}`).send({ kind: 'pickup_point' }),
        400,
      );
      expect(kind.errors?.[0].path).toBe('kind');
      expect(await outboxRows(t.dataSource, site.id)).toHaveLength(1);
    });
  });

  describe('region scope', () => {
    it('an official of another county gets 403 on a site and never sees it in lists', async () => {
      const site = await create(villagePoint());
      const neighbour = t.as(['commerce', 'postal', 'viewer'], c.otherPrefix);
      const denied = await problem(neighbour.get(`/v1/sites/${site.id}`), 403);
      expect(denied.type).toBe('https://ecomlog.cn/problems/outside-region');
      await problem(
        neighbour.post(`/v1/sites/${site.id}/status`).send({
          status: 'operating',
          effectiveFrom: '2024-01-01',
        }),
        403,
      );
      await problem(neighbour.patch(`/v1/sites/${site.id}`).send({ dailyCapacity: 1 }), 403);
      const list = await neighbour.get('/v1/sites').expect(200);
      expect(list.body).toEqual({ items: [] });
      const asked = await neighbour.get(`/v1/sites?divisionPrefix=${c.prefix}`).expect(200);
      expect(asked.body).toEqual({ items: [] });
      await problem(neighbour.get(`/v1/coverage/gaps?region=${c.COUNTY}`), 403);

      // A viewer of the county, and a nationwide official, see it.
      const viewer = t.as(['viewer'], c.prefix);
      await viewer.get(`/v1/sites/${site.id}`).expect(200);
      const own = await viewer.get('/v1/sites?limit=500').expect(200);
      expect((own.body as { items: SiteView[] }).items.map((item) => item.id)).toContain(site.id);
      await t.as(['viewer'], '').get(`/v1/sites/${site.id}`).expect(200);
    });
  });

  describe('lists', () => {
    it('filters by kind, carrier, operator and division prefix, and pages with a cursor', async () => {
      const prefix = OTHER_VILLAGE;
      const made: SiteView[] = [];
      for (const [kind, carriers] of [
        ['village_service_point', ['ZTO']],
        ['pickup_point', ['YTO']],
        ['parcel_locker', ['ZTO', 'YTO']],
        ['rural_supermarket', []],
      ] as const) {
        made.push(
          await create(
            villagePoint({
              kind,
              carriers,
              divisionCode: OTHER_VILLAGE,
              status: 'operating',
              effectiveFrom: '2024-01-01',
            }),
          ),
        );
      }
      const ids = async (query: string): Promise<string[]> => {
        const response = await commerce.get(`/v1/sites?divisionPrefix=${prefix}&${query}`);
        expect(response.status).toBe(200);
        return (response.body as { items: SiteView[] }).items.map((item) => item.id).sort();
      };
      expect(await ids('carrier=ZTO')).toEqual([made[0].id, made[2].id].sort());
      expect(await ids('kind=pickup_point')).toEqual([made[1].id]);
      expect(await ids(`operatorId=${operator.id}`)).toEqual(made.map((m) => m.id).sort());
      expect(await ids(`operatorId=${randomUUID()}`)).toEqual([]);
      expect(await ids('asOf=2023-12-31')).toEqual([]);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await commerce
          .get(`/v1/sites?divisionPrefix=${prefix}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        const page = response.body as { items: SiteView[]; nextCursor?: string };
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(made.map((m) => m.id).sort());
    });
  });

  describe('bulk registration (SitesService.createMany / validateRows)', () => {
    function row(overrides: Partial<CreateSiteDto> = {}): CreateSiteDto {
      return {
        name: `批量服务点 ${randomUUID().slice(0, 8)}`,
        kind: 'village_service_point',
        divisionCode: VILLAGE,
        operatorEnterpriseId: operator.id,
        carriers: ['ZTO'],
        services: ['parcel_delivery'],
        ...overrides,
      };
    }

    it('reports every bad row without writing anything, then writes all good rows', async () => {
      const sites = t.app.get(SitesService);
      const before = await siteCount();
      const duplicate = row();
      const rows = [
        row(),
        row({ kind: 'town_service_station' }),
        row({ operatorEnterpriseId: deregistered.id, carriers: ['NOPE'] }),
        duplicate,
        { ...duplicate },
        row({ latitude: 100 }),
      ];
      const problems = await sites.validateRows(rows);
      expect(problems.map(({ index, field }) => [index, field])).toEqual([
        [1, 'divisionCode'],
        [2, 'operatorEnterpriseId'],
        [2, 'carriers[0]'],
        [4, 'name'],
        [5, 'latitude'],
      ]);
      expect(problems[3].reason).toContain('row 3 already registers');
      const error = await sites.createMany(undefined, rows).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SiteRowsRejectedError);
      expect((error as SiteRowsRejectedError).problems).toEqual(problems);
      expect(await siteCount()).toBe(before);

      const good = [row(), row({ kind: 'pickup_point', divisionCode: TOWN })];
      expect(await sites.validateRows(good)).toEqual([]);
      const created = await sites.createMany(undefined, good);
      expect(created.map((site) => [site.kind, site.status, site.version])).toEqual([
        ['village_service_point', 'planned', 1],
        ['pickup_point', 'planned', 1],
      ]);
      expect(await siteCount()).toBe(before + 2);
      for (const site of created) expect(await outboxRows(t.dataSource, site.id)).toHaveLength(1);
    });

    it('checks the actor’s region per row', async () => {
      const sites = t.app.get(SitesService);
      const actor = {
        subject: 'importer',
        kind: 'official' as const,
        roles: ['commerce' as const],
        regionPrefix: c.prefix,
      };
      const problems = await sites.validateRows(
        [row(), row({ divisionCode: FOREIGN_VILLAGE })],
        actor,
      );
      expect(problems).toEqual([
        expect.objectContaining({ index: 1, field: 'divisionCode', type: 'outside-region' }),
      ]);
    });
  });
});

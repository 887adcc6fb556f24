import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import { enterpriseState } from '@ecomlog/testing';
import { shanghaiDay } from '@ecomlog/kernel';
import { EnterprisesService } from '../src/enterprises/enterprises.service';
import {
  problem,
  testRegion,
  useSeededRegistry,
  type Problem,
} from './support/enterprise-fixtures';

const region = testRegion();
const { city, county, PROVINCE, CITY, COUNTY, TOWN, OTHER_TOWN, creditCode, retailer } = region;

/** The same code with a wrong check character, and the right one. */
function withWrongCheck(code: string): { code: string; expected: string; got: string } {
  const expected = code[17];
  const got = expected === '0' ? '1' : '0';
  return { code: `${code.slice(0, 17)}${got}`, expected, got };
}

describe('enterprises (registry) on the real database, Kafka and Redis', () => {
  const t = useSeededRegistry(region);
  const { create, outbox } = t;

  it('registers a valid enterprise and writes one event with its full state to the outbox', async () => {
    const body = retailer({ kinds: ['ecommerce_retailer', 'cooperative'] });
    const enterprise = await create(body);
    // Its whole state: registered on the body's day, active since, in good standing, version 1.
    expect(enterprise).toEqual(
      enterpriseState({
        id: enterprise.id,
        creditCode: body.creditCode as string,
        name: '中宁县枸杞电子商务有限公司',
        kinds: ['cooperative', 'ecommerce_retailer'],
        registeredDivisionCode: TOWN,
        changedAt: enterprise.changedAt,
      }),
    );
    expect(enterprise.id).toMatch(/^[0-9a-f-]{36}$/);

    const rows = await outbox(enterprise.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      topic: 'registry.enterprises.v1',
      message_key: enterprise.id,
      event_type: 'cn.ecomlog.registry.enterprise-changed.v1',
      payload: enterprise,
    });
    expect(rows[0].headers).toMatchObject({
      ce_type: EnterpriseChanged.type,
      ce_subject: `enterprises/${enterprise.id}`,
    });

    await t.api.get(`/v1/enterprises/${enterprise.id}`).expect(200, enterprise);
    await t.api
      .get(`/v1/enterprises/by-credit-code/${enterprise.creditCode}`)
      .expect(200, enterprise);
  });

  it('refuses a wrong check character, naming the expected one', async () => {
    const { code, expected, got } = withWrongCheck(creditCode());
    const body = await problem(
      t.api.post('/v1/enterprises').send(retailer({ creditCode: code })),
      // The shape of a credit code, refused by its check character: a rule no schema states.
      422,
    );
    expect(body.errors).toEqual([
      {
        path: 'creditCode',
        message: expect.stringContaining(`check character must be '${expected}' (got '${got}')`),
      },
    ]);
    expect(body.detail).toContain(`check character must be '${expected}'`);

    const lookup = await problem(t.api.get(`/v1/enterprises/by-credit-code/${code}`), 422);
    expect(lookup.detail).toContain(`check character must be '${expected}' (got '${got}')`);
  });

  it('refuses lower-case codes instead of guessing, telling the upper-case form', async () => {
    const code = creditCode();
    const lower = code.toLowerCase();
    const body = await problem(
      t.api.post('/v1/enterprises').send(retailer({ creditCode: lower })),
      400,
    );
    expect(body.detail).toContain(`upper-case: use '${code}'`);
  });

  it('keeps a credit code unique and names the enterprise that holds it', async () => {
    const first = await create(retailer());
    const body = await problem(
      t.api
        .post('/v1/enterprises')
        .send(retailer({ creditCode: first.creditCode, name: '另一家公司' })),
      409,
    );
    expect(body.type).toMatch(/credit-code-taken$/);
    expect(body.detail).toContain(first.id);
    expect(body.existingEnterpriseId).toBe(first.id);
  });

  it('holds concurrent registrations of one code to one enterprise', async () => {
    const body = retailer();
    const responses = await Promise.all(
      [0, 1, 2].map(() => t.api.post('/v1/enterprises').send(body)),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const winner = responses.find((r) => r.status === 201)?.body as EnterpriseChangedV1;
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect((loser.body as Problem).existingEnterpriseId).toBe(winner.id);
    }
  });

  it('requires a carrier code for a courier, and only for a courier', async () => {
    const missing = await problem(
      t.api.post('/v1/enterprises').send(retailer({ kinds: ['courier'] })),
      422,
    );
    expect(missing.type).toMatch(/carrier-code-required$/);
    expect(missing.detail).toContain('ZTO');

    const stray = await problem(
      t.api.post('/v1/enterprises').send(retailer({ carrierCode: 'ZTO' })),
      422,
    );
    expect(stray.type).toMatch(/carrier-code-not-allowed$/);

    const malformed = await problem(
      t.api.post('/v1/enterprises').send(retailer({ kinds: ['courier'], carrierCode: 'zto' })),
      400,
    );
    expect(malformed.errors?.map((e) => e.path)).toEqual(['carrierCode']);

    const courier = await create(
      retailer({ name: '中宁中通快递有限公司', kinds: ['courier'], carrierCode: 'ZTO' }),
    );
    expect(courier).toMatchObject({ kinds: ['courier'], carrierCode: 'ZTO' });

    // Dropping the courier kind while keeping the code is refused; clearing both is fine.
    const keepCode = await problem(
      t.api.patch(`/v1/enterprises/${courier.id}`).send({ kinds: ['warehouse_operator'] }),
      422,
    );
    expect(keepCode.type).toMatch(/carrier-code-not-allowed$/);
    const changed = await t.api
      .patch(`/v1/enterprises/${courier.id}`)
      .send({ kinds: ['warehouse_operator'], carrierCode: null })
      .expect(200);
    expect(changed.body).toMatchObject({
      kinds: ['warehouse_operator'],
      carrierCode: null,
      version: 2,
    });
  });

  it('allows an A-level rating only on a logistics enterprise', async () => {
    const refused = await problem(
      t.api.post('/v1/enterprises').send(retailer({ logisticsRating: '4A' })),
      422,
    );
    expect(refused.type).toMatch(/logistics-rating-not-allowed$/);
    expect(refused.detail).toContain("add 'logistics' to kinds");

    await problem(
      t.api.post('/v1/enterprises').send(retailer({ kinds: ['logistics'], logisticsRating: '6A' })),
      400,
    );

    const logistics = await create(
      retailer({ name: '宁夏物流有限公司', kinds: ['logistics'], logisticsRating: '4A' }),
    );
    expect(logistics.logisticsRating).toBe('4A');

    await problem(
      t.api.patch(`/v1/enterprises/${logistics.id}`).send({ kinds: ['warehouse_operator'] }),
      422,
    );
    const upgraded = await t.api
      .patch(`/v1/enterprises/${logistics.id}`)
      .send({ logisticsRating: '5A', taxRegisteredLocally: false })
      .expect(200);
    expect(upgraded.body).toMatchObject({
      logisticsRating: '5A',
      taxRegisteredLocally: false,
      version: 2,
    });

    // A PATCH that changes nothing publishes nothing.
    await t.api
      .patch(`/v1/enterprises/${logistics.id}`)
      .send({ logisticsRating: '5A' })
      .expect(200)
      .expect((response) => expect((response.body as EnterpriseChangedV1).version).toBe(2));
    expect((await outbox(logistics.id)).map((row) => row.payload.version)).toEqual([1, 2]);
  });

  it('registers only in an existing division at county level or finer', async () => {
    const missingCode = `${county}199000`;
    const missing = await problem(
      t.api.post('/v1/enterprises').send(retailer({ registeredDivisionCode: missingCode })),
      422,
    );
    expect(missing.type).toMatch(/division-not-found$/);
    expect(missing.detail).toContain(`PUT /v1/divisions/${missingCode}`);

    const coarse = await problem(
      t.api.post('/v1/enterprises').send(retailer({ registeredDivisionCode: CITY })),
      422,
    );
    expect(coarse.type).toMatch(/division-too-coarse$/);
    expect(coarse.detail).toContain('is a city');

    const atCounty = await create(retailer({ registeredDivisionCode: COUNTY }));
    const moved = await t.api
      .patch(`/v1/enterprises/${atCounty.id}`)
      .send({ registeredDivisionCode: OTHER_TOWN })
      .expect(200);
    expect(moved.body).toMatchObject({ registeredDivisionCode: OTHER_TOWN, version: 2 });
    await problem(
      t.api.patch(`/v1/enterprises/${atCounty.id}`).send({ registeredDivisionCode: PROVINCE }),
      422,
    );
  });

  it('keeps a dated status history that only grows forward', async () => {
    const enterprise = await create(retailer());
    const path = `/v1/enterprises/${enterprise.id}/status`;

    const suspended = await t.api
      .post(path)
      .send({ status: 'suspended', effectiveFrom: '2023-03-01' })
      .expect(200);
    expect(suspended.body).toMatchObject({
      status: 'suspended',
      statusHistory: [
        { status: 'active', effectiveFrom: '2019-04-12' },
        { status: 'suspended', effectiveFrom: '2023-03-01' },
      ],
      version: 2,
    });

    const again = await problem(
      t.api.post(path).send({ status: 'suspended', effectiveFrom: '2023-04-01' }),
      409,
    );
    expect(again.detail).toContain('already suspended (since 2023-03-01)');
    const backwards = await problem(
      t.api.post(path).send({ status: 'active', effectiveFrom: '2023-02-01' }),
      422,
    );
    expect(backwards.detail).toContain(
      'after the latest status change (suspended from 2023-03-01)',
    );
    const future = await problem(
      t.api.post(path).send({ status: 'active', effectiveFrom: '2999-01-01' }),
      422,
    );
    expect(future.type).toMatch(/date-in-future$/);
    // A day of the right shape that does not exist.
    await problem(t.api.post(path).send({ status: 'active', effectiveFrom: '2023-02-30' }), 422);

    await t.api.post(path).send({ status: 'active', effectiveFrom: '2023-06-01' }).expect(200);
    const gone = await t.api
      .post(path)
      .send({ status: 'deregistered', effectiveFrom: '2024-01-15' })
      .expect(200);
    expect((gone.body as EnterpriseChangedV1).statusHistory.map((e) => e.status)).toEqual([
      'active',
      'suspended',
      'active',
      'deregistered',
    ]);
    const final = await problem(
      t.api.post(path).send({ status: 'active', effectiveFrom: '2024-02-01' }),
      409,
    );
    expect(final.type).toMatch(/enterprise-deregistered$/);

    // One event per accepted change, with consecutive versions and the latest state.
    const rows = await outbox(enterprise.id);
    expect(rows.map((row) => [row.payload.version, row.payload.status])).toEqual([
      [1, 'active'],
      [2, 'suspended'],
      [3, 'active'],
      [4, 'deregistered'],
    ]);
  });

  it('records dated blacklist periods with reasons and lifts them', async () => {
    const enterprise = await create(retailer());
    const path = `/v1/enterprises/${enterprise.id}/blacklist`;
    const today = shanghaiDay();

    // A fixed-term listing in the past leaves the enterprise in good standing today.
    const past = await t.api
      .post(path)
      .send({ from: '2021-07-01', to: '2022-01-10', reason: '未按期公示年度报告' })
      .expect(201);
    expect(past.body).toMatchObject({
      creditStatus: 'good',
      blacklistPeriods: [{ from: '2021-07-01', to: '2022-01-10', reason: '未按期公示年度报告' }],
    });

    const overlapping = await problem(
      t.api.post(path).send({ from: '2021-12-01', reason: '重复' }),
      409,
    );
    expect(overlapping.detail).toContain('already blacklisted from 2021-07-01 until 2022-01-10');
    await problem(
      t.api.post(path).send({ from: '2023-05-01', to: '2023-05-01', reason: 'x' }),
      422,
    );
    await problem(t.api.post(path).send({ from: '2023-05-01' }), 400);

    const open = await t.api
      .post(path)
      .send({ from: '2024-03-01', reason: '列入严重违法失信名单：虚假宣传' })
      .expect(201);
    expect(open.body).toMatchObject({ creditStatus: 'blacklisted', version: 3 });
    expect((await outbox(enterprise.id)).at(-1)?.payload.creditStatus).toBe('blacklisted');

    const lifted = await t.api.post(`${path}/lift`).send({}).expect(200);
    expect(lifted.body).toMatchObject({
      creditStatus: 'good',
      blacklistPeriods: [
        { from: '2021-07-01', to: '2022-01-10' },
        { from: '2024-03-01', to: today, reason: '列入严重违法失信名单：虚假宣传' },
      ],
      version: 4,
    });
    const nothing = await problem(t.api.post(`${path}/lift`).send({}), 409);
    expect(nothing.type).toMatch(/not-blacklisted$/);
  });

  it('records demonstration designations once per level and year', async () => {
    const enterprise = await create(retailer());
    const path = `/v1/enterprises/${enterprise.id}/designations`;
    const added = await t.api
      .post(path)
      .send({ level: 'provincial', year: 2023, title: '自治区级电子商务示范企业' })
      .expect(201);
    await t.api.post(path).send({ level: 'national', year: 2022 }).expect(201);
    expect(added.body).toMatchObject({
      designations: [{ level: 'provincial', year: 2023, title: '自治区级电子商务示范企业' }],
    });
    const duplicate = await problem(
      t.api.post(path).send({ level: 'provincial', year: 2023 }),
      409,
    );
    expect(duplicate.detail).toContain('自治区级电子商务示范企业');
    await problem(t.api.post(path).send({ level: 'county', year: 2023 }), 400);
    await problem(t.api.post(path).send({ level: 'national', year: 2099 }), 422);
    const view = await t.api.get(`/v1/enterprises/${enterprise.id}`).expect(200);
    expect((view.body as EnterpriseChangedV1).designations).toEqual([
      { level: 'national', year: 2022, title: null },
      { level: 'provincial', year: 2023, title: '自治区级电子商务示范企业' },
    ]);
  });

  it('filters by kind, division prefix, status, designation and text, page by page', async () => {
    // A county of its own, so that earlier tests' enterprises stay out of the counts.
    const ownCounty = `${city}02`;
    const ownTown = `${ownCounty}101000`;
    await t.api.put(`/v1/divisions/${ownCounty}000000`).send({ name: '筛选县' });
    await t.api.put(`/v1/divisions/${ownTown}`).send({ name: '筛选镇' }).expect(201);

    const made: EnterpriseChangedV1[] = [];
    for (let i = 0; i < 7; i += 1) {
      made.push(
        await create(
          retailer({
            name: i === 3 ? '沙坡头100%_旗舰店' : `筛选企业${i}`,
            kinds: i % 2 === 0 ? ['courier'] : ['ecommerce_retailer'],
            carrierCode: i % 2 === 0 ? 'YTO' : undefined,
            registeredDivisionCode: i < 4 ? ownTown : `${ownCounty}000000`,
          }),
        ),
      );
    }
    await t.api
      .post(`/v1/enterprises/${made[1].id}/status`)
      .send({ status: 'suspended', effectiveFrom: '2024-01-01' })
      .expect(200);
    await t.api
      .post(`/v1/enterprises/${made[5].id}/designations`)
      .send({ level: 'municipal', year: 2021 })
      .expect(201);

    const ids = async (query: Record<string, string>): Promise<string[]> => {
      const response = await t.api
        .get('/v1/enterprises')
        .query({ divisionPrefix: ownCounty, ...query })
        .expect(200);
      return (response.body as { items: EnterpriseChangedV1[] }).items.map((e) => e.id).sort();
    };
    const sorted = (list: EnterpriseChangedV1[]) => list.map((e) => e.id).sort();

    expect(await ids({})).toEqual(sorted(made));
    expect(await ids({ kind: 'courier' })).toEqual(sorted(made.filter((_, i) => i % 2 === 0)));
    expect(await ids({ divisionPrefix: ownTown.slice(0, 9) })).toEqual(sorted(made.slice(0, 4)));
    expect(await ids({ status: 'suspended' })).toEqual([made[1].id]);
    expect(await ids({ designation: 'municipal' })).toEqual([made[5].id]);
    expect(await ids({ designation: 'municipal:2021' })).toEqual([made[5].id]);
    expect(await ids({ designation: 'any:2020' })).toEqual([]);
    expect(await ids({ q: '100%_' })).toEqual([made[3].id]);
    expect(await ids({ q: '筛选企业' })).toHaveLength(6);
    expect(await ids({ q: made[6].creditCode.slice(0, 17) })).toEqual([made[6].id]);
    await problem(t.api.get('/v1/enterprises').query({ kind: 'bank' }), 400);
    // The shape of a cursor that this endpoint did not issue.
    await problem(t.api.get('/v1/enterprises').query({ cursor: 'nonsense' }), 422);

    // Three pages of at most 3, in credit-code order, without gaps or repeats.
    const seen: EnterpriseChangedV1[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await t.api
        .get('/v1/enterprises')
        .query({ divisionPrefix: ownCounty, limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const page = response.body as { items: EnterpriseChangedV1[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((e) => e.creditCode)).toEqual(made.map((e) => e.creditCode).sort());
  });

  it('gives each (platform, shopId) to one enterprise at a time', async () => {
    const owner = await create(retailer());
    const other = await create(retailer());
    const shop = {
      platform: 'taobao',
      shopId: `57392${region.serial()}`,
      name: '宁安堡枸杞旗舰店',
    };

    const added = await t.api.post(`/v1/enterprises/${owner.id}/shops`).send(shop).expect(201);
    expect(added.body).toMatchObject({
      shops: [{ platform: 'taobao', shopId: shop.shopId, name: '宁安堡枸杞旗舰店' }],
      version: 2,
    });
    // The same registration again changes nothing.
    const again = await t.api.post(`/v1/enterprises/${owner.id}/shops`).send(shop).expect(200);
    expect((again.body as EnterpriseChangedV1).version).toBe(2);

    const taken = await problem(t.api.post(`/v1/enterprises/${other.id}/shops`).send(shop), 409);
    expect(taken.detail).toContain(owner.id);
    expect(taken.ownerEnterpriseId).toBe(owner.id);
    await problem(
      t.api.post(`/v1/enterprises/${other.id}/shops`).send({ ...shop, platform: 'Tao Bao' }),
      400,
    );

    const found = await t.api.get(`/v1/shops/taobao/${shop.shopId}`).expect(200);
    expect(found.body).toMatchObject({
      platform: 'taobao',
      shopId: shop.shopId,
      enterpriseId: owner.id,
      creditCode: owner.creditCode,
      registeredDivisionCode: TOWN,
    });

    const removed = await t.api
      .delete(`/v1/enterprises/${owner.id}/shops/taobao/${shop.shopId}`)
      .expect(200);
    expect(removed.body).toMatchObject({ shops: [], version: 3 });
    await problem(t.api.get(`/v1/shops/taobao/${shop.shopId}`), 404);
    await problem(t.api.delete(`/v1/enterprises/${owner.id}/shops/taobao/${shop.shopId}`), 404);
    await t.api.post(`/v1/enterprises/${other.id}/shops`).send(shop).expect(201);
    expect((await outbox(owner.id)).map((row) => row.payload.shops.length)).toEqual([0, 1, 0]);
  });

  it('refuses changes outside the acting official’s region', async () => {
    const service = t.registry.app.get(EnterprisesService);
    const outsider = { subject: 'official-1', regionPrefix: `${city}09` };
    const insider = { subject: 'official-2', regionPrefix: county };
    const body = retailer() as never;
    await expect(service.create(body, outsider)).rejects.toMatchObject({
      status: 403,
      problemType: 'outside-region',
    });
    const enterprise = await service.create(body, insider);
    await expect(
      service.changeStatus(
        enterprise.id,
        { status: 'suspended', effectiveFrom: '2024-01-01' },
        outsider,
      ),
    ).rejects.toMatchObject({ status: 403, problemType: 'outside-region' });
    await expect(
      service.update(enterprise.id, { registeredDivisionCode: `${city}09000000` }, insider),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('answers 403 outside-region over HTTP to an official registering outside their region', async () => {
    for (const [code, name] of [
      ['640000000000', '宁夏回族自治区'],
      ['640500000000', '中卫市'],
      ['640502000000', '沙坡头区'],
    ]) {
      await t.api.put(`/v1/divisions/${code}`).send({ name }).expect(201);
    }
    const official = t.registry.http(
      await t.registry.tokenFor({ roles: ['commerce'], regionPrefix: '370982' }),
    );
    const code = creditCode();
    const refused = await problem(
      official
        .post('/v1/enterprises')
        .send(retailer({ creditCode: code, registeredDivisionCode: '640502000000' })),
      403,
    );
    expect(refused.type).toMatch(/\/outside-region$/);
    expect(refused.detail).toContain('640502000000');
    expect(refused.detail).toContain('370982');
    await problem(t.api.get(`/v1/enterprises/by-credit-code/${code}`), 404);
  });

  it('answers unknown ids, malformed ids and unknown fields with problem+json', async () => {
    await problem(t.api.get('/v1/enterprises/0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20'), 404);
    await problem(t.api.get('/v1/enterprises/not-a-uuid'), 400);
    const unknown = await problem(
      t.api.post('/v1/enterprises').send(retailer({ founded: 1999 })),
      400,
    );
    expect(unknown.errors?.map((e) => e.path)).toEqual(['founded']);
    await problem(
      t.api.post('/v1/enterprises').send(retailer({ registeredOn: '2999-01-01' })),
      422,
    );
  });
});

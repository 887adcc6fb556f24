import { randomUUID } from 'node:crypto';
import {
  IndicatorCellChanged,
  TOPICS,
  indicatorCellKey,
  type IndicatorCellChangedV1,
} from '@ecomlog/contracts';
import { expectProblem, waitFor } from '@ecomlog/testing';
import { startAnalyticsApp, type AnalyticsTestApp } from './analytics-harness';
import * as fact from './fixtures';

interface Row {
  indicator: string;
  divisionCode: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  previousYearValue: number | null;
  yoy: number | null;
  rank: number | null;
  siblings: number | null;
  scope: string | null;
  target: { value: number; attainment: number | null; onTrack: boolean | null } | null;
  splits?: Record<string, Record<string, number>>;
}

/**
 * Known facts in, hand-computed indicators out: every indicator of SPEC 4.6 for a synthetic
 * county, through the real topics, consumers, aggregates and query API.
 */
describe('Indicators from known facts - /v1/analytics (GET)', () => {
  const r = fact.syntheticRegion();
  const hub = fact.operatingSite('county_sorting_center', r.K, ['ZTO', 'YTO'], '2023-01-01');
  const townStation = fact.operatingSite('town_service_station', r.T1, [], '2024-01-01');
  const villagePoint = fact.site(
    'village_service_point',
    r.V11,
    ['ZTO'],
    [
      { status: 'under_construction', effectiveFrom: '2024-01-15' },
      { status: 'operating', effectiveFrom: '2024-03-01' },
    ],
  );
  const pickupWithoutCarrier = fact.operatingSite('pickup_point', r.V21, [], '2024-01-01');
  const plannedPoint = fact.site(
    'village_service_point',
    r.V12,
    ['YTO'],
    [{ status: 'planned', effectiveFrom: '2024-01-01' }],
  );
  const e1 = fact.enterprise(r.V11, '2023-05-01', [
    { status: 'active', effectiveFrom: '2023-05-01' },
  ]);
  const e2 = fact.enterprise(r.T2, '2024-08-10', [
    { status: 'active', effectiveFrom: '2024-08-10' },
  ]);
  const e3 = fact.enterprise(r.T1, '2022-01-01', [
    { status: 'active', effectiveFrom: '2022-01-01' },
    { status: 'deregistered', effectiveFrom: '2024-06-01' },
  ]);
  const programId = randomUUID();
  const sourceId = randomUUID();
  const outside = '330106001001';
  let analytics: AnalyticsTestApp;

  const ask = async (
    query: Record<string, string | number>,
    region = r.P.slice(0, 2),
  ): Promise<Row[]> => {
    const response = await analytics
      .official(['viewer'], region)
      .get('/v1/analytics')
      .query(query)
      .expect(200);
    return (response.body as { rows: Row[] }).rows;
  };
  const one = async (
    dx: string,
    pe: string,
    ou: string,
    extra: Record<string, string | number> = {},
  ): Promise<Row> => {
    const rows = await ask({ dx, pe, ou, ...extra });
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  beforeAll(async () => {
    analytics = await startAnalyticsApp('indicators');
    await analytics.publish(fact.DivisionChanged, fact.divisionsOf(r));
    await analytics.publish(fact.SiteChanged, [
      hub,
      townStation,
      villagePoint,
      pickupWithoutCarrier,
      plannedPoint,
    ]);
    await analytics.publish(fact.EnterpriseChanged, [e1, e2, e3]);

    const paid1 = fact.orderFact('paid', {
      platform: 'taobao',
      at: '2024-08-01T10:00:00+08:00',
      sellerDivisionCode: r.V11,
      enterpriseId: e1.id,
      amountFen: 500_000,
      agriculturalAmountFen: 300_000,
    });
    await analytics.publish(fact.OrderFact, [
      paid1,
      paid1, // published twice (an outbox relay retry): counted once
      fact.orderFact('paid', {
        platform: 'jd',
        at: '2024-08-02T23:30:00+08:00',
        sellerDivisionCode: r.T2,
        enterpriseId: e2.id,
        amountFen: 200_000,
        agriculturalAmountFen: 0,
      }),
      fact.orderFact('refunded', {
        platform: 'taobao',
        orderNo: paid1.orderNo,
        at: '2024-08-03T12:00:00+08:00',
        sellerDivisionCode: r.V11,
        enterpriseId: e1.id,
        amountFen: 100_000,
        agriculturalAmountFen: 60_000,
      }),
      fact.orderFact('paid', {
        platform: 'taobao',
        at: '2023-08-15T12:00:00+08:00',
        sellerDivisionCode: r.V11,
        enterpriseId: e1.id,
        amountFen: 400_000,
        agriculturalAmountFen: 0,
      }),
      // 2024-07-31 17:00 UTC is 1 August in Shanghai.
      fact.orderFact('paid', {
        platform: 'pinduoduo',
        at: '2024-07-31T17:00:00Z',
        sellerDivisionCode: r.K2,
        amountFen: 100_000,
        agriculturalAmountFen: 100_000,
        shopId: 'shop-k2',
      }),
    ]);

    const p1 = { carrier: 'ZTO', waybillNo: `T${randomUUID().slice(0, 10)}1` };
    const p2 = { carrier: 'YTO', waybillNo: `T${randomUUID().slice(0, 10)}2` };
    const p3 = { carrier: 'ZTO', waybillNo: `T${randomUUID().slice(0, 10)}3` };
    const p4 = { carrier: 'ZTO', waybillNo: `T${randomUUID().slice(0, 10)}4` };
    const p4v1 = fact.parcelState({
      ...p4,
      status: 'picked_up',
      statusAt: '2024-08-02T10:00:00+08:00',
      pickedUpAt: '2024-08-02T10:00:00+08:00',
      originDivisionCode: outside,
      version: 1,
    });
    await analytics.publish(fact.ParcelStatusChanged, [
      // p1: outbound, its destination learnt only with the second state.
      fact.parcelState({
        ...p1,
        status: 'picked_up',
        statusAt: '2024-08-01T08:00:00+08:00',
        pickedUpAt: '2024-08-01T08:00:00+08:00',
        originDivisionCode: r.V11,
        version: 1,
      }),
      fact.parcelState({
        ...p1,
        status: 'in_transit',
        statusAt: '2024-08-01T12:00:00+08:00',
        pickedUpAt: '2024-08-01T08:00:00+08:00',
        originDivisionCode: r.V11,
        destinationDivisionCode: outside,
        version: 2,
      }),
      // p2: internal to K, sorted at the hub on 1 August, delivered after 24 h, jointly.
      fact.parcelState({
        ...p2,
        status: 'picked_up',
        statusAt: '2024-08-01T09:00:00+08:00',
        pickedUpAt: '2024-08-01T09:00:00+08:00',
        originDivisionCode: r.V12,
        destinationDivisionCode: r.V21,
        version: 1,
      }),
      fact.parcelState({
        ...p2,
        status: 'at_hub',
        statusAt: '2024-08-01T20:00:00+08:00',
        pickedUpAt: '2024-08-01T09:00:00+08:00',
        originDivisionCode: r.V12,
        destinationDivisionCode: r.V21,
        siteId: hub.id,
        version: 2,
      }),
      fact.parcelState({
        ...p2,
        status: 'delivered',
        statusAt: '2024-08-02T09:00:00+08:00',
        pickedUpAt: '2024-08-01T09:00:00+08:00',
        deliveredAt: '2024-08-02T09:00:00+08:00',
        originDivisionCode: r.V12,
        destinationDivisionCode: r.V21,
        jointlyDistributed: true,
        version: 3,
      }),
      // p3: inbound, hub on 1 August, delivered after 30 h.
      fact.parcelState({
        ...p3,
        status: 'at_hub',
        statusAt: '2024-08-01T22:00:00+08:00',
        pickedUpAt: '2024-08-01T10:00:00+08:00',
        originDivisionCode: outside,
        destinationDivisionCode: r.V11,
        siteId: hub.id,
        version: 2,
      }),
      fact.parcelState({
        ...p3,
        status: 'delivered',
        statusAt: '2024-08-02T16:00:00+08:00',
        pickedUpAt: '2024-08-01T10:00:00+08:00',
        deliveredAt: '2024-08-02T16:00:00+08:00',
        originDivisionCode: outside,
        destinationDivisionCode: r.V11,
        version: 3,
      }),
      // p4: inbound, delivered after 36 h, jointly; its first state arrives last and changes nothing.
      fact.parcelState({
        ...p4,
        status: 'delivered',
        statusAt: '2024-08-03T22:00:00+08:00',
        pickedUpAt: '2024-08-02T10:00:00+08:00',
        deliveredAt: '2024-08-03T22:00:00+08:00',
        originDivisionCode: outside,
        destinationDivisionCode: r.V21,
        jointlyDistributed: true,
        version: 3,
      }),
      p4v1,
    ]);

    await analytics.publish(fact.TrainingHeld, [
      fact.training(townStation.id, r.T1, '2024-08-05', 40),
      fact.training(pickupWithoutCarrier.id, r.V21, '2024-08-06', 25),
    ]);
    await analytics.publish(
      fact.FundsJournalPosted,
      fact.allocatedThenDisbursed(
        programId,
        sourceId,
        r.K,
        { amountFen: 10_000_000, postedAt: '2024-03-01T10:00:00+08:00' },
        { amountFen: 3_000_000, postedAt: '2024-08-01T10:00:00+08:00' },
      ),
    );
    await analytics.caughtUp();
  });

  afterAll(async () => {
    await analytics?.close();
  });

  it('网络零售额: paid − refunded by seller division and Shanghai day, with 同比, splits and rank', async () => {
    const county = await one('retail_sales', '202408', r.K);
    expect(county.value).toBe(600_000);
    expect(county.previousYearValue).toBe(400_000);
    expect(county.yoy).toBeCloseTo(0.5, 10);
    expect(county.splits?.platform).toEqual({ taobao: 400_000, jd: 200_000 });
    expect(county.splits?.agricultural).toEqual({ agricultural: 240_000, other: 360_000 });
    expect(county).toMatchObject({ rank: 1, siblings: 2 });

    const neighbour = await one('retail_sales', '20240801', r.K2);
    expect(neighbour).toMatchObject({
      value: 100_000,
      previousYearValue: 0,
      yoy: null,
      rank: 2,
      siblings: 2,
    });
    expect((await one('retail_sales_agricultural', '2024Q3', r.K)).value).toBe(240_000);
    // The city is the sum of its counties, by prefix.
    expect((await one('retail_sales', '2024', r.C)).value).toBe(700_000);
    expect((await one('retail_sales', '202408', r.K, { scope: 'platform:jd' })).value).toBe(
      200_000,
    );
  });

  it('头部企业: sellers at or above the threshold parameter', async () => {
    expect(
      (await one('enterprises_over_threshold', '202408', r.K, { threshold: 350_000 })).value,
    ).toBe(1);
    expect(
      (await one('enterprises_over_threshold', '202408', r.K, { threshold: 100_000 })).value,
    ).toBe(2);
    expect((await one('enterprises_over_threshold', '202408', r.K)).value).toBe(0); // default ¥10,000,000
  });

  it('网络零售企业数: active retailers at the period end, and the new ones of the period', async () => {
    expect((await one('retail_enterprises', '202405', r.K)).value).toBe(2); // e1, e3
    expect((await one('retail_enterprises', '202407', r.K)).value).toBe(1); // e3 deregistered in June
    expect((await one('retail_enterprises', '202408', r.K)).value).toBe(2); // e2 registered 10 August
    expect((await one('retail_enterprises_new', '2024', r.K)).value).toBe(1);
  });

  it('快递业务量 by origin with carrier and direction splits relative to the asked division', async () => {
    const county = await one('parcel_volume', '202408', r.K);
    expect(county.value).toBe(2);
    expect(county.splits?.carrier).toEqual({ ZTO: 1, YTO: 1 });
    expect(county.splits?.direction).toEqual({ outbound: 1, internal: 1, unknown: 0, inbound: 2 });
    // Seen from town T1 the parcel from V12 to V21 leaves the town.
    const town = await one('parcel_volume', '202408', r.T1);
    expect(town.splits?.direction).toEqual({ outbound: 2, internal: 0, unknown: 0, inbound: 1 });
  });

  it('派送量, 共配比例 (with numerator and denominator), 时效 p50/p90 and 日分拣量', async () => {
    expect((await one('parcels_delivered', '202408', r.K)).value).toBe(3);
    expect(await one('joint_distribution_share', '202408', r.K)).toMatchObject({
      numerator: 2,
      denominator: 3,
    });
    expect((await one('joint_distribution_share', '202408', r.K)).value).toBeCloseTo(2 / 3, 10);
    expect((await one('delivery_hours_p50', '202408', r.K)).value).toBe(30);
    expect((await one('delivery_hours_p90', '202408', r.K)).value).toBe(36);
    expect((await one('hub_sorted', '20240801', r.K)).value).toBe(2);
    expect((await one('hub_sorted', '20240802', r.K)).value).toBe(0);
  });

  describe('coverage ratios at the period end: 乡乡有网点, 村级服务点, 村村通快递', () => {
    it.each<[string, string, string, keyof typeof r, Partial<Row>]>([
      [
        'county',
        'town_station_coverage',
        '202406',
        'K',
        { value: 0.5, numerator: 1, denominator: 2 },
      ],
      ['county', 'village_point_coverage', '202406', 'K', { numerator: 1, denominator: 3 }],
      ['county', 'village_express_coverage', '202406', 'K', { numerator: 1, denominator: 3 }],
      [
        'county, before the village point opened on 1 March',
        'village_point_coverage',
        '202402',
        'K',
        { value: 0, numerator: 0, denominator: 3 },
      ],
      [
        'town T2',
        'town_station_coverage',
        '202406',
        'T2',
        { value: 0, numerator: 0, denominator: 1 },
      ],
    ])('%s: %s in %s', async (_where, dx, pe, ou, expected) => {
      expect(await one(dx, pe, r[ou])).toMatchObject(expected);
    });
  });

  it('培训人次 and 资金拨付 (disbursed, and the cumulative rate with numerator and denominator)', async () => {
    expect((await one('training_attendees', '202408', r.K)).value).toBe(65);
    expect((await one('training_attendees', '202408', r.T1)).value).toBe(40);
    expect((await one('funds_disbursed', '202408', r.K)).value).toBe(3_000_000);
    expect((await one('funds_allocated', '2024', r.K)).value).toBe(10_000_000);
    expect(await one('funds_disbursement_rate', '2024', r.K)).toMatchObject({
      value: 0.3,
      numerator: 3_000_000,
      denominator: 10_000_000,
    });
    expect((await one('funds_disbursement_rate', '202405', r.K)).value).toBe(0);
    expect(
      (await one('funds_disbursed', '202408', r.K, { scope: `program:${programId}` })).value,
    ).toBe(3_000_000);
  });

  it('a growth-path target: base × (1 + g)^years, attainment and on-track in the answer', async () => {
    await analytics
      .official(['commerce'], r.K.slice(0, 6))
      .put('/v1/targets')
      .send({
        indicator: 'retail_sales',
        divisionCode: r.K,
        period: '2024',
        growth: { baseValue: 400_000, basePeriod: '2022', annualGrowth: 0.12 },
      })
      .expect(200);
    const row = await one('retail_sales', '2024', r.K);
    expect(row.target?.value).toBeCloseTo(400_000 * 1.12 ** 2, 6); // 501,760
    expect(row.target?.attainment).toBeCloseTo(600_000 / 501_760, 10);
    expect(row.target?.onTrack).toBe(true);
    const attainment = await one('target_attainment', '2024', r.K);
    expect(attainment).toMatchObject({ scope: 'indicator:retail_sales', numerator: 600_000 });
    expect(attainment.denominator).toBeCloseTo(501_760, 6);
  });

  it('publishes changed cells on analytics.indicators.v1 with versions that only grow', async () => {
    const key = indicatorCellKey('parcel_volume', r.K, '202408');
    const cells: IndicatorCellChangedV1[] = [];
    await analytics.caughtUp();
    // Read the compacted topic from the start for this county's cells.
    const seen = await readIndicatorCells(analytics, r.K.slice(0, 6));
    cells.push(...seen);
    const versions = cells.filter(
      (c) => indicatorCellKey(c.indicator, c.divisionCode, c.period, c.scope) === key,
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(versions[versions.length - 1].value).toBe(2);
    expect(versions.map((c) => c.version)).toEqual(
      [...versions.map((c) => c.version)].sort((a, b) => a - b),
    );
    const sales = cells.filter(
      (c) =>
        c.indicator === 'retail_sales' &&
        c.divisionCode === r.K &&
        c.period === '202408' &&
        c.scope === null,
    );
    expect(sales[sales.length - 1].value).toBe(600_000);
    const enterpriseCells = cells.filter(
      (c) => c.scope === `enterprise:${e1.id}` && c.period === '2024',
    );
    expect(enterpriseCells[enterpriseCells.length - 1]?.value).toBe(500_000 - 100_000);
  });

  it('lists a division’s children with ranks', async () => {
    const rows = await ask({ dx: 'retail_sales', pe: '202408', ou: `${r.C}:children` });
    expect(rows.map((row) => [row.divisionCode, row.value, row.rank])).toEqual([
      [r.K, 600_000, 1],
      [r.K2, 100_000, 2],
    ]);
  });

  it('answers a county month from Redis the second time, and again from the data after a change', async () => {
    const query = { dx: 'retail_sales', pe: '202408', ou: r.K };
    const viewer = analytics.official(['viewer'], r.K.slice(0, 6));
    await viewer.get('/v1/analytics').query(query).expect(200);
    const second = await viewer.get('/v1/analytics').query(query).expect(200);
    expect(second.headers['cache-status']).toBe('analytics; hit');
    await analytics.publish(fact.OrderFact, [
      fact.orderFact('paid', {
        platform: 'jd',
        at: '2024-08-20T10:00:00+08:00',
        sellerDivisionCode: r.V21,
        amountFen: 1_000,
        agriculturalAmountFen: 0,
      }),
    ]);
    await waitFor('the new order in the cached answer', async () => {
      const third = await viewer.get('/v1/analytics').query(query).expect(200);
      return (third.body as { rows: Row[] }).rows[0].value === 601_000;
    });
  });

  it('answers 404 for a division it does not know, on the query and on targets', async () => {
    const nationwide = analytics.official(['commerce'], '');
    for (const ou of ['999999000000', '999999000000:children', `${r.K};999999000000:level:town`]) {
      const unknown = await nationwide
        .get('/v1/analytics')
        .query({ dx: 'retail_sales', pe: '2024', ou })
        .expect(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.body).toMatchObject({
        type: 'https://ecomlog.cn/problems/division-not-found',
        divisionCodes: ['999999000000'],
      });
      expect((unknown.body as { detail: string }).detail).toMatch(
        /^Division 999999000000 is not known to analytics .*import or create it in the registry first/,
      );
    }
    const target = await nationwide
      .put('/v1/targets')
      .send({ indicator: 'retail_sales', divisionCode: '999999000000', period: '2025', value: 1 })
      .expect(422);
    expect(target.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/division-not-found',
      divisionCode: '999999000000',
    });
    expect((target.body as { detail: string }).detail).toContain(
      'divisionCode 999999000000 is not a division known to analytics',
    );
    const stored = await nationwide
      .get('/v1/targets')
      .query({ divisionCode: '999999000000' })
      .expect(200);
    expect(stored.body).toEqual({ items: [] });
  });

  it('refuses divisions outside the official region and malformed queries with problems', async () => {
    const refused = (region: string, query: Record<string, string>, status: number) =>
      expectProblem(
        analytics.official(['viewer'], region).get('/v1/analytics').query(query),
        status,
      );
    await refused('33', { dx: 'retail_sales', pe: '2024', ou: r.K }, 403);
    const bad = await refused('', { dx: 'retail_sale', pe: '2024', ou: r.K }, 400);
    expect(bad.detail).toContain('retail_sale');
    // The shape of a month, but no 13th month: the query matches the document, a rule refuses it.
    const badPeriod = await refused('', { dx: 'retail_sales', pe: '202413', ou: r.K }, 422);
    expect(badPeriod.detail).toContain('202413');
  });
});

/** Every IndicatorCellChanged on the topic for divisions under `prefix`, in topic order. */
export async function readIndicatorCells(
  app: AnalyticsTestApp,
  prefix: string,
): Promise<IndicatorCellChangedV1[]> {
  const cells: IndicatorCellChangedV1[] = [];
  const offsets = await app.kafka.withAdmin((admin) =>
    admin.fetchTopicOffsets(TOPICS.analyticsIndicators.name),
  );
  const remaining = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  const consumer = await app.kafka.runConsumer({
    groupId: `it-read-cells-${randomUUID()}`,
    topics: [TOPICS.analyticsIndicators.name],
    partitionsConsumedConcurrently: 6,
    onBatch: async (batch) => {
      for (const record of batch.records) {
        if (record.headers.ce_type !== IndicatorCellChanged.type || !record.value) continue;
        const cell = JSON.parse(record.value.toString('utf8')) as IndicatorCellChangedV1;
        if (cell.divisionCode.startsWith(prefix)) cells.push(cell);
        if (BigInt(record.offset) + 1n >= (remaining.get(batch.partition) ?? 0n))
          remaining.delete(batch.partition);
      }
      if (batch.records.length > 0)
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
      await Promise.resolve();
    },
  });
  for (const o of offsets) if (BigInt(o.high) === BigInt(o.low)) remaining.delete(o.partition);
  await waitFor('the indicator topic read to its end', async () => remaining.size === 0, {
    timeoutMs: 60_000,
  });
  await consumer.stop();
  return cells;
}

import { randomUUID } from 'node:crypto';
import {
  CREDIT_CODE_ALPHABET,
  DivisionChanged,
  EnterpriseChanged,
  OrderFact,
  creditCodeCheckCharacter,
  type DivisionChangedV1,
  type DivisionLevel,
  type EnterpriseChangedV1,
  type OrderFactV1,
} from '@ecomlog/contracts';
import { publishEvents } from '@ecomlog/messaging';
import { divisionState, enterpriseState, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { startParcelsApp, type ParcelsTestApp } from './parcels-harness';

interface OrderResultBody {
  index: number;
  orderKey: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'retry-later';
  change?: string;
  revision?: number;
  storedRevision?: number;
  facts?: string[];
  reason?: string;
  problems?: { path: string; message: string }[];
}

interface ReportBody {
  accepted: number;
  duplicates: number;
  rejected: number;
  retryLater: number;
  results: OrderResultBody[];
}

// Platform codes of this run only: the enterprise topic is shared with other runs.
const run = uniqueSuffix()
  .toLowerCase()
  .replace(/[^a-z0-9]/g, '');
const PLATFORM = `tb${run}`;
const OTHER_PLATFORM = `jd${run}`;
// Synthetic divisions of this run (province 9x, city 50–99): the divisions topic is shared too.
const random2 = (from: number): string =>
  String(from + Math.floor(Math.random() * (100 - from))).padStart(2, '0');
const CITY = `9${Math.floor(Math.random() * 10)}${random2(50)}`;
const COUNTY = `${CITY}${random2(1)}`;
/** A town: the seller enterprise's registered division. */
const SELLER_DIVISION = `${COUNTY}100000`;
const SELLER_VILLAGE = `${COUNTY}100201`;
/** The next county of the same city: known, but not the seller's. */
const OTHER_COUNTY = `${CITY}${COUNTY.slice(4) === '99' ? '98' : '99'}`;
const OTHER_COUNTY_TOWN = `${OTHER_COUNTY}100000`;
const BUYER_COUNTY = OTHER_COUNTY;
const BUYER_DIVISION = `${OTHER_COUNTY}000000`;

function division(
  code: string,
  level: DivisionLevel,
  parentCode: string | null,
): DivisionChangedV1 {
  return divisionState(code, `测试${level}${code}`, level, parentCode);
}

const DIVISIONS: DivisionChangedV1[] = [
  division(`${CITY.slice(0, 2)}0000000000`, 'province', null),
  division(`${CITY}00000000`, 'city', `${CITY.slice(0, 2)}0000000000`),
  division(`${COUNTY}000000`, 'county', `${CITY}00000000`),
  division(SELLER_DIVISION, 'town', `${COUNTY}000000`),
  division(SELLER_VILLAGE, 'village', SELLER_DIVISION),
  division(`${OTHER_COUNTY}000000`, 'county', `${CITY}00000000`),
  division(OTHER_COUNTY_TOWN, 'town', `${OTHER_COUNTY}000000`),
];

let serial = 0;
function creditCode(): string {
  serial += 1;
  const body = `MA${String(Date.now() % 1_000_000).padStart(6, '0')}${CREDIT_CODE_ALPHABET[serial % 31]}`;
  const first17 = `93${COUNTY}${body}`.slice(0, 17);
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

function enterpriseEvent(
  id: string,
  code: string,
  version: number,
  shops: { platform: string; shopId: string; name: string }[],
): EnterpriseChangedV1 {
  return enterpriseState({
    id,
    creditCode: code,
    name: '中宁县宁安堡枸杞种植专业合作社',
    kinds: ['cooperative', 'ecommerce_retailer'],
    registeredDivisionCode: SELLER_DIVISION,
    shops,
    version,
    changedAt: `2024-08-0${version}T10:15:00+08:00`,
  });
}

function order(orderNo: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    platform: PLATFORM,
    orderNo,
    revision: 1,
    shopId: 'shop-1',
    sellerDivisionCode: SELLER_DIVISION,
    buyerDivisionCode: BUYER_DIVISION,
    placedAt: '2024-08-01T20:30:00+08:00',
    amountFen: 15800,
    items: [
      {
        sku: 'GQ-500',
        name: '中宁枸杞 特级 500g',
        category: '枸杞',
        quantity: 2,
        amountFen: 12800,
        agricultural: true,
      },
      {
        sku: 'BOX-1',
        name: '礼盒包装',
        category: '包装',
        quantity: 1,
        amountFen: 3000,
        agricultural: false,
      },
    ],
    waybills: [],
    status: 'placed',
    ...overrides,
  };
}

describe('parcels order intake on the real broker and database', () => {
  let parcels: ParcelsTestApp;
  const enterpriseId = randomUUID();
  const enterpriseCode = creditCode();

  async function publishEnterprises(payloads: EnterpriseChangedV1[]): Promise<void> {
    await publishEvents(parcels.kafka, EnterpriseChanged, payloads, 'registry');
  }

  async function knownDivisions(codes: string[]): Promise<number> {
    const [row] = await parcels.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM known_division WHERE code = ANY($1::char(12)[])',
      [codes],
    );
    return row.n;
  }

  /**
   * Posts once the registry read models have caught up: other runs write the shared registry
   * topics at the same time, so "caught up" is waited for, not assumed. The probe can never be
   * accepted (an unregistered seller; a known shop with an unknown buyer division), so waiting
   * stores nothing; the post right after it reuses the probe's cached freshness answer.
   */
  async function postSettled(orders: object[]): Promise<ReportBody> {
    const probe = [
      order(`PROBE-${run}-1`, { shopId: undefined, sellerCreditCode: creditCode() }),
      order(`PROBE-${run}-2`, {
        shopId: undefined,
        sellerCreditCode: enterpriseCode,
        buyerDivisionCode: '999999000000',
      }),
    ];
    await waitFor(
      'the registry read models to catch up',
      async () => ((await post(probe)).retryLater === 0 ? true : undefined),
      { timeoutMs: 60000, intervalMs: 300 },
    );
    return post(orders);
  }

  async function shopsOf(id: string): Promise<string[]> {
    const rows = await parcels.dataSource.query<{ platform: string; shop_id: string }[]>(
      'SELECT platform, shop_id FROM known_shop WHERE enterprise_id = $1 ORDER BY platform, shop_id',
      [id],
    );
    return rows.map((r) => `${r.platform}/${r.shop_id}`);
  }

  async function facts(orderNo: string): Promise<OrderFactV1[]> {
    const rows = await parcels.dataSource.query<{ payload: OrderFactV1 }[]>(
      `SELECT payload FROM outbox_event WHERE topic = $1 AND message_key = $2 ORDER BY sequence`,
      [OrderFact.topic.name, `${PLATFORM}:${orderNo}`],
    );
    return rows.map((r) => r.payload);
  }

  async function stored(orderNo: string) {
    const [row] = await parcels.dataSource.query<
      { revision: number; status: string; amount_fen: string; refunded_amount_fen: string }[]
    >(
      'SELECT revision, status, amount_fen, refunded_amount_fen FROM sales_order WHERE platform = $1 AND order_no = $2',
      [PLATFORM, orderNo],
    );
    return row;
  }

  async function post(orders: object[], platform = PLATFORM): Promise<ReportBody> {
    const response = await parcels.platform(platform).post('/v1/orders').send({ orders });
    expect(response.status).toBe(200);
    return response.body as ReportBody;
  }

  beforeAll(async () => {
    parcels = await startParcelsApp('orders');
    await publishEvents(parcels.kafka, DivisionChanged, DIVISIONS, 'registry');
    await waitFor(
      'the divisions learned from DivisionChanged',
      async () =>
        (await knownDivisions(DIVISIONS.map((d) => d.code))) === DIVISIONS.length
          ? true
          : undefined,
      { timeoutMs: 60000 },
    );
    await publishEnterprises([
      enterpriseEvent(enterpriseId, enterpriseCode, 1, [
        { platform: PLATFORM, shopId: 'shop-1', name: '宁安堡枸杞旗舰店' },
        { platform: OTHER_PLATFORM, shopId: 'shop-9', name: '宁安堡京东店' },
      ]),
    ]);
    await waitFor(
      'the shops learned from EnterpriseChanged',
      async () => ((await shopsOf(enterpriseId)).length === 2 ? true : undefined),
      { timeoutMs: 60000 },
    );
  });

  afterAll(async () => {
    await parcels.close();
  });

  it('answers every item of a batch on its own', async () => {
    const report = await postSettled([
      order('A-1'),
      order('A-2', { shopId: 'no-such-shop' }),
      order('A-3', { shopId: undefined, sellerCreditCode: '93640521MA76L6QK0X' }),
      order('A-4', { platform: OTHER_PLATFORM, shopId: 'shop-9' }),
      order('A-5', { amountFen: 15900 }),
      order('A-6', { shopId: undefined, sellerCreditCode: enterpriseCode }),
      order('A-7', { amountFen: 158.5 }),
      order('A-8', { shopId: 'shop-9' }), // a shop of this enterprise, but on another platform
    ]);
    expect(report).toMatchObject({ accepted: 2, duplicates: 0, rejected: 6, retryLater: 0 });
    const [valid, unknownShop, badCode, otherPlatform, sum, byCode, decimal, wrongPlatformShop] =
      report.results;
    expect(valid).toMatchObject({
      index: 0,
      orderKey: `${PLATFORM}:A-1`,
      outcome: 'accepted',
      change: 'created',
      facts: [],
    });
    expect(unknownShop.outcome).toBe('rejected');
    expect(unknownShop.reason).toMatch(/^unknown-shop: /);
    expect(unknownShop.reason).toContain(`platform ${PLATFORM} has no shop no-such-shop`);
    expect(unknownShop.problems).toEqual([{ path: 'shopId', message: expect.any(String) }]);
    expect(badCode.outcome).toBe('rejected');
    expect(badCode.problems?.[0].path).toBe('sellerCreditCode');
    expect(badCode.reason).toMatch(/check character/i);
    expect(otherPlatform.outcome).toBe('rejected');
    expect(otherPlatform.reason).toMatch(/^other-platform: .*may not post orders of jd/);
    expect(sum.outcome).toBe('rejected');
    expect(sum.problems).toEqual([
      { path: 'amountFen', message: expect.stringContaining('sum of items[].amountFen (15800)') },
    ]);
    expect(byCode).toMatchObject({ outcome: 'accepted', change: 'created' });
    expect(decimal.outcome).toBe('rejected');
    expect(decimal.problems?.map((p) => p.path)).toContain('amountFen');
    expect(wrongPlatformShop.outcome).toBe('rejected');
    expect(wrongPlatformShop.reason).toContain('unknown-shop');

    const rows = await parcels.dataSource.query<{ order_no: string; enterprise_id: string }[]>(
      'SELECT order_no, enterprise_id FROM sales_order WHERE platform = ANY($1) ORDER BY order_no',
      [[PLATFORM, OTHER_PLATFORM]],
    );
    expect(rows).toEqual([
      { order_no: 'A-1', enterprise_id: enterpriseId },
      { order_no: 'A-6', enterprise_id: enterpriseId },
    ]);
  });

  it('replaces an order with higher revisions, emitting each fact exactly once', async () => {
    const no = `B-${run}`;
    expect((await post([order(no)])).results[0]).toMatchObject({ outcome: 'accepted', facts: [] });

    const paid = await post([
      order(no, { revision: 2, status: 'paid', paidAt: '2024-08-01T20:31:05+08:00' }),
    ]);
    expect(paid.results[0]).toMatchObject({
      outcome: 'accepted',
      change: 'replaced',
      facts: [`${PLATFORM}:${no}:paid`],
    });

    const refunded = await post([
      order(no, {
        revision: 4,
        status: 'partially_refunded',
        paidAt: '2024-08-01T12:31:05Z', // the same instant, another offset
        refundedAt: '2024-08-03T09:00:00+08:00',
        refundedAmountFen: 3000,
        waybills: [{ carrier: 'ZTO', waybillNo: `7310${run}` }],
      }),
    ]);
    expect(refunded.results[0]).toMatchObject({
      outcome: 'accepted',
      facts: [`${PLATFORM}:${no}:refund:3000`, `${PLATFORM}:${no}:shipped:r4`],
    });

    const emitted = await facts(no);
    expect(emitted).toHaveLength(3);
    expect(emitted[0]).toMatchObject({
      kind: 'paid',
      at: '2024-08-01T20:31:05+08:00',
      amountFen: 15800,
      agriculturalAmountFen: 12800,
      sellerDivisionCode: SELLER_DIVISION,
      enterpriseId,
      shopId: 'shop-1',
      revision: 2,
    });
    expect(emitted[0].categories).toEqual([
      { category: '枸杞', amountFen: 12800, agriculturalAmountFen: 12800 },
      { category: '包装', amountFen: 3000, agriculturalAmountFen: 0 },
    ]);
    expect(emitted[1]).toMatchObject({
      kind: 'refunded',
      at: '2024-08-03T09:00:00+08:00',
      amountFen: 3000,
      agriculturalAmountFen: Math.floor((3000 * 12800) / 15800),
      revision: 4,
    });
    expect(emitted[2]).toMatchObject({
      kind: 'shipped',
      waybills: [{ carrier: 'ZTO', waybillNo: `7310${run}` }],
    });
    // Retail sales from the facts alone: Σ paid − Σ refunded.
    const sales = emitted.reduce(
      (sum, f) =>
        sum + (f.kind === 'paid' ? f.amountFen : f.kind === 'refunded' ? -f.amountFen : 0),
      0,
    );
    expect(sales).toBe(12800);

    // Lower and equal revisions: duplicates that change nothing and emit nothing.
    const stale = await post([
      order(no, {
        revision: 3,
        status: 'refunded',
        paidAt: '2024-08-01T20:31:05+08:00',
        refundedAt: '2024-08-04T09:00:00+08:00',
        refundedAmountFen: 15800,
      }),
      order(no, { revision: 4, status: 'cancelled' }),
      order(no, {
        revision: 1,
        amountFen: 1,
        items: [
          { sku: 'X', name: 'x', category: 'x', quantity: 1, amountFen: 1, agricultural: false },
        ],
      }),
    ]);
    expect(stale).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });
    expect(stale.results.map((r) => r.storedRevision)).toEqual([4, 4, 4]);
    expect(await stored(no)).toEqual({
      revision: 4,
      status: 'partially_refunded',
      amount_fen: '15800',
      refunded_amount_fen: '3000',
    });
    expect(await facts(no)).toHaveLength(3);

    // The rest of the refund: one more fact with the delta; the agricultural part adds up exactly.
    const full = await post([
      order(no, {
        revision: 5,
        status: 'refunded',
        paidAt: '2024-08-01T20:31:05+08:00',
        refundedAt: '2024-08-05T09:00:00+08:00',
        refundedAmountFen: 15800,
        waybills: [{ carrier: 'ZTO', waybillNo: `7310${run}` }],
      }),
    ]);
    expect(full.results[0].facts).toEqual([`${PLATFORM}:${no}:refund:15800`]);
    const all = await facts(no);
    const refunds = all.filter((f) => f.kind === 'refunded');
    expect(refunds.map((f) => f.amountFen)).toEqual([3000, 12800]);
    expect(refunds.reduce((s, f) => s + f.agriculturalAmountFen, 0)).toBe(12800);
  });

  it('refuses to rewrite what a paid fact reported, and refunds that shrink', async () => {
    const no = `C-${run}`;
    const paidAt = '2024-08-01T20:31:05+08:00';
    await post([order(no, { status: 'paid', paidAt })]);
    const report = await post([
      order(no, { revision: 2, status: 'paid', paidAt: '2024-08-02T08:00:00+08:00' }),
      order(no, {
        revision: 3,
        status: 'paid',
        paidAt,
        amountFen: 12800,
        items: [(order(no).items as object[])[0]],
      }),
      order(no, {
        revision: 4,
        status: 'paid',
        paidAt,
        refundedAmountFen: 100,
        refundedAt: paidAt,
      }),
      order(no, { revision: 5, status: 'paid', paidAt, refundedAmountFen: 50, refundedAt: paidAt }),
    ]);
    expect(report.results.map((r) => r.outcome)).toEqual([
      'rejected',
      'rejected',
      'accepted',
      'rejected',
    ]);
    expect(report.results[0].reason).toMatch(/^paid-order-changed: .*paidAt cannot change/);
    expect(report.results[1].reason).toMatch(/paid amount cannot change/);
    expect(report.results[3].reason).toMatch(/^refund-decreased/);
    expect((await stored(no))?.revision).toBe(4);
    expect((await facts(no)).map((f) => f.factId)).toEqual([
      `${PLATFORM}:${no}:paid`,
      `${PLATFORM}:${no}:refund:100`,
    ]);
  });

  it('follows the registry: shops replaced by a newer enterprise version, older versions ignored', async () => {
    await publishEnterprises([
      enterpriseEvent(enterpriseId, enterpriseCode, 2, [
        { platform: PLATFORM, shopId: 'shop-2', name: '宁安堡枸杞新店' },
      ]),
    ]);
    await waitFor('the shops of version 2', async () =>
      (await shopsOf(enterpriseId)).join() === `${PLATFORM}/shop-2` ? true : undefined,
    );
    await publishEnterprises([
      enterpriseEvent(enterpriseId, enterpriseCode, 1, [
        { platform: PLATFORM, shopId: 'shop-1', name: '宁安堡枸杞旗舰店' },
      ]),
    ]);
    const report = await post([order(`D-${run}`, { shopId: 'shop-2' })]);
    expect(report.results[0].outcome).toBe('accepted');
    // The replayed version 1 must not bring shop-1 back; give the consumer time to see it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await shopsOf(enterpriseId)).toEqual([`${PLATFORM}/shop-2`]);
    const old = await postSettled([order(`E-${run}`, { shopId: 'shop-1' })]);
    expect(old.results[0].reason).toContain('unknown-shop');
  });

  it('guards the door and the order view by platform and region', async () => {
    const tooMany = await parcels
      .platform(PLATFORM)
      .post('/v1/orders')
      .send({ orders: Array.from({ length: 1001 }, (_, i) => order(`F-${i}`)) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.get('content-type')).toMatch(/application\/problem\+json/);
    await parcels
      .official(['admin'], '')
      .post('/v1/orders')
      .send({ orders: [order('G')] })
      .expect(403);
    await parcels
      .courier('ZTO')
      .post('/v1/orders')
      .send({ orders: [order('G')] })
      .expect(403);

    const no = `H-${run}`;
    const waybillNo = `7311${run}`;
    // By credit code: the shops changed in the test before.
    const placed = await post([
      order(no, {
        shopId: undefined,
        sellerCreditCode: enterpriseCode,
        status: 'shipped',
        paidAt: '2024-08-01T20:31:05+08:00',
        waybills: [{ carrier: 'ZTO', waybillNo }],
      }),
    ]);
    expect(placed.results[0].outcome).toBe('accepted');
    const own = await parcels.platform(PLATFORM).get(`/v1/orders/${PLATFORM}/${no}`).expect(200);
    expect(own.body).toMatchObject({
      revision: 1,
      enterpriseId,
      waybills: [{ carrier: 'ZTO', waybillNo }],
      order: { orderNo: no, status: 'shipped' },
    });
    await parcels.platform(OTHER_PLATFORM).get(`/v1/orders/${PLATFORM}/${no}`).expect(403);
    await parcels.official(['viewer'], COUNTY).get(`/v1/orders/${PLATFORM}/${no}`).expect(200);
    await parcels
      .official(['viewer'], BUYER_COUNTY)
      .get(`/v1/orders/${PLATFORM}/${no}`)
      .expect(404);
    const linked = await parcels
      .official(['postal'], COUNTY)
      .get(`/v1/parcels/ZTO/${waybillNo}/orders`)
      .expect(200);
    expect(linked.body).toEqual({
      carrier: 'ZTO',
      waybillNo,
      orders: [{ platform: PLATFORM, orderNo: no, revision: 1, status: 'shipped' }],
    });
    const foreign = await parcels
      .platform(OTHER_PLATFORM)
      .get(`/v1/parcels/ZTO/${waybillNo}/orders`)
      .expect(200);
    expect(foreign.body).toMatchObject({ orders: [] });
  });

  describe('records only what the registry vouches for (SPEC 10.1)', () => {
    const paidAt = '2024-08-01T20:31:05+08:00';
    const paid = (no: string, overrides: Record<string, unknown> = {}) =>
      order(no, {
        shopId: undefined,
        sellerCreditCode: enterpriseCode,
        status: 'paid',
        paidAt,
        ...overrides,
      });

    /** Nothing stored and nothing emitted for these orders: counted nowhere. */
    async function countedNowhere(orderNos: string[]): Promise<void> {
      const keys = orderNos.map((no) => `${PLATFORM}:${no}`);
      const emitted = await parcels.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM outbox_event WHERE topic = $1 AND message_key = ANY($2::text[])',
        [OrderFact.topic.name, keys],
      );
      expect(emitted[0].n).toBe(0);
      const rows = await parcels.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM sales_order WHERE platform = $1 AND order_no = ANY($2::text[])',
        [PLATFORM, orderNos],
      );
      expect(rows[0].n).toBe(0);
    }

    it('refuses an unregistered seller, unknown divisions and another county, item by item', async () => {
      const unregistered = creditCode();
      const no = (n: number) => `V-${run}-${n}`;
      const report = await postSettled([
        paid(no(1), { sellerCreditCode: unregistered }),
        paid(no(2), { buyerDivisionCode: '999999000000' }),
        paid(no(3), { sellerDivisionCode: OTHER_COUNTY_TOWN }),
        paid(no(4), { sellerDivisionCode: '999999000000' }),
        // Inside the seller's town by its code, but no such village exists.
        paid(no(5), { sellerDivisionCode: `${SELLER_DIVISION.slice(0, 9)}999` }),
        paid(no(6), { sellerDivisionCode: SELLER_VILLAGE }),
        paid(no(7), { sellerDivisionCode: undefined }),
      ]);
      expect(report).toMatchObject({ accepted: 2, duplicates: 0, rejected: 5, retryLater: 0 });
      const [seller, buyer, county, nowhere, village, inside, omitted] = report.results;
      expect(seller).toMatchObject({
        outcome: 'rejected',
        problems: [{ path: 'sellerCreditCode', message: expect.any(String) }],
      });
      expect(seller.reason).toBe(
        `unknown-seller: no enterprise with credit code ${unregistered} is registered; register the seller in the registry (POST /v1/enterprises) and post the order again`,
      );
      expect(buyer).toMatchObject({
        outcome: 'rejected',
        problems: [{ path: 'buyerDivisionCode', message: 'unknown division 999999000000' }],
      });
      expect(buyer.reason).toMatch(
        /^unknown-division: buyerDivisionCode 999999000000 is not a division of the registry/,
      );
      expect(county).toMatchObject({
        outcome: 'rejected',
        problems: [{ path: 'sellerDivisionCode', message: expect.any(String) }],
      });
      expect(county.reason).toBe(
        `seller-division-mismatch: seller 中宁县宁安堡枸杞种植专业合作社 is registered in division ${SELLER_DIVISION}, and ${OTHER_COUNTY_TOWN} does not lie inside it (its code must start with ${SELLER_DIVISION.slice(0, 9)}); send the division the seller sells from, or omit sellerDivisionCode to use the registered one`,
      );
      // Outside the registered division before anything else.
      expect(nowhere.reason).toMatch(/^seller-division-mismatch: /);
      expect(village.reason).toMatch(/^unknown-division: sellerDivisionCode /);
      expect(inside).toMatchObject({ outcome: 'accepted', facts: [`${PLATFORM}:${no(6)}:paid`] });
      expect(omitted).toMatchObject({ outcome: 'accepted', facts: [`${PLATFORM}:${no(7)}:paid`] });

      await countedNowhere([no(1), no(2), no(3), no(4), no(5)]);
      // The omitted division is the registry's: in the stored order and in its paid fact.
      const [fact] = await facts(no(7));
      expect(fact).toMatchObject({
        kind: 'paid',
        sellerDivisionCode: SELLER_DIVISION,
        enterpriseId,
      });
      const view = await parcels
        .platform(PLATFORM)
        .get(`/v1/orders/${PLATFORM}/${no(7)}`)
        .expect(200);
      expect(view.body.order).toMatchObject({ sellerDivisionCode: SELLER_DIVISION });
      expect((await facts(no(6)))[0].sellerDivisionCode).toBe(SELLER_VILLAGE);
    });

    it('answers retry-later while the enterprises read model is behind, and accepts once it caught up', async () => {
      const id = randomUUID();
      const code = creditCode();
      const no = `W-${run}`;
      // Hold the read model back for real: while this transaction holds SHARE on known_enterprise,
      // the consumer's INSERT waits, so the new enterprise's offset is not stored.
      const blocker = parcels.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      try {
        await blocker.query('LOCK TABLE known_enterprise IN SHARE MODE');
        await publishEnterprises([enterpriseEvent(id, code, 1, [])]);
        // Past the freshness cache of any earlier post.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const early = await post([paid(no, { sellerCreditCode: code })]);
        expect(early).toMatchObject({ accepted: 0, rejected: 0, retryLater: 1 });
        expect(early.results[0]).toMatchObject({
          outcome: 'retry-later',
          problems: [{ path: 'sellerCreditCode', message: expect.any(String) }],
        });
        expect(early.results[0].reason).toMatch(
          new RegExp(
            `^retry-later: seller ${code} is not in this service's copy of the registry yet`,
          ),
        );
        await countedNowhere([no]);
      } finally {
        await blocker.commitTransaction();
        await blocker.release();
      }
      // The same post again, once the enterprise arrived: accepted and counted once.
      const later = await waitFor('the new seller to be accepted', async () => {
        const report = await post([paid(no, { sellerCreditCode: code })]);
        return report.accepted === 1 ? report : undefined;
      });
      expect(later.results[0]).toMatchObject({
        outcome: 'accepted',
        facts: [`${PLATFORM}:${no}:paid`],
      });
      expect((await facts(no)).map((f) => f.enterpriseId)).toEqual([id]);
    });
  });
});

import 'reflect-metadata';
import {
  ORDER_NO_PATTERN,
  ScanV1,
  TIMESTAMP_WITH_OFFSET,
  describeProblems,
  validatePayload,
} from '@ecomlog/contracts';
import {
  CARRIER_SCAN_CODES,
  createRandom,
  historyOrdersForDay,
  inboundLifecycle,
  ordersOnDay,
  outboundLifecycle,
  paidOrder,
  refundedRevision,
  shanghaiDay,
  shanghaiTime,
  shippedRevision,
  waybillNo,
  type DemoOrder,
  type DemoWorld,
  type PlannedScan,
} from './generators';

const SITE = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small county: two towns, four villages (one without a point), two sellers. */
const world: DemoWorld = {
  county: { code: '370982000000', name: '测试县' },
  carriers: ['ZTO', 'YTO', 'STO', 'YUNDA', 'JD'].map((code, i) => ({
    code,
    enterpriseId: SITE(100 + i),
  })),
  platforms: ['taobao', 'jd'],
  sortingCentreSiteId: SITE(1),
  countyCentreSiteId: SITE(2),
  jointDistributionOperatorId: SITE(3),
  towns: [
    { code: '370982101000', name: '甲镇', stationSiteId: SITE(10), pickupSiteIds: [SITE(11)] },
    { code: '370982102000', name: '乙镇', stationSiteId: null, pickupSiteIds: [] },
  ],
  villages: [
    { code: '370982101201', name: '一村村委会', townCode: '370982101000', pointSiteId: SITE(20) },
    { code: '370982101202', name: '二村村委会', townCode: '370982101000', pointSiteId: null },
    { code: '370982102201', name: '三村村委会', townCode: '370982102000', pointSiteId: SITE(21) },
    { code: '370982102202', name: '四村村委会', townCode: '370982102000', pointSiteId: SITE(22) },
  ],
  retailers: [
    {
      enterpriseId: SITE(200),
      name: '甲镇果品电子商务有限公司',
      creditCode: '91370982MA00000000',
      divisionCode: '370982101000',
      agricultural: true,
      shops: [{ platform: 'taobao', shopId: '3709820000' }],
    },
    {
      enterpriseId: SITE(201),
      name: '乙镇家纺电子商务有限公司',
      creditCode: '91370982MA00000001',
      divisionCode: '370982102201',
      agricultural: false,
      shops: [{ platform: 'jd', shopId: '3709820010' }],
    },
  ],
};

const NOW = Date.parse('2026-11-22T12:00:00+08:00');

function lifecycles(count: number, seed = 7, compression = 1000): PlannedScan[][] {
  const rnd = createRandom(seed);
  return Array.from({ length: count }, (_, i) =>
    (i % 3 === 0 ? outboundLifecycle : inboundLifecycle)(world, rnd, {
      startAt: NOW,
      timeCompression: compression,
      serial: 1_000_000_000_000 + i,
    }),
  );
}

/** What each carrier's status table in apps/parcels knows, for the codes used here. */
function expectValidScan(scan: ScanV1): void {
  const check = validatePayload(ScanV1, scan, 'produce');
  if (!check.ok) throw new Error(`${JSON.stringify(scan)}: ${describeProblems(check.problems)}`);
}

describe('scan lifecycles', () => {
  it('are valid ScanV1 payloads, in the carrier’s own codes, keyed by one waybill each', () => {
    for (const scans of lifecycles(300)) {
      expect(scans.length).toBeGreaterThanOrEqual(2);
      const { carrier, waybillNo: waybill } = scans[0].scan;
      for (const { scan } of scans) {
        expectValidScan(scan);
        expect(scan.carrier).toBe(carrier);
        expect(scan.waybillNo).toBe(waybill);
        expect(Object.values(CARRIER_SCAN_CODES[carrier])).toContain(scan.status);
      }
      expect(new Set(scans.map((s) => s.scan.scanId)).size).toBe(scans.length);
    }
  });

  it('move forward in time, and a compressed lifecycle finishes within minutes', () => {
    for (const scans of lifecycles(200)) {
      for (let i = 1; i < scans.length; i += 1) {
        expect(scans[i].dueAt).toBeGreaterThanOrEqual(scans[i - 1].dueAt);
        expect(Date.parse(scans[i].scan.occurredAt)).toBe(Math.floor(scans[i].dueAt / 1000) * 1000);
      }
      expect(scans[scans.length - 1].dueAt - NOW).toBeLessThan(6 * 60_000);
    }
  });

  it('take real hours uncompressed (history backfill)', () => {
    const spans = lifecycles(100, 3, 1).map((s) => s[s.length - 1].dueAt - s[0].dueAt);
    const longest = Math.max(...spans);
    expect(longest).toBeGreaterThan(24 * 3_600_000);
  });

  it('deliver inbound parcels to villages: some through the joint-distribution operator, never to a village without a point by site', () => {
    const rnd = createRandom(11);
    const delivered = Array.from({ length: 500 }, (_, i) =>
      inboundLifecycle(world, rnd, { startAt: NOW, timeCompression: 1000, serial: i }),
    )
      .map((scans) => scans[scans.length - 1].scan)
      .filter((scan) => ['签收', 'SIGNED', 'SIGN', '妥投'].includes(scan.status));
    expect(delivered.length).toBeGreaterThan(300);
    const joint = delivered.filter((s) => s.handoverTo === world.jointDistributionOperatorId);
    expect(joint.length / delivered.length).toBeGreaterThan(0.2);
    expect(joint.length / delivered.length).toBeLessThan(0.6);
    for (const scan of delivered.filter((s) => s.destination === '370982101202')) {
      expect(scan.siteId === null || world.towns[0].pickupSiteIds.includes(scan.siteId ?? '')).toBe(
        true,
      );
    }
    for (const scan of delivered) expect(scan.origin?.startsWith('370982')).toBe(false);
  });

  it('send outbound parcels from the seller’s division through the county sorting centre', () => {
    const rnd = createRandom(5);
    const scans = outboundLifecycle(world, rnd, {
      startAt: NOW,
      timeCompression: 1000,
      serial: 1,
      seller: world.retailers[1],
    });
    expect(scans[0].scan.origin).toBe('370982102201');
    expect(scans.some((s) => s.scan.siteId === world.sortingCentreSiteId)).toBe(true);
    expect(scans[0].scan.destination?.startsWith('370982')).toBe(false);
  });

  it('are the same stream for the same seed', () => {
    expect(lifecycles(20, 42)).toEqual(lifecycles(20, 42));
  });
});

describe('waybill numbers', () => {
  it('have each carrier’s shape and differ between live (1…) and history (2…) serials', () => {
    expect(waybillNo('ZTO', 1_000_000_000_123)).toBe('781000000000123');
    expect(waybillNo('YTO', 2_000_000_000_000)).toBe('YT2000000000000');
    expect(waybillNo('JD', 5)).toBe('JDX0000000000005');
  });
});

describe('orders', () => {
  function expectValidOrder(order: DemoOrder): void {
    expect(order.orderNo).toMatch(ORDER_NO_PATTERN);
    expect(order.amountFen).toBe(order.items.reduce((sum, item) => sum + item.amountFen, 0));
    for (const item of order.items) {
      expect(Number.isInteger(item.amountFen)).toBe(true);
      expect(item.amountFen).toBeGreaterThan(0);
    }
    for (const at of [order.placedAt, order.paidAt, order.shippedAt, order.refundedAt]) {
      if (at !== undefined) expect(at).toMatch(TIMESTAMP_WITH_OFFSET);
    }
    const refunded = order.refundedAmountFen ?? 0;
    expect(refunded).toBeLessThanOrEqual(order.amountFen);
    expect(refunded > 0).toBe(order.refundedAt !== undefined);
    const shop = world.retailers.find((r) =>
      r.shops.some((s) => s.platform === order.platform && s.shopId === order.shopId),
    );
    expect(shop?.divisionCode).toBe(order.sellerDivisionCode);
  }

  it('are paid, then shipped with a waybill, then refunded, each a higher revision', () => {
    const rnd = createRandom(9);
    const paid = paidOrder(world, rnd, { placedAt: NOW, orderNo: 'L370982-1' });
    expectValidOrder(paid);
    expect(paid.status).toBe('paid');
    const shipped = shippedRevision(paid, NOW + 3_600_000, {
      carrier: 'ZTO',
      waybillNo: '78123456789',
    });
    expect(shipped).toMatchObject({ revision: 2, status: 'shipped' });
    expect(shipped.waybills).toEqual([{ carrier: 'ZTO', waybillNo: '78123456789' }]);
    const refunded = refundedRevision(shipped, NOW + 7_200_000, false);
    expectValidOrder(refunded);
    expect(refunded).toMatchObject({
      revision: 3,
      status: 'refunded',
      refundedAmountFen: paid.amountFen,
    });
  });

  it('backfill a day deterministically, only what happened before now', () => {
    const day = shanghaiDay(NOW);
    const orders = historyOrdersForDay(world, day, 40, NOW);
    expect(orders).toEqual(historyOrdersForDay(world, day, 40, NOW));
    for (const order of orders) {
      expectValidOrder(order);
      expect(Date.parse(order.paidAt ?? '')).toBeLessThan(NOW);
    }
    const later = historyOrdersForDay(world, day, 40, NOW + 10 * 3_600_000);
    expect(later.length).toBeGreaterThan(orders.length);
    // The orders known at noon are the same ones (same numbers and amounts) in the evening.
    const evening = new Map(later.map((o) => [o.orderNo, o.amountFen]));
    for (const order of orders) expect(evening.get(order.orderNo)).toBe(order.amountFen);
    const yesterday = historyOrdersForDay(world, shanghaiDay(NOW - 86_400_000), 40, NOW);
    expect(yesterday.filter((o) => o.refundedAmountFen).length).toBeLessThan(yesterday.length / 4);
    // Shipping takes up to 30 hours: two days back, every order has left.
    const earlier = historyOrdersForDay(world, shanghaiDay(NOW - 2 * 86_400_000), 40, NOW);
    expect(earlier.every((o) => o.status !== 'paid')).toBe(true);
  });

  it('peak on 11 November and grow year on year', () => {
    expect(ordersOnDay('2026-11-11', 40, NOW)).toBeGreaterThan(
      3 * ordersOnDay('2026-10-14', 40, NOW),
    );
    expect(ordersOnDay('2026-10-14', 40, NOW)).toBeGreaterThan(ordersOnDay('2025-10-15', 40, NOW));
  });
});

describe('time formatting', () => {
  it('writes Asia/Shanghai wall time with its offset', () => {
    expect(shanghaiTime(Date.parse('2026-01-01T00:00:00Z'))).toBe('2026-01-01T08:00:00+08:00');
    expect(shanghaiDay(Date.parse('2026-01-01T17:00:00Z'))).toBe('2026-01-02');
  });
});

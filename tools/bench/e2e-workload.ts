/**
 * The end-to-end benchmark's workload: a synthetic county (province 9x, so no real division and
 * no demo county is touched) with towns, villages and sellers, scan lifecycles of five couriers
 * (inbound to the villages and outbound from the sellers) and paid orders of three platforms
 * (some refunded later), drawn with the demo generators. Pure: no I/O; the expected indicator
 * cells are computed from exactly what will be sent.
 */
import { randomUUID } from 'node:crypto';
import type { ScanV1 } from '@ecomlog/contracts';
import { demoCreditCode } from '../demo/county-plan';
import {
  CARRIER_SCAN_CODES,
  DEMO_CARRIER_CODES,
  OUTSIDE_DIVISIONS,
  between,
  inboundLifecycle,
  outboundLifecycle,
  paidOrder,
  pick,
  refundedRevision,
  shanghaiDay,
  type DemoOrder,
  type DemoWorld,
  type PlannedScan,
  type Random,
} from '../demo/generators';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const BENCH_PLATFORMS = ['taobao', 'pinduoduo', 'douyin'] as const;

export interface BenchCounty {
  /** 12-digit codes. */
  province: string;
  city: string;
  county: string;
  /** The county's 6-digit prefix: every home cell starts with it. */
  prefix: string;
  /** 2-digit prefix of a second synthetic province standing in for "the rest of China". */
  outsidePrefix: string;
  /** Stand-ins for the demo's real sender/receiver districts (same order as OUTSIDE_DIVISIONS). */
  outside: string[];
  /** A county of the outside province kept out of every expected cell (warm-up traffic). */
  warmUp: string;
}

/** Province 9x (no real province starts with 9), city 50–99, county 01–99, all random. */
export function syntheticCounty(rnd: Random = Math.random): BenchCounty {
  const homeDigit = Math.floor(rnd() * 10);
  const outsideDigit = (homeDigit + 1 + Math.floor(rnd() * 9)) % 10;
  const two = (from: number): string =>
    String(from + Math.floor(rnd() * (100 - from))).padStart(2, '0');
  const prefix = `9${homeDigit}${two(50)}${two(1)}`;
  const outsidePrefix = `9${outsideDigit}`;
  const outsideCity = two(50).slice(0, 1); // 5–9: ten cities x0–x9 below
  return {
    province: `${prefix.slice(0, 2)}0000000000`,
    city: `${prefix.slice(0, 4)}00000000`,
    county: `${prefix}000000`,
    prefix,
    outsidePrefix,
    outside: OUTSIDE_DIVISIONS.map((_, i) => `${outsidePrefix}${outsideCity}${i}01000000`),
    warmUp: `${outsidePrefix}${outsideCity}099000000`,
  };
}

export interface BenchWorld extends DemoWorld {
  retailers: (DemoWorld['retailers'][number] & { creditCode: string })[];
  /** The county's stand-ins for the demo's real outside districts (BenchCounty.outside). */
  outside: string[];
}

/** 10 towns × 12 villages, 80 sellers with shops on one or two of the bench platforms. */
export function benchWorld(county: BenchCounty, rnd: Random): BenchWorld {
  const towns = Array.from({ length: 10 }, (_, t) => ({
    code: `${county.prefix}${101 + t}000`,
    name: `镇${t + 1}`,
    stationSiteId: randomUUID(),
    pickupSiteIds: [randomUUID()],
  }));
  const villages = towns.flatMap((town) =>
    Array.from({ length: 12 }, (_, v) => ({
      code: `${town.code.slice(0, 9)}${200 + v}`,
      name: `${town.name}村${v + 1}`,
      townCode: town.code,
      pointSiteId: rnd() < 0.85 ? randomUUID() : null,
    })),
  );
  const retailers = Array.from({ length: 80 }, (_, n) => {
    const first = pick(rnd, BENCH_PLATFORMS);
    const platforms = rnd() < 0.4 ? [first, pick(rnd, BENCH_PLATFORMS)] : [first];
    return {
      enterpriseId: randomUUID(),
      name: `卖家${n + 1}`,
      creditCode: demoCreditCode(county.county, `bench-seller-${n}`, '1'),
      divisionCode: pick(rnd, villages).code,
      agricultural: n % 2 === 0,
      shops: [...new Set(platforms)].map((platform) => ({ platform, shopId: `S${n}` })),
    };
  });
  return {
    county: { code: county.county, name: '基准测试县' },
    carriers: DEMO_CARRIER_CODES.map((code) => ({ code, enterpriseId: randomUUID() })),
    platforms: [...BENCH_PLATFORMS],
    sortingCentreSiteId: randomUUID(),
    countyCentreSiteId: randomUUID(),
    jointDistributionOperatorId: randomUUID(),
    towns,
    villages,
    retailers,
    outside: county.outside,
  };
}

/** One scan message as produced: key = waybill number, value = the courier's JSON. */
export interface BenchScan {
  key: string;
  value: string;
  /** Set on the first copy of a parcel's first pickup scan: the cells it will raise. */
  pickupCell?: string;
}

export interface ScanWorkload {
  scans: BenchScan[];
  parcels: number;
  distinct: number;
  /** parcel_volume day cells (county and town level) → expected value. */
  expected: Map<string, number>;
}

export const dayLabel = (day: string): string => day.replaceAll('-', '');

/** The town cell of a town or village, else the division's county cell: the finest one published. */
export function finestPublished(code: string): string {
  return /^\d{9}(?!000)\d{3}$|^\d{6}(?!000)\d{3}000$/.test(code)
    ? `${code.slice(0, 9)}000`
    : `${code.slice(0, 6)}000000`;
}

/**
 * `parcels` lifecycles (60% inbound to the villages, 40% outbound from the sellers) started over
 * the last ~3.5 days in real time, cut at `now` (parcels still under way send only what has
 * happened), with 3% of scans sent twice; produced in event-time order.
 */
export function scanWorkload(
  world: BenchWorld,
  county: BenchCounty,
  parcels: number,
  now: number,
  rnd: Random,
): ScanWorkload {
  const toSynthetic = new Map<string, string>(
    OUTSIDE_DIVISIONS.map((code, i) => [code, county.outside[i]]),
  );
  const remap = (code: string | null | undefined): string | null =>
    code ? (toSynthetic.get(code) ?? code) : null;
  // Unique waybills per run: the serial's high digits come from the clock.
  const serialBase = (Math.floor(now / 1000) % 10_000_000) * 1_000_000;
  const planned: { at: number; order: number; scan: ScanV1; pickup: boolean }[] = [];
  let distinct = 0;
  let order = 0;
  for (let i = 0; i < parcels; i += 1) {
    const options = {
      startAt: now - between(rnd, 1, 84) * HOUR,
      timeCompression: 1,
      serial: serialBase + i,
    };
    const lifecycle: PlannedScan[] =
      rnd() < 0.6 ? inboundLifecycle(world, rnd, options) : outboundLifecycle(world, rnd, options);
    let pickupSeen = false;
    for (const { dueAt, scan } of lifecycle) {
      if (dueAt > now - MINUTE) break; // not happened yet
      scan.origin = remap(scan.origin);
      scan.destination = remap(scan.destination);
      scan.divisionCode = remap(scan.divisionCode);
      const pickup: boolean =
        !pickupSeen && CARRIER_SCAN_CODES[scan.carrier]?.picked_up === scan.status;
      pickupSeen ||= pickup;
      distinct += 1;
      planned.push({ at: dueAt, order: (order += 1), scan, pickup });
      if (rnd() < 0.03)
        planned.push({ at: dueAt + rnd() * HOUR, order: (order += 1), scan, pickup: false });
    }
  }
  planned.sort((a, b) => a.at - b.at || a.order - b.order);

  const expected = new Map<string, number>();
  const count = (key: string): void => {
    expected.set(key, (expected.get(key) ?? 0) + 1);
  };
  const scans = planned.map(({ scan, pickup }): BenchScan => {
    const message: BenchScan = { key: scan.waybillNo, value: JSON.stringify(scan) };
    if (pickup && scan.origin) {
      const day = dayLabel(shanghaiDay(Date.parse(scan.occurredAt)));
      const finest = finestPublished(scan.origin);
      const countyCode = `${scan.origin.slice(0, 6)}000000`;
      message.pickupCell = `parcel_volume|${finest}|${day}`;
      count(message.pickupCell);
      if (finest !== countyCode) count(`parcel_volume|${countyCode}|${day}`);
    }
    return message;
  });
  return { scans, parcels, distinct, expected };
}

/** One POST /v1/orders item of a platform: the seller named by credit code (no registry shops). */
export type BenchOrderInput = Omit<DemoOrder, 'shopId'> & { sellerCreditCode: string };

export interface OrderWorkload {
  /** Per platform, the requests in the order they must be posted (a refund after its order). */
  requests: Map<string, BenchOrderInput[][]>;
  orders: number;
  revisions: number;
  /** retail_sales day cells (county and town) → expected fen. */
  expected: Map<string, number>;
}

/**
 * `orders` paid orders of the county's sellers, paid over the last ~40 hours; 6% refunded (60% of
 * those partly) by a second revision posted a few requests later. Requests of `perRequest`.
 */
export function orderWorkload(
  world: BenchWorld,
  orders: number,
  run: string,
  now: number,
  rnd: Random,
  perRequest = 100,
): OrderWorkload {
  const expected = new Map<string, number>();
  const add = (division: string, at: string | undefined, fen: number): void => {
    const day = dayLabel(shanghaiDay(Date.parse(at ?? '')));
    for (const code of [`${division.slice(0, 9)}000`, `${division.slice(0, 6)}000000`]) {
      const key = `retail_sales|${code}|${day}`;
      expected.set(key, (expected.get(key) ?? 0) + fen);
    }
  };
  const byPlatform = new Map<string, { first: BenchOrderInput[]; refunds: BenchOrderInput[][] }>();
  let revisions = 0;
  for (let n = 0; n < orders; n += 1) {
    const seller = pick(rnd, world.retailers);
    const placedAt = now - between(rnd, 0.5, 40) * HOUR;
    const demo = paidOrder(world, rnd, {
      placedAt,
      orderNo: `BENCH-${run}-${n}`,
      seller,
    });
    const { shopId: _shop, ...rest } = demo;
    // Buyers in the synthetic rest of China the run registers, never in real districts.
    const outside = OUTSIDE_DIVISIONS.indexOf(
      rest.buyerDivisionCode as (typeof OUTSIDE_DIVISIONS)[number],
    );
    const input: BenchOrderInput = {
      ...rest,
      buyerDivisionCode: outside >= 0 ? world.outside[outside] : rest.buyerDivisionCode,
      sellerCreditCode: seller.creditCode,
    };
    add(input.sellerDivisionCode, input.paidAt, input.amountFen);
    const lists = byPlatform.get(input.platform) ?? { first: [], refunds: [] };
    byPlatform.set(input.platform, lists);
    lists.first.push(input);
    revisions += 1;
    if (rnd() < 0.06) {
      const paidAt = Date.parse(input.paidAt ?? '');
      const refundAt = paidAt + rnd() * Math.max(0, now - MINUTE - paidAt);
      const refund = refundedRevision(
        input as unknown as DemoOrder, // only its money fields are read; the rest is copied
        refundAt,
        rnd() < 0.6,
      ) as unknown as BenchOrderInput;
      add(refund.sellerDivisionCode, refund.refundedAt, -(refund.refundedAmountFen ?? 0));
      // Posted three requests after the one carrying revision 1.
      const slot = Math.floor((lists.first.length - 1) / perRequest) + 3;
      (lists.refunds[slot] ??= []).push(refund);
      revisions += 1;
    }
  }
  const requests = new Map<string, BenchOrderInput[][]>();
  for (const [platform, { first, refunds }] of byPlatform) {
    const list: BenchOrderInput[][] = [];
    const slots = Math.max(Math.ceil(first.length / perRequest), refunds.length);
    for (let slot = 0; slot < slots; slot += 1) {
      const batch = [...first.slice(slot * perRequest, (slot + 1) * perRequest)];
      batch.push(...(refunds[slot] ?? []));
      if (batch.length > 0) list.push(batch);
    }
    requests.set(platform, list);
  }
  return { requests, orders, revisions, expected };
}

export function requestCount(workload: OrderWorkload): number {
  return [...workload.requests.values()].reduce((sum, list) => sum + list.length, 0);
}

import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter } from '@ecomlog/contracts';
import { seededRandom } from '@ecomlog/testing';

/**
 * A known stream of courier scans and platform orders for one synthetic county, and the indicator
 * totals it must produce, computed here from the generated input alone (never by platform code):
 * parcel_volume = distinct parcels picked up, by origin division and Asia/Shanghai pickup day;
 * parcels_delivered = distinct parcels delivered, by destination division and delivery day;
 * retail_sales = Σ paid − Σ newly refunded fen, by seller division and each fact's own day.
 */

export type Indicator = 'parcel_volume' | 'parcels_delivered' | 'retail_sales';
export const STREAM_INDICATORS: Indicator[] = [
  'parcel_volume',
  'parcels_delivered',
  'retail_sales',
];

export interface ScanMessage {
  /** When to produce it, in ms after the stream starts. */
  dueMs: number;
  waybillNo: string;
  value: Record<string, unknown>;
}

export interface OrderPost {
  dueMs: number;
  order: Record<string, unknown>;
}

export interface CrashStream {
  seed: number;
  county: string;
  countyCode: string;
  towns: string[];
  /** The county's villages (where the sellers are) and the outside villages (buyers, parcels). */
  villages: string[];
  outside: string[];
  /** One seller enterprise per village, to be registered in the registry (SPEC 10.1). */
  sellers: { creditCode: string; divisionCode: string }[];
  platform: string;
  scans: ScanMessage[];
  orders: OrderPost[];
  /** Day periods (YYYYMMDD) that carry facts, the month (YYYYMM), quarter and year. */
  days: string[];
  month: string;
  quarter: string;
  year: string;
  /** Expected value of `indicator|divisionCode|period`, for the county and its towns, 0 if absent. */
  expected: Map<string, number>;
  counts: { parcels: number; scanMessages: number; orderPosts: number; orders: number };
}

const HOUR = 3_600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR;

/** The Asia/Shanghai calendar day (UTC+8, no daylight saving) of an instant, as YYYYMMDD. */
export function shanghaiDayLabel(epochMs: number): string {
  return new Date(epochMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** An instant written with +08:00, or in UTC with Z (both are valid ISO 8601 with an offset). */
function isoAt(epochMs: number, utc: boolean): string {
  if (utc) return new Date(epochMs).toISOString().replace('.000Z', 'Z');
  return `${new Date(epochMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export function cellKey(indicator: Indicator, divisionCode: string, period: string): string {
  return `${indicator}|${divisionCode}|${period}`;
}

export interface StreamOptions {
  seed: number;
  /** 6-digit county prefix (synthetic, province 9x). */
  county: string;
  /** Another synthetic county: origin or destination of parcels that cross the county border. */
  elsewhere: string;
  /** Lower-case tag of the run, used in waybill numbers, order numbers and the platform code. */
  run: string;
  parcels: number;
  orders: number;
  streamMs: number;
  /** First day of facts (Asia/Shanghai midnight, epoch ms); facts span four days from it. */
  firstDayMs: number;
}

export function generateCrashStream(options: StreamOptions): CrashStream {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (from: number, to: number): number => from + Math.floor(random() * (to - from));
  const { county, elsewhere, run, firstDayMs, streamMs } = options;
  const towns = Array.from({ length: 4 }, (_, t) => `${county}${101 + t}000`);
  const villages = towns.flatMap((town) =>
    Array.from({ length: 8 }, (_, v) => `${town.slice(0, 9)}${200 + v}`),
  );
  const outside = Array.from({ length: 6 }, (_, v) => `${elsewhere}101${200 + v}`);
  const expected = new Map<string, number>();
  const divisionsOf = (code: string): string[] =>
    code.startsWith(county) ? [`${county}000000`, `${code.slice(0, 9)}000`] : [];
  const days = new Set<string>();
  const count = (indicator: Indicator, code: string, epochMs: number, amount: number): void => {
    const day = shanghaiDayLabel(epochMs);
    days.add(day);
    for (const division of divisionsOf(code)) {
      for (const period of [day, day.slice(0, 6)]) {
        const key = cellKey(indicator, division, period);
        expected.set(key, (expected.get(key) ?? 0) + amount);
      }
    }
  };

  // Parcels: complete lifecycles (some still under way), each scan at an event time over four
  // days. Stages follow each other by hours, so many cross midnight (Asia/Shanghai).
  type Stage = 'pickup' | 'hub' | 'out' | 'delivered';
  interface Scan {
    at: number;
    waybillNo: string;
    value: Record<string, unknown>;
  }
  const scans: Scan[] = [];
  const statusCode: Record<string, Record<Stage, string>> = {
    ZTO: { pickup: '收件', hub: '到件', out: '派件', delivered: '签收' },
    YTO: { pickup: 'kuaidi100:1', hub: 'at_hub', out: 'kuaidi100:5', delivered: 'kuaidi100:3' },
    STO: { pickup: 'picked_up', hub: 'at_hub', out: 'out_for_delivery', delivered: 'delivered' },
  };
  for (let i = 0; i < options.parcels; i += 1) {
    const carrier = pick(['ZTO', 'YTO', 'STO']);
    const waybillNo = `CR${run.toUpperCase()}${String(i).padStart(5, '0')}`;
    // 60% both ends in the county, 20% outbound, 20% inbound.
    const shape = random();
    const origin = shape < 0.8 ? pick(villages) : pick(outside);
    const destination = shape < 0.6 || shape >= 0.8 ? pick(villages) : pick(outside);
    const pickupAt = firstDayMs + between(6 * HOUR, 3 * 24 * HOUR);
    const stages: [Stage, number, string][] = [['pickup', pickupAt, origin]];
    const hubAt = pickupAt + between(1 * HOUR, 8 * HOUR);
    stages.push(['hub', hubAt, `${(random() < 0.5 ? origin : destination).slice(0, 9)}000`]);
    const outAt = hubAt + between(2 * HOUR, 14 * HOUR);
    const deliveredAt = outAt + between(1 * HOUR, 6 * HOUR);
    const progress = random();
    if (progress > 0.05) stages.push(['out', outAt, destination]);
    if (progress > 0.12) stages.push(['delivered', deliveredAt, destination]);
    stages.forEach(([stage, at, where], n) => {
      scans.push({
        at,
        waybillNo,
        value: {
          scanId: `${waybillNo}-${n + 1}`,
          carrier,
          waybillNo,
          status: statusCode[carrier][stage],
          // Every fifth scan is written in UTC: the day must still be the Asia/Shanghai one.
          occurredAt: isoAt(at, random() < 0.2),
          divisionCode: where,
          origin,
          destination,
          weightGrams: between(100, 20000),
        },
      });
    });
    if (origin.startsWith(county)) count('parcel_volume', origin, pickupAt, 1);
    if (progress > 0.12 && destination.startsWith(county))
      count('parcels_delivered', destination, deliveredAt, 1);
  }

  // Produced in event-time order over the stream, as couriers would; then disorder on purpose.
  scans.sort((a, b) => a.at - b.at);
  const messages: ScanMessage[] = scans.map((scan, n) => ({
    dueMs: Math.floor((n / scans.length) * streamMs),
    waybillNo: scan.waybillNo,
    value: scan.value,
  }));
  const duplicates: ScanMessage[] = [];
  for (const message of messages) {
    const roll = random();
    if (roll < 0.03) {
      // The same scan sent again later (a courier's retry).
      duplicates.push({ ...message, dueMs: between(message.dueMs, streamMs) });
    } else if (roll < 0.04) {
      // The same status at the same instant under another scan id, written with the other offset.
      const at = Date.parse(message.value.occurredAt as string);
      duplicates.push({
        ...message,
        dueMs: between(message.dueMs, streamMs),
        value: {
          ...message.value,
          scanId: `${message.value.scanId as string}-again`,
          occurredAt: isoAt(at, !(message.value.occurredAt as string).endsWith('Z')),
        },
      });
    }
  }
  // 5% of parcels: two of their scans arrive swapped (a late scan overtakes an earlier one).
  const byWaybill = new Map<string, ScanMessage[]>();
  for (const message of messages)
    byWaybill.set(message.waybillNo, [...(byWaybill.get(message.waybillNo) ?? []), message]);
  for (const own of byWaybill.values()) {
    if (own.length >= 2 && random() < 0.05) {
      const [a, b] = [own[own.length - 2], own[own.length - 1]];
      [a.dueMs, b.dueMs] = [b.dueMs, a.dueMs];
    }
  }
  const allScans = [...messages, ...duplicates].sort((a, b) => a.dueMs - b.dueMs);

  // Orders of one platform: paid, some placed first and paid in a later revision, some refunded
  // in part and then further (cumulative), some never paid; a few revisions posted twice.
  const platform = `cr${run}`.slice(0, 32);
  const posts: OrderPost[] = [];
  // One registered seller per village: the order door takes only registered enterprises.
  const sellers = villages.map((divisionCode, serial) => {
    const body = `MA${String(serial + 1).padStart(6, '0')}${CREDIT_CODE_ALPHABET[(serial + 1) % 31]}`;
    const first17 = `93${divisionCode.slice(0, 6)}${body}`.slice(0, 17);
    return { creditCode: `${first17}${creditCodeCheckCharacter(first17)}`, divisionCode };
  });
  const creditCode = (division: string): string =>
    sellers.find((seller) => seller.divisionCode === division)?.creditCode ?? '';
  for (let i = 0; i < options.orders; i += 1) {
    const seller = pick(villages);
    const items = Array.from({ length: between(1, 4) }, (_, n) => ({
      sku: `SKU-${n}`,
      name: n === 0 ? '枸杞 500g' : '礼盒',
      category: n === 0 ? '枸杞' : '包装',
      quantity: between(1, 4),
      amountFen: between(100, 30000),
      agricultural: n === 0,
    }));
    const amountFen = items.reduce((sum, item) => sum + item.amountFen, 0);
    const placedAt = firstDayMs + between(1 * HOUR, 3 * 24 * HOUR);
    const paidAt = placedAt + between(60_000, 6 * HOUR);
    const base = {
      platform,
      orderNo: `${run}-${i}`,
      sellerCreditCode: creditCode(seller),
      sellerDivisionCode: seller,
      buyerDivisionCode: pick(outside),
      placedAt: isoAt(placedAt, false),
      amountFen,
      items,
    };
    const kind = random();
    const firstDue = between(0, Math.floor(streamMs * 0.6));
    const laterDue = (after: number): number =>
      Math.min(streamMs, after + between(3000, Math.floor(streamMs * 0.3)));
    if (kind < 0.1) {
      posts.push({ dueMs: firstDue, order: { ...base, revision: 1, status: 'placed' } });
      continue; // never paid: no money
    }
    const revisions: Record<string, unknown>[] = [];
    if (kind < 0.25) revisions.push({ ...base, revision: 1, status: 'placed' });
    const paid = { ...base, paidAt: isoAt(paidAt, random() < 0.2) };
    revisions.push({ ...paid, revision: revisions.length + 1, status: 'paid' });
    count('retail_sales', seller, paidAt, amountFen);
    /** A refund revision: `refundedFen` refunded in all by `at`, taking `change` off the sales. */
    const refund = (
      status: string,
      refundedFen: number,
      at: number,
      withOffset: boolean,
      change: number,
    ): void => {
      revisions.push({
        ...paid,
        revision: revisions.length + 1,
        status,
        refundedAmountFen: refundedFen,
        refundedAt: isoAt(at, withOffset),
      });
      count('retail_sales', seller, at, change);
    };
    if (random() < 0.3) {
      const firstRefund = between(1, amountFen);
      const firstRefundAt = paidAt + between(HOUR, 30 * HOUR);
      refund('partially_refunded', firstRefund, firstRefundAt, random() < 0.2, -firstRefund);
      if (random() < 0.3) {
        const fullAt = firstRefundAt + between(HOUR, 20 * HOUR);
        refund('refunded', amountFen, fullAt, false, -(amountFen - firstRefund));
      }
    }
    let due = firstDue;
    for (const revision of revisions) {
      posts.push({ dueMs: due, order: revision });
      // A platform retrying a revision: answered as a duplicate, must change nothing.
      if (random() < 0.1) posts.push({ dueMs: laterDue(due), order: revision });
      due = laterDue(due);
    }
  }
  posts.sort((a, b) => a.dueMs - b.dueMs);

  const dayList = [...days].sort();
  const month = dayList[0].slice(0, 6);
  if (dayList.some((day) => !day.startsWith(month)))
    throw new Error(`the stream spans more than one month: ${dayList.join(', ')}`);
  const monthNumber = Number(month.slice(4, 6));
  return {
    seed: options.seed,
    county,
    countyCode: `${county}000000`,
    towns,
    villages,
    outside,
    sellers,
    platform,
    scans: allScans,
    orders: posts,
    days: dayList,
    month,
    quarter: `${month.slice(0, 4)}Q${Math.ceil(monthNumber / 3)}`,
    year: month.slice(0, 4),
    expected,
    counts: {
      parcels: options.parcels,
      scanMessages: allScans.length,
      orderPosts: posts.length,
      orders: options.orders,
    },
  };
}

/** The expected value of a cell (quarter and year: the month's, as every fact is in one month). */
export function expectedValue(
  stream: CrashStream,
  indicator: Indicator,
  divisionCode: string,
  period: string,
): number {
  const asMonth = period === stream.quarter || period === stream.year ? stream.month : period;
  return stream.expected.get(cellKey(indicator, divisionCode, asMonth)) ?? 0;
}

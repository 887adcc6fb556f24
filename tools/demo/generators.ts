/**
 * Pure generators of realistic county traffic: courier scan lifecycles and platform orders.
 * No I/O and no clock of their own (every time is passed in), so the demo simulator, the seed's
 * history backfill and a load benchmark can all drive them, and unit tests can check them against
 * the contract classes.
 */
import type { ScanV1 } from '@ecomlog/contracts';
import { seededRandom } from '@ecomlog/testing';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR;

/** A seeded generator (mulberry32): the same seed gives the same stream. */
export type Random = () => number;

export function createRandom(seed: number): Random {
  return seededRandom(seed);
}

/** A stable 32-bit seed from text (FNV-1a), for per-day or per-county streams. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function pick<T>(rnd: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rnd() * items.length)];
}

export function between(rnd: Random, min: number, max: number): number {
  return min + rnd() * (max - min);
}

export function intBetween(rnd: Random, min: number, max: number): number {
  return Math.floor(between(rnd, min, max + 1));
}

/** `2026-11-22T09:30:05+08:00`: the Asia/Shanghai wall time with its offset, whole seconds. */
export function shanghaiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + SHANGHAI_OFFSET_MS)
    .toISOString()
    .replace(/\.\d{3}Z$/, '+08:00');
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an instant. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of 00:00 Asia/Shanghai on a calendar day. */
export function shanghaiMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

// ---------------------------------------------------------------------------------------------
// The world the generators draw from: what the seed registered (ids come from the services).

export interface DemoCarrier {
  code: string;
  enterpriseId: string;
}

export interface DemoTown {
  code: string;
  name: string;
  /** The operating 乡镇电商服务站, when the town has one. */
  stationSiteId: string | null;
  /** Pickup points and lockers in the town that serve carriers. */
  pickupSiteIds: string[];
}

export interface DemoVillage {
  code: string;
  name: string;
  townCode: string;
  /** The operating 村级电商服务点, when the village has one (else a coverage gap). */
  pointSiteId: string | null;
}

export interface DemoShop {
  platform: string;
  shopId: string;
}

export interface DemoRetailer {
  enterpriseId: string;
  name: string;
  creditCode: string;
  divisionCode: string;
  /** Sells farm produce (农产品). */
  agricultural: boolean;
  shops: DemoShop[];
}

export interface DemoWorld {
  county: { code: string; name: string };
  carriers: DemoCarrier[];
  platforms: string[];
  sortingCentreSiteId: string;
  countyCentreSiteId: string;
  jointDistributionOperatorId: string;
  towns: DemoTown[];
  villages: DemoVillage[];
  retailers: DemoRetailer[];
}

// ---------------------------------------------------------------------------------------------
// Carriers: each sends its own scan codes (the codes parcels' status tables know).

export const DEMO_CARRIER_CODES = ['ZTO', 'YTO', 'STO', 'YUNDA', 'JD'] as const;

type Stage =
  | 'created'
  | 'picked_up'
  | 'in_transit'
  | 'at_hub'
  | 'out_for_delivery'
  | 'at_pickup_point'
  | 'delivered'
  | 'exception';

/** What each carrier writes for a stage, in its own vocabulary. */
export const CARRIER_SCAN_CODES: Record<string, Record<Stage, string>> = {
  ZTO: {
    created: '下单',
    picked_up: '收件',
    in_transit: '发件',
    at_hub: '到件',
    out_for_delivery: '派件',
    at_pickup_point: '驿站入库',
    delivered: '签收',
    exception: '问题件',
  },
  YTO: {
    created: 'CREATE',
    picked_up: 'GOT',
    in_transit: 'DEPARTURE',
    at_hub: 'ARRIVAL',
    out_for_delivery: 'SENT_SCAN',
    at_pickup_point: 'INBOUND',
    delivered: 'SIGNED',
    exception: 'FAILED',
  },
  STO: {
    created: '下单',
    picked_up: '收件',
    in_transit: '发件',
    at_hub: '到件',
    out_for_delivery: '派件',
    at_pickup_point: '驿站代收',
    delivered: '签收',
    exception: '留仓件',
  },
  YUNDA: {
    created: 'ORDER',
    picked_up: 'ACCEPT',
    in_transit: 'TRANSPORT',
    at_hub: 'ARRIVE',
    out_for_delivery: 'DELIVERING',
    at_pickup_point: 'STATION',
    delivered: 'SIGN',
    exception: 'ISSUE',
  },
  JD: {
    created: '已下单',
    picked_up: '已揽收',
    in_transit: '运输中',
    at_hub: '分拣中心',
    out_for_delivery: '派送中',
    at_pickup_point: '已到自提点',
    delivered: '妥投',
    exception: '异常',
  },
};

/** Market shares of the demo carriers in a county (roughly 中通 > 圆通 ≈ 韵达 > 申通 > 京东). */
const CARRIER_WEIGHTS: Record<string, number> = { ZTO: 30, YTO: 22, YUNDA: 22, STO: 16, JD: 10 };

export function pickCarrier(rnd: Random, carriers: readonly DemoCarrier[]): DemoCarrier {
  const total = carriers.reduce((sum, c) => sum + (CARRIER_WEIGHTS[c.code] ?? 10), 0);
  let x = rnd() * total;
  for (const carrier of carriers) {
    x -= CARRIER_WEIGHTS[carrier.code] ?? 10;
    if (x < 0) return carrier;
  }
  return carriers[carriers.length - 1];
}

/**
 * Waybill numbers in each carrier's usual shape. `serial` makes them unique: the simulator counts
 * up from a start derived from the clock, the history backfill from the day, so they never meet.
 */
export function waybillNo(carrier: string, serial: number): string {
  const digits = String(serial).padStart(13, '0').slice(-13);
  switch (carrier) {
    case 'ZTO':
      return `78${digits}`;
    case 'YTO':
      return `YT${digits}`;
    case 'STO':
      return `77${digits}`;
    case 'YUNDA':
      return `46${digits}`;
    case 'JD':
      return `JDX${digits}`;
    default:
      return `${carrier}${digits}`;
  }
}

/**
 * Where parcels to and from the county come from and go to: districts that send and receive much
 * of China's e-commerce (义乌, 杭州西湖, 广州天河, 深圳龙岗, 上海浦东, 昆山, 北京朝阳, 成都武侯, 武汉武昌,
 * 厦门思明). The seed leaves out any inside the demo county.
 */
export const OUTSIDE_DIVISIONS = [
  '330782000000',
  '330106000000',
  '440106000000',
  '440307000000',
  '310115000000',
  '320583000000',
  '110105000000',
  '510107000000',
  '420106000000',
  '350203000000',
] as const;

export function outsideDivisions(countyCode: string): string[] {
  return OUTSIDE_DIVISIONS.filter((code) => !code.startsWith(countyCode.slice(0, 6)));
}

// ---------------------------------------------------------------------------------------------
// Scan lifecycles.

/** A scan and the instant it is due to be sent (its event time). */
export interface PlannedScan {
  dueAt: number;
  scan: ScanV1;
}

export interface LifecycleOptions {
  /** Event time of the first scan. */
  startAt: number;
  /** Real hours between stages are divided by this (1 = real time; 1000 = an hour in 3.6 s). */
  timeCompression: number;
  /** Unique number for the waybill (see waybillNo). */
  serial: number;
  /** Use this waybill instead (an order's shipped parcel). */
  waybillNo?: string;
  /** Force the carrier (an order's shipped parcel). */
  carrier?: DemoCarrier;
  /** For an outbound parcel: the county seller it leaves from. */
  seller?: DemoRetailer;
}

interface Step {
  stage: Stage;
  /** Real hours after the previous scan (before compression). */
  afterHours: number;
  siteId?: string | null;
  divisionCode?: string | null;
  handoverTo?: string | null;
  note?: string;
}

function buildScans(
  carrier: DemoCarrier,
  waybill: string,
  origin: string,
  destination: string,
  steps: Step[],
  options: LifecycleOptions,
  rnd: Random,
): PlannedScan[] {
  const codes = CARRIER_SCAN_CODES[carrier.code];
  const weightGrams = intBetween(rnd, 2, 50) * 100;
  let at = options.startAt;
  return steps.map((step, index) => {
    // Jitter of a few real minutes on top of the stage gap, compressed like the gap itself.
    at += ((step.afterHours * HOUR + rnd() * 20 * MINUTE) / options.timeCompression) | 0;
    const scan: ScanV1 = {
      scanId: `${carrier.code}-${waybill}-${index + 1}`,
      carrier: carrier.code,
      waybillNo: waybill,
      status: codes ? codes[step.stage] : step.stage,
      occurredAt: shanghaiTime(at),
      siteId: step.siteId ?? null,
      divisionCode: step.divisionCode ?? null,
      origin,
      destination,
      weightGrams,
      handoverTo: step.handoverTo ?? null,
      note: step.note ?? null,
    };
    return { dueAt: at, scan };
  });
}

/** Share of village deliveries handed to the shared village-delivery operator (统仓共配). */
const JOINT_DISTRIBUTION_SHARE = 0.45;

/**
 * A parcel from outside the county to one of its villages: 收件 and departure at the sender's
 * district, arrival at the county sorting centre, out for delivery from the town station, then a
 * village point (often handed to the joint-distribution operator), a pickup point or locker, or the
 * door of a village without a point. 2% stop at an exception, 8% are still under way.
 */
export function inboundLifecycle(
  world: DemoWorld,
  rnd: Random,
  options: LifecycleOptions,
): PlannedScan[] {
  const carrier = options.carrier ?? pickCarrier(rnd, world.carriers);
  const waybill = options.waybillNo ?? waybillNo(carrier.code, options.serial);
  const origin = pick(rnd, outsideDivisions(world.county.code));
  // Most parcels go to villages with a point (they are where the people are), some to gaps.
  const withPoint = world.villages.filter((v) => v.pointSiteId !== null);
  const village =
    withPoint.length > 0 && rnd() < 0.9 ? pick(rnd, withPoint) : pick(rnd, world.villages);
  const town = world.towns.find((t) => t.code === village.townCode);
  const steps: Step[] = [];
  if (rnd() < 0.5) steps.push({ stage: 'created', afterHours: 0, divisionCode: origin });
  steps.push(
    { stage: 'picked_up', afterHours: between(rnd, 0.5, 4), divisionCode: origin },
    { stage: 'in_transit', afterHours: between(rnd, 1, 5), divisionCode: origin },
    {
      stage: 'at_hub',
      afterHours: between(rnd, 18, 40),
      siteId: world.sortingCentreSiteId,
      divisionCode: world.county.code,
    },
    {
      stage: 'out_for_delivery',
      afterHours: between(rnd, 2, 8),
      siteId: town?.stationSiteId ?? world.sortingCentreSiteId,
      divisionCode: town?.stationSiteId ? town.code : world.county.code,
    },
  );
  const last = rnd();
  if (last < 0.02) {
    steps.push({
      stage: 'exception',
      afterHours: between(rnd, 1, 4),
      divisionCode: village.code,
      note: '收件人电话无法接通',
    });
  } else if (town && town.pickupSiteIds.length > 0 && last < 0.2) {
    const siteId = pick(rnd, town.pickupSiteIds);
    steps.push(
      { stage: 'at_pickup_point', afterHours: between(rnd, 1, 3), siteId, divisionCode: town.code },
      {
        stage: 'delivered',
        afterHours: between(rnd, 2, 20),
        siteId,
        divisionCode: town.code,
        note: '已取件',
      },
    );
  } else if (village.pointSiteId) {
    const joint = rnd() < JOINT_DISTRIBUTION_SHARE ? world.jointDistributionOperatorId : null;
    steps.push({
      stage: 'delivered',
      afterHours: between(rnd, 1, 6),
      siteId: village.pointSiteId,
      divisionCode: village.code,
      handoverTo: joint,
      note: joint ? '共同配送，村级服务点代收' : '村级服务点代收',
    });
  } else {
    steps.push({
      stage: 'delivered',
      afterHours: between(rnd, 2, 8),
      divisionCode: village.code,
      note: '已签收，签收人：本人',
    });
  }
  const scans = buildScans(carrier, waybill, origin, village.code, steps, options, rnd);
  return rnd() < 0.08 ? scans.slice(0, intBetween(rnd, 2, scans.length - 1)) : scans;
}

/**
 * A parcel a county seller sends out (网货上行): picked up at the seller's town station or
 * village point, through the county sorting centre, to a district elsewhere in China.
 */
export function outboundLifecycle(
  world: DemoWorld,
  rnd: Random,
  options: LifecycleOptions,
): PlannedScan[] {
  const carrier = options.carrier ?? pickCarrier(rnd, world.carriers);
  const waybill = options.waybillNo ?? waybillNo(carrier.code, options.serial);
  const seller = options.seller ?? pick(rnd, world.retailers);
  const destination = pick(rnd, outsideDivisions(world.county.code));
  const townCode = `${seller.divisionCode.slice(0, 9)}000`;
  const town = world.towns.find((t) => t.code === townCode);
  const village = world.villages.find((v) => v.code === seller.divisionCode);
  const pickupSite = village?.pointSiteId ?? town?.stationSiteId ?? null;
  const steps: Step[] = [
    { stage: 'created', afterHours: 0, divisionCode: seller.divisionCode },
    {
      stage: 'picked_up',
      afterHours: between(rnd, 0.5, 6),
      siteId: pickupSite,
      divisionCode: seller.divisionCode,
    },
    {
      stage: 'at_hub',
      afterHours: between(rnd, 2, 6),
      siteId: world.sortingCentreSiteId,
      divisionCode: world.county.code,
    },
    {
      stage: 'in_transit',
      afterHours: between(rnd, 1, 4),
      siteId: world.sortingCentreSiteId,
      divisionCode: world.county.code,
    },
    { stage: 'at_hub', afterHours: between(rnd, 16, 40), divisionCode: destination },
    { stage: 'out_for_delivery', afterHours: between(rnd, 2, 8), divisionCode: destination },
    {
      stage: 'delivered',
      afterHours: between(rnd, 1, 5),
      divisionCode: destination,
      note: '已签收',
    },
  ];
  const scans = buildScans(carrier, waybill, seller.divisionCode, destination, steps, options, rnd);
  return rnd() < 0.05 ? scans.slice(0, intBetween(rnd, 2, scans.length - 1)) : scans;
}

// ---------------------------------------------------------------------------------------------
// Orders (the POST /v1/orders item shape of parcels, SPEC 4.4).

export interface DemoOrderItem {
  sku: string;
  name: string;
  category: string;
  quantity: number;
  amountFen: number;
  agricultural: boolean;
}

export interface DemoOrder {
  platform: string;
  orderNo: string;
  revision: number;
  shopId: string;
  sellerDivisionCode: string;
  buyerDivisionCode: string;
  placedAt: string;
  paidAt?: string;
  shippedAt?: string;
  refundedAt?: string;
  refundedAmountFen?: number;
  amountFen: number;
  items: DemoOrderItem[];
  waybills?: { carrier: string; waybillNo: string }[];
  status: 'placed' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'partially_refunded';
}

interface Product {
  sku: string;
  name: string;
  category: string;
  /** Unit price range in yuan. */
  price: [number, number];
}

/** What a rural county sells online: farm produce (农产品) and local manufactures. */
export const AGRICULTURAL_PRODUCTS: readonly Product[] = [
  { sku: 'AG-APPLE-5KG', name: '红富士苹果 5kg', category: '水果', price: [39, 69] },
  { sku: 'AG-CHERRY-1KG', name: '大樱桃 1kg', category: '水果', price: [59, 129] },
  { sku: 'AG-WALNUT-1KG', name: '薄皮核桃 1kg', category: '坚果', price: [35, 58] },
  { sku: 'AG-PEANUT-2KG', name: '新花生 2kg', category: '粮油', price: [25, 40] },
  { sku: 'AG-MILLET-2KG', name: '小米 2.5kg', category: '粮油', price: [29, 49] },
  { sku: 'AG-HONEY-1KG', name: '土蜂蜜 1kg', category: '蜂产品', price: [48, 98] },
  { sku: 'AG-EGGS-30', name: '散养土鸡蛋 30枚', category: '禽蛋', price: [36, 52] },
  { sku: 'AG-SWEETPOTATO-5KG', name: '红薯 5kg', category: '蔬菜', price: [19, 32] },
  { sku: 'AG-CHESTNUT-1KG', name: '板栗 1kg', category: '坚果', price: [26, 45] },
  { sku: 'AG-HAWTHORN-2KG', name: '山楂 2kg', category: '水果', price: [22, 36] },
];

export const OTHER_PRODUCTS: readonly Product[] = [
  { sku: 'MF-PANCAKE-2KG', name: '手工煎饼 2kg', category: '食品', price: [29, 46] },
  { sku: 'MF-SHOES', name: '手工千层底布鞋', category: '鞋', price: [68, 158] },
  { sku: 'MF-BEDDING', name: '纯棉四件套', category: '家纺', price: [139, 399] },
  { sku: 'MF-TEASET', name: '陶瓷茶具套装', category: '家居', price: [88, 268] },
  { sku: 'MF-TOOLS', name: '五金工具箱', category: '五金', price: [59, 199] },
  { sku: 'MF-KIDS', name: '童装套装', category: '服装', price: [49, 129] },
];

export interface OrderOptions {
  placedAt: number;
  orderNo: string;
  /** The seller; drawn at random when absent. */
  seller?: DemoRetailer;
  /** The shop on a platform; drawn from the seller's shops when absent. */
  shop?: DemoShop;
}

/**
 * A paid order of a county shop (revision 1): 1–3 items, integer fen that sum to the amount,
 * paid a few minutes after it was placed. Farm-produce sellers sell mostly farm produce.
 */
export function paidOrder(world: DemoWorld, rnd: Random, options: OrderOptions): DemoOrder {
  const seller =
    options.seller ??
    pick(
      rnd,
      world.retailers.filter((r) => r.shops.length > 0),
    );
  const shop = options.shop ?? pick(rnd, seller.shops);
  const count = rnd() < 0.7 ? 1 : intBetween(rnd, 2, 3);
  const items: DemoOrderItem[] = [];
  for (let i = 0; i < count; i += 1) {
    const agricultural = seller.agricultural ? rnd() < 0.9 : rnd() < 0.15;
    const product = pick(rnd, agricultural ? AGRICULTURAL_PRODUCTS : OTHER_PRODUCTS);
    if (items.some((item) => item.sku === product.sku)) continue;
    const quantity = rnd() < 0.8 ? 1 : intBetween(rnd, 2, 4);
    const unitFen = Math.round(between(rnd, product.price[0], product.price[1])) * 100 - 10;
    items.push({
      sku: product.sku,
      name: product.name,
      category: product.category,
      quantity,
      amountFen: unitFen * quantity,
      agricultural,
    });
  }
  // Buyers are mostly elsewhere in China; some are the county's own villagers (网购下行).
  const buyerDivisionCode =
    rnd() < 0.85 ? pick(rnd, outsideDivisions(world.county.code)) : pick(rnd, world.villages).code;
  const paidAt = options.placedAt + intBetween(rnd, 1, 15) * MINUTE;
  return {
    platform: shop.platform,
    orderNo: options.orderNo,
    revision: 1,
    shopId: shop.shopId,
    sellerDivisionCode: seller.divisionCode,
    buyerDivisionCode,
    placedAt: shanghaiTime(options.placedAt),
    paidAt: shanghaiTime(paidAt),
    amountFen: items.reduce((sum, item) => sum + item.amountFen, 0),
    items,
    status: 'paid',
  };
}

/** The next revision: the goods left with this waybill. */
export function shippedRevision(
  order: DemoOrder,
  shippedAt: number,
  waybill: { carrier: string; waybillNo: string },
): DemoOrder {
  return {
    ...order,
    revision: order.revision + 1,
    shippedAt: shanghaiTime(shippedAt),
    waybills: [...(order.waybills ?? []), waybill],
    status: order.status === 'paid' ? 'shipped' : order.status,
  };
}

/**
 * The next revision: a refund of the whole order, or (`partial`, with several items) of the first
 * item's worth.
 */
export function refundedRevision(
  order: DemoOrder,
  refundedAt: number,
  partial: boolean,
): DemoOrder {
  partial = partial && order.items.length > 1;
  const refundedAmountFen = partial ? order.items[0].amountFen : order.amountFen;
  return {
    ...order,
    revision: order.revision + 1,
    refundedAt: shanghaiTime(refundedAt),
    refundedAmountFen,
    status: partial ? 'partially_refunded' : 'refunded',
  };
}

/** Share of paid orders refunded later (退款率 of rural e-commerce is a few per cent). */
export const REFUND_SHARE = 0.06;

/**
 * Orders per day of the backfill, around `perDay`: the week's rhythm, 双11 and 618 peaks, the
 * Spring Festival slump, and growth year on year (`annualGrowth`), so trend charts and 同比 show
 * something real. `now` is where "this year" is measured from.
 */
export function ordersOnDay(day: string, perDay: number, now: number, annualGrowth = 0.15): number {
  const [, month, dayOfMonth] = day.split('-').map(Number);
  const yearsBack = (now - shanghaiMidnight(day)) / (365 * 24 * HOUR);
  let factor = Math.pow(1 + annualGrowth, -yearsBack);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) factor *= 1.15;
  if (month === 11 && dayOfMonth >= 1 && dayOfMonth <= 11) factor *= dayOfMonth === 11 ? 4 : 1.6;
  if (month === 6 && dayOfMonth >= 1 && dayOfMonth <= 18) factor *= dayOfMonth === 18 ? 2.5 : 1.3;
  if (month === 12 && dayOfMonth === 12) factor *= 2;
  if ((month === 1 && dayOfMonth >= 20) || (month === 2 && dayOfMonth <= 15)) factor *= 0.8;
  return Math.max(1, Math.round(perDay * factor));
}

/**
 * One day of backfilled orders, deterministic for (county, day) so a rerun posts the same orders
 * (the service answers duplicates and changes nothing). Only what happened before `now` is in it.
 * Orders are final revisions (revision 1): completed once shipped, some refunded. Every draw is
 * made whatever `now` is, so a later rerun sees the same orders plus the ones that happened since.
 */
export function historyOrdersForDay(
  world: DemoWorld,
  day: string,
  perDay: number,
  now: number,
): DemoOrder[] {
  const rnd = createRandom(seedOf(`${world.county.code}:orders:${day}`));
  const midnight = shanghaiMidnight(day);
  const count = ordersOnDay(day, perDay, now);
  const orders: DemoOrder[] = [];
  for (let n = 0; n < count; n += 1) {
    // Busy evenings: most orders between 09:00 and 23:00.
    const placedAt = midnight + (rnd() < 0.9 ? between(rnd, 9, 23) : between(rnd, 0, 24)) * HOUR;
    const orderNo = `H${day.replaceAll('-', '')}${world.county.code.slice(0, 6)}${String(n).padStart(5, '0')}`;
    let order = paidOrder(world, rnd, { placedAt, orderNo });
    const paidAt = Date.parse(order.paidAt ?? '');
    const shippedAt = paidAt + between(rnd, 4, 30) * HOUR;
    const refund = rnd() < REFUND_SHARE;
    const refundAt = paidAt + between(rnd, 1, 240) * HOUR;
    const partialRefund = rnd() < 0.6;
    if (paidAt >= now) continue;
    if (shippedAt < now) {
      order = {
        ...order,
        shippedAt: shanghaiTime(shippedAt),
        status: 'completed',
      };
    }
    if (refund && refundAt < now) {
      const refunded = refundedRevision(order, refundAt, partialRefund);
      order = { ...refunded, revision: 1 };
    }
    orders.push(order);
  }
  return orders;
}

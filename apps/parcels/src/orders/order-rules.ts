import {
  validateCreditCode,
  type FieldProblem,
  type OrderFactCategoryV1,
  type OrderFactV1,
} from '@ecomlog/contracts';
import { PAID_STATUSES, type OrderInput, type SellerCheckedOrder } from './order-input';

/** `platform:orderNo`, the order's identity and its Kafka key. */
export function orderKey(order: Pick<OrderInput, 'platform' | 'orderNo'>): string {
  return `${order.platform}:${order.orderNo}`;
}

export function agriculturalAmountFen(order: OrderInput): number {
  return order.items.reduce((sum, item) => sum + (item.agricultural ? item.amountFen : 0), 0);
}

/** What is wrong with one revision on its own (field paths as in the request item). */
export function orderProblems(order: OrderInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const hasShop = order.shopId !== undefined;
  const hasCode = order.sellerCreditCode !== undefined;
  if (hasShop === hasCode) {
    problems.push({
      path: hasShop ? 'sellerCreditCode' : 'shopId',
      message:
        'name the seller by exactly one of shopId (a shop on this platform) or sellerCreditCode',
    });
  }
  if (hasCode) {
    const check = validateCreditCode(order.sellerCreditCode);
    if (!check.ok) problems.push({ path: 'sellerCreditCode', message: check.reason });
  }
  const itemsTotal = order.items.reduce((sum, item) => sum + item.amountFen, 0);
  if (itemsTotal !== order.amountFen) {
    problems.push({
      path: 'amountFen',
      message: `amountFen ${order.amountFen} must equal the sum of items[].amountFen (${itemsTotal})`,
    });
  }
  for (const field of ['placedAt', 'paidAt', 'shippedAt', 'refundedAt'] as const) {
    const value = order[field];
    if (value !== undefined && !isRealInstant(value)) {
      problems.push({ path: field, message: `${field} ${value} is not a real date-time` });
    }
  }
  if (PAID_STATUSES.includes(order.status) && order.paidAt === undefined) {
    problems.push({ path: 'paidAt', message: `an order with status ${order.status} needs paidAt` });
  }
  const refunded = order.refundedAmountFen ?? 0;
  if (refunded > order.amountFen) {
    problems.push({
      path: 'refundedAmountFen',
      message: `refundedAmountFen ${refunded} exceeds the order amount ${order.amountFen}`,
    });
  }
  if (refunded > 0 && order.paidAt === undefined) {
    problems.push({ path: 'paidAt', message: 'a refunded order needs paidAt' });
  }
  if (refunded > 0 && order.refundedAt === undefined) {
    problems.push({ path: 'refundedAt', message: 'refundedAmountFen above 0 needs refundedAt' });
  }
  if (refunded === 0 && order.refundedAt !== undefined) {
    problems.push({
      path: 'refundedAmountFen',
      message: 'refundedAt is given but refundedAmountFen is 0 or missing',
    });
  }
  const seen = new Set<string>();
  (order.waybills ?? []).forEach((waybill, i) => {
    const id = `${waybill.carrier}/${waybill.waybillNo}`;
    if (seen.has(id)) {
      problems.push({ path: `waybills[${i}]`, message: `waybill ${id} is listed twice` });
    }
    seen.add(id);
  });
  return problems;
}

/**
 * Why `next` may not replace `previous`, or null. Once paid, what the paid fact reported (amount,
 * agricultural part, payment time, seller) is fixed: later money moves are stated as refunds, so
 * analytics never has to take a paid fact back. Refunds only grow.
 */
export function replacementProblem(previous: OrderInput, next: OrderInput): string | null {
  const was = `revision ${previous.revision}`;
  if (previous.paidAt !== undefined) {
    if (next.paidAt === undefined) {
      return `paid-order-changed: ${was} was paid at ${previous.paidAt}; paidAt cannot be removed (state refunds with refundedAmountFen)`;
    }
    if (Date.parse(next.paidAt) !== Date.parse(previous.paidAt)) {
      return `paid-order-changed: ${was} was paid at ${previous.paidAt}; paidAt cannot change to ${next.paidAt}`;
    }
    if (next.amountFen !== previous.amountFen) {
      return `paid-order-changed: ${was} was paid with amountFen ${previous.amountFen}; a paid amount cannot change to ${next.amountFen} (state refunds with refundedAmountFen)`;
    }
    if (agriculturalAmountFen(next) !== agriculturalAmountFen(previous)) {
      return `paid-order-changed: ${was} was paid with ${agriculturalAmountFen(previous)} fen of agricultural items; that split cannot change`;
    }
    const seller = (o: OrderInput) =>
      `${o.shopId ?? ''}|${o.sellerCreditCode ?? ''}|${o.sellerDivisionCode ?? ''}`;
    if (seller(next) !== seller(previous)) {
      return `paid-order-changed: ${was} was paid to seller ${describeSeller(previous)}; the seller cannot change`;
    }
  }
  const before = previous.refundedAmountFen ?? 0;
  const after = next.refundedAmountFen ?? 0;
  if (after < before) {
    return `refund-decreased: ${was} had refundedAmountFen ${before}; it is cumulative and cannot fall to ${after}`;
  }
  return null;
}

/**
 * The facts that replacing `previous` (null: a new order) with `next` establishes: `paid` when it
 * becomes paid, `refunded` for the amount newly refunded, `shipped` for waybills new in `next`.
 * Nothing for a revision that changes none of them.
 */
export function orderFacts(
  previous: OrderInput | null,
  next: SellerCheckedOrder,
  enterpriseId: string | null,
): OrderFactV1[] {
  const key = orderKey(next);
  const base = {
    platform: next.platform,
    orderNo: next.orderNo,
    revision: next.revision,
    sellerDivisionCode: next.sellerDivisionCode,
    buyerDivisionCode: next.buyerDivisionCode ?? null,
    shopId: next.shopId ?? null,
    enterpriseId,
    sellerCreditCode: next.sellerCreditCode ?? null,
  };
  const facts: OrderFactV1[] = [];
  const agricultural = agriculturalAmountFen(next);
  if (next.paidAt !== undefined && previous?.paidAt === undefined) {
    facts.push({
      ...base,
      factId: `${key}:paid`,
      kind: 'paid',
      at: next.paidAt,
      amountFen: next.amountFen,
      agriculturalAmountFen: agricultural,
      categories: categorySplit(next),
      waybills: [],
    });
  }
  const refundedBefore = previous?.refundedAmountFen ?? 0;
  const refundedNow = next.refundedAmountFen ?? 0;
  if (refundedNow > refundedBefore && next.refundedAt !== undefined) {
    // Pro rata, computed on the cumulative amounts so a full refund takes back exactly the
    // agricultural amount that was paid.
    const agriRefunded = (refunded: number) =>
      next.amountFen === 0 ? 0 : Math.floor((refunded * agricultural) / next.amountFen);
    facts.push({
      ...base,
      factId: `${key}:refund:${refundedNow}`,
      kind: 'refunded',
      at: next.refundedAt,
      amountFen: refundedNow - refundedBefore,
      agriculturalAmountFen: agriRefunded(refundedNow) - agriRefunded(refundedBefore),
      categories: [],
      waybills: [],
    });
  }
  const known = new Set((previous?.waybills ?? []).map((w) => `${w.carrier}/${w.waybillNo}`));
  const added = (next.waybills ?? []).filter((w) => !known.has(`${w.carrier}/${w.waybillNo}`));
  if (added.length > 0) {
    facts.push({
      ...base,
      factId: `${key}:shipped:r${next.revision}`,
      kind: 'shipped',
      at: next.shippedAt ?? next.paidAt ?? next.placedAt,
      amountFen: 0,
      agriculturalAmountFen: 0,
      categories: [],
      waybills: added.map(({ carrier, waybillNo }) => ({ carrier, waybillNo })),
    });
  }
  return facts;
}

function categorySplit(order: OrderInput): OrderFactCategoryV1[] {
  const byCategory = new Map<string, OrderFactCategoryV1>();
  for (const item of order.items) {
    const entry = byCategory.get(item.category) ?? {
      category: item.category,
      amountFen: 0,
      agriculturalAmountFen: 0,
    };
    entry.amountFen += item.amountFen;
    if (item.agricultural) entry.agriculturalAmountFen += item.amountFen;
    byCategory.set(item.category, entry);
  }
  return [...byCategory.values()];
}

function describeSeller(order: OrderInput): string {
  return order.shopId !== undefined
    ? `shop ${order.shopId} in ${order.sellerDivisionCode ?? '?'}`
    : `${order.sellerCreditCode ?? ''} in ${order.sellerDivisionCode ?? '?'}`;
}

function isRealInstant(value: string): boolean {
  const [year, month, day, hour, minute] = value.match(/\d+/g)?.map(Number) ?? [];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    !Number.isNaN(Date.parse(value)) &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59
  );
}

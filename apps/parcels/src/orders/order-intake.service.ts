import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  OrderFact,
  describeProblems,
  validatePayload,
  type FieldProblem,
  type OrderFactV1,
} from '@ecomlog/contracts';
import type { Principal } from '@ecomlog/auth';
import { OutboxWriter } from '@ecomlog/messaging';
import { OrderInput, type SellerCheckedOrder } from './order-input';
import { OrderRegistryChecks } from './order-registry-checks';
import {
  agriculturalAmountFen,
  orderFacts,
  orderKey,
  orderProblems,
  replacementProblem,
} from './order-rules';

export const MAX_ORDERS_PER_REQUEST = 1000;

/**
 * `retry-later`: not taken now because a registry read model is behind (a seller or division
 * registered moments ago); nothing was stored, and the same post may be accepted in a moment.
 */
export type OrderOutcome = 'accepted' | 'duplicate' | 'rejected' | 'retry-later';

export interface OrderResult {
  index: number;
  /** `platform:orderNo`, when the item names both. */
  orderKey: string | null;
  outcome: OrderOutcome;
  /** accepted: a new order, or a higher revision replacing the stored one. */
  change?: 'created' | 'replaced';
  revision?: number;
  /** duplicate: the revision already stored (equal or higher). */
  storedRevision?: number;
  /** accepted: the ids of the facts this revision emitted (none when no fact changed). */
  facts?: string[];
  reason?: string;
  problems?: FieldProblem[];
}

export interface OrderIntakeReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  retryLater: number;
  results: OrderResult[];
}

interface Current {
  revision: number;
  body: SellerCheckedOrder;
  enterpriseId: string | null;
  /** Changed by this request: to be written. */
  dirty: boolean;
}

interface Candidate {
  index: number;
  order: OrderInput;
  key: string;
}

/** A candidate whose seller and divisions the registry read models vouch for. */
interface Vouched {
  index: number;
  order: SellerCheckedOrder;
  key: string;
  enterpriseId: string;
}

/**
 * POST /v1/orders: every item answered on its own; all accepted revisions, their waybill links
 * and their facts written in one transaction with set-based statements.
 */
@Injectable()
export class OrderIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    private readonly registry: OrderRegistryChecks,
  ) {}

  async submit(items: unknown[], principal: Principal): Promise<OrderIntakeReport> {
    const results: OrderResult[] = [];
    const candidates: Candidate[] = [];
    items.forEach((item, index) => {
      const key = keyOf(item);
      const check = validatePayload(OrderInput, item, 'produce');
      if (!check.ok) {
        results.push(rejected(index, key, check.problems));
        return;
      }
      const order = withoutNulls(check.value);
      if (principal.kind === 'platform' && principal.platformCode !== order.platform) {
        results.push({
          index,
          orderKey: key,
          outcome: 'rejected',
          reason: `other-platform: this client acts for platform ${principal.platformCode ?? '(none)'} and may not post orders of ${order.platform}`,
          problems: [
            { path: 'platform', message: `must be ${principal.platformCode ?? '(none)'}` },
          ],
        });
        return;
      }
      const problems = orderProblems(order);
      if (problems.length > 0) {
        results.push(rejected(index, key, problems));
        return;
      }
      candidates.push({ index, order, key: orderKey(order) });
    });

    // Checked before the transaction (read models only, and perhaps one Kafka admin call).
    const verdicts = await this.registry.check(candidates.map((c) => c.order));
    const vouched: Vouched[] = [];
    candidates.forEach((candidate, i) => {
      const verdict = verdicts[i];
      if (verdict.ok) {
        vouched.push({ ...candidate, order: verdict.order, enterpriseId: verdict.enterpriseId });
        return;
      }
      results.push({
        index: candidate.index,
        orderKey: candidate.key,
        outcome: verdict.outcome,
        reason: verdict.reason,
        problems: verdict.problems,
      });
    });

    if (vouched.length > 0) {
      await this.dataSource.transaction((tx) => this.apply(tx, vouched, results));
    }
    results.sort((a, b) => a.index - b.index);
    return {
      accepted: results.filter((r) => r.outcome === 'accepted').length,
      duplicates: results.filter((r) => r.outcome === 'duplicate').length,
      rejected: results.filter((r) => r.outcome === 'rejected').length,
      retryLater: results.filter((r) => r.outcome === 'retry-later').length,
      results,
    };
  }

  private async apply(
    tx: EntityManager,
    candidates: Vouched[],
    results: OrderResult[],
  ): Promise<void> {
    const keys = [...new Set(candidates.map((c) => c.key))].sort();
    // Serialise writers of the same orders (including ones not stored yet), in a fixed order.
    await tx.query(
      `SELECT pg_advisory_xact_lock(h)
       FROM (SELECT hashtextextended('order:' || k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1 OFFSET 0) AS locks`,
      [keys],
    );
    const stored = await tx.query<
      {
        platform: string;
        order_no: string;
        revision: number;
        enterprise_id: string | null;
        body: SellerCheckedOrder;
      }[]
    >(
      `SELECT o.platform, o.order_no, o.revision, o.enterprise_id, o.body
       FROM sales_order o
       JOIN unnest($1::text[], $2::text[]) AS k(platform, order_no)
         ON o.platform = k.platform AND o.order_no = k.order_no`,
      [candidates.map((c) => c.order.platform), candidates.map((c) => c.order.orderNo)],
    );
    const current = new Map<string, Current>();
    for (const row of stored) {
      current.set(`${row.platform}:${row.order_no}`, {
        revision: row.revision,
        body: row.body,
        enterpriseId: row.enterprise_id,
        dirty: false,
      });
    }
    const facts: OrderFactV1[] = [];
    for (const { index, order, key, enterpriseId } of candidates) {
      const previous = current.get(key);
      if (previous && order.revision <= previous.revision) {
        results.push({
          index,
          orderKey: key,
          outcome: 'duplicate',
          revision: order.revision,
          storedRevision: previous.revision,
          reason: `revision ${order.revision} is not above the stored revision ${previous.revision}; nothing changed`,
        });
        continue;
      }
      const problem = previous ? replacementProblem(previous.body, order) : null;
      if (problem) {
        results.push({ index, orderKey: key, outcome: 'rejected', reason: problem });
        continue;
      }
      const emitted = orderFacts(previous?.body ?? null, order, enterpriseId);
      facts.push(...emitted);
      current.set(key, {
        revision: order.revision,
        body: order,
        enterpriseId,
        dirty: true,
      });
      results.push({
        index,
        orderKey: key,
        outcome: 'accepted',
        change: previous ? 'replaced' : 'created',
        revision: order.revision,
        facts: emitted.map((f) => f.factId),
      });
    }

    const changed = [...current.values()].filter((c) => c.dirty);
    if (changed.length === 0) return;
    await upsertOrders(tx, changed);
    await replaceWaybills(tx, changed);
    await this.outbox.append(tx, OrderFact, facts);
  }
}

async function upsertOrders(tx: EntityManager, rows: Current[]): Promise<void> {
  const o = rows.map((r) => r.body);
  await tx.query(
    `INSERT INTO sales_order AS o (platform, order_no, revision, shop_id, seller_credit_code, enterprise_id,
       seller_division_code, buyer_division_code, status, placed_at, paid_at, refunded_at,
       amount_fen, agricultural_amount_fen, refunded_amount_fen, body)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::char(18)[], $6::uuid[],
       $7::char(12)[], $8::char(12)[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
       $13::bigint[], $14::bigint[], $15::bigint[], $16::jsonb[])
     ON CONFLICT (platform, order_no) DO UPDATE SET
       revision = EXCLUDED.revision, shop_id = EXCLUDED.shop_id,
       seller_credit_code = EXCLUDED.seller_credit_code, enterprise_id = EXCLUDED.enterprise_id,
       seller_division_code = EXCLUDED.seller_division_code,
       buyer_division_code = EXCLUDED.buyer_division_code, status = EXCLUDED.status,
       placed_at = EXCLUDED.placed_at, paid_at = EXCLUDED.paid_at, refunded_at = EXCLUDED.refunded_at,
       amount_fen = EXCLUDED.amount_fen, agricultural_amount_fen = EXCLUDED.agricultural_amount_fen,
       refunded_amount_fen = EXCLUDED.refunded_amount_fen, body = EXCLUDED.body, updated_at = now()
     WHERE EXCLUDED.revision > o.revision`,
    [
      o.map((x) => x.platform),
      o.map((x) => x.orderNo),
      o.map((x) => x.revision),
      o.map((x) => x.shopId ?? null),
      o.map((x) => x.sellerCreditCode ?? null),
      rows.map((r) => r.enterpriseId),
      o.map((x) => x.sellerDivisionCode),
      o.map((x) => x.buyerDivisionCode ?? null),
      o.map((x) => x.status),
      o.map((x) => x.placedAt),
      o.map((x) => x.paidAt ?? null),
      o.map((x) => x.refundedAt ?? null),
      o.map((x) => x.amountFen),
      o.map((x) => agriculturalAmountFen(x)),
      o.map((x) => x.refundedAmountFen ?? 0),
      o.map((x) => JSON.stringify(x)),
    ],
  );
}

async function replaceWaybills(tx: EntityManager, rows: Current[]): Promise<void> {
  const o = rows.map((r) => r.body);
  await tx.query(
    `DELETE FROM order_waybill w
     USING unnest($1::text[], $2::text[]) AS k(platform, order_no)
     WHERE w.platform = k.platform AND w.order_no = k.order_no`,
    [o.map((x) => x.platform), o.map((x) => x.orderNo)],
  );
  const links = o.flatMap((x) => (x.waybills ?? []).map((w) => ({ order: x, waybill: w })));
  if (links.length === 0) return;
  await tx.query(
    `INSERT INTO order_waybill (platform, order_no, carrier, waybill_no)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [
      links.map((l) => l.order.platform),
      links.map((l) => l.order.orderNo),
      links.map((l) => l.waybill.carrier),
      links.map((l) => l.waybill.waybillNo),
    ],
  );
}

function rejected(index: number, key: string | null, problems: FieldProblem[]): OrderResult {
  return {
    index,
    orderKey: key,
    outcome: 'rejected',
    reason: describeProblems(problems),
    problems,
  };
}

/** An optional field sent as null is the same as one left out (and is stored left out). */
function withoutNulls(order: OrderInput): OrderInput {
  const record = order as unknown as Record<string, unknown>;
  for (const field of Object.keys(record)) if (record[field] === null) delete record[field];
  return order;
}

function keyOf(item: unknown): string | null {
  const { platform, orderNo } = (item ?? {}) as { platform?: unknown; orderNo?: unknown };
  return typeof platform === 'string' && typeof orderNo === 'string'
    ? `${platform}:${orderNo}`
    : null;
}

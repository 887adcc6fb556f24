import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderFact, type OrderFactV1 } from '@ecomlog/contracts';
import type { ConsumedEvent } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { shanghaiDay } from '@ecomlog/kernel';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';
import { defineAggregate } from './increments';

const SALES_DAY = defineAggregate(
  'sales_day',
  { division_code: 'text', day: 'date', platform: 'text' },
  ['paid_fen', 'refunded_fen', 'agricultural_paid_fen', 'agricultural_refunded_fen'],
);
const SELLER_SALES_DAY = defineAggregate(
  'seller_sales_day',
  { seller: 'text', division_code: 'text', day: 'date' },
  ['net_fen'],
);

/** Who sold: the enterprise when the registry knows it, else the shop or the credit code. */
export function sellerOf(fact: OrderFactV1): string {
  if (fact.enterpriseId) return `enterprise:${fact.enterpriseId}`;
  if (fact.shopId) return `shop:${fact.platform}:${fact.shopId}`;
  if (fact.sellerCreditCode) return `credit:${fact.sellerCreditCode}`;
  return `order-seller:${fact.platform}:${fact.orderNo}`;
}

/**
 * parcels.orders.v1 → 网络零售额. Each paid fact adds its amount and each refunded fact subtracts the
 * newly refunded amount, on the Asia/Shanghai day of its own event time, at the seller's division,
 * split by platform, agricultural part and seller. A fact id is counted once, however often it is
 * delivered.
 */
@Injectable()
export class OrdersConsumer {
  @ConsumesEvents({ group: 'analytics.orders', events: [OrderFact], chunkSize: 2000 })
  async onOrderFacts(events: ConsumedEvent<OrderFactV1>[], tx: EntityManager): Promise<void> {
    const money = events
      .map((e) => e.payload)
      .filter((fact) => fact.kind === 'paid' || fact.kind === 'refunded');
    if (money.length === 0) return;
    const counted = await tx.query<{ fact_id: string }[]>(
      `INSERT INTO counted_order_fact (fact_id) SELECT unnest($1::text[])
       ON CONFLICT DO NOTHING RETURNING fact_id`,
      [[...new Set(money.map((f) => f.factId))]],
    );
    const fresh = new Set(counted.map((r) => r.fact_id));
    const facts = money.filter((fact) => fresh.delete(fact.factId));
    if (facts.length === 0) return;

    const dated = facts.map((fact) => ({ fact, day: shanghaiDay(fact.at) }));
    await SALES_DAY.add(
      tx,
      dated.map(({ fact, day }) => {
        const paid = fact.kind === 'paid';
        return {
          key: [fact.sellerDivisionCode, day, fact.platform],
          values: paid
            ? [fact.amountFen, 0, fact.agriculturalAmountFen, 0]
            : [0, fact.amountFen, 0, fact.agriculturalAmountFen],
        };
      }),
    );
    await SELLER_SALES_DAY.add(
      tx,
      dated.map(({ fact, day }) => ({
        key: [sellerOf(fact), fact.sellerDivisionCode, day],
        values: [fact.kind === 'paid' ? fact.amountFen : -fact.amountFen],
      })),
    );
    await markDirty(
      tx,
      dated.flatMap(({ fact, day }): DirtyMark[] => [
        { source: 'orders', divisionCode: fact.sellerDivisionCode, day },
        ...(fact.enterpriseId
          ? [
              {
                source: 'orders',
                divisionCode: fact.sellerDivisionCode,
                day,
                scope: `enterprise:${fact.enterpriseId}`,
              } as DirtyMark,
            ]
          : []),
      ]),
    );
  }
}

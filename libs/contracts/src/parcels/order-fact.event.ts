import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { defineEvent } from '../event-definition';
import { DivisionCode, FenAmount, NestedArray, Text, VersionNumber } from '../field-rules';
import { TOPICS } from '../topics';
import { ShopId, ShopPlatform } from '../registry/enterprise-changed.event';
import { CarrierCode, TimestampWithOffset, WaybillNo } from './scan.event';

/** The platform's own order number: letters, digits and `. _ -` (no colon: it joins the key). */
export const ORDER_NO_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const ORDER_FACT_KINDS = ['paid', 'refunded', 'shipped'] as const;
/** paid (成交), refunded (退款, the amount newly refunded), shipped (new waybills). */
export type OrderFactKind = (typeof ORDER_FACT_KINDS)[number];

/** The platform's order number (ORDER_NO_PATTERN). */
export function OrderNo(): PropertyDecorator {
  return Matches(ORDER_NO_PATTERN, { message: '$property must be 1–64 letters, digits or . _ -' });
}

/** Amount of one category within a paid fact. */
export class OrderFactCategoryV1 {
  @Text(100)
  category!: string;

  @FenAmount()
  amountFen!: number;

  @FenAmount()
  agriculturalAmountFen!: number;
}

export class OrderFactWaybillV1 {
  @CarrierCode()
  carrier!: string;

  @WaybillNo()
  waybillNo!: string;
}

/**
 * One fact of an order, emitted only when a new revision changes it, so analytics sums facts and
 * never rereads orders: 网络零售额 = Σ `paid`.amountFen − Σ `refunded`.amountFen, each dated by its
 * own `at` and attributed to `sellerDivisionCode`. `factId` is deterministic (`<platform>:<orderNo>:
 * paid`, `…:refund:<cumulative refunded fen>`, `…:shipped:<cumulative waybill count>`), so a consumer
 * that keeps the ids it has counted can ignore redelivery.
 */
export class OrderFactV1 {
  @Text(200)
  factId!: string;

  @IsIn(ORDER_FACT_KINDS)
  kind!: OrderFactKind;

  @ShopPlatform()
  platform!: string;

  @OrderNo()
  orderNo!: string;

  /** The order revision that produced this fact. */
  @VersionNumber()
  revision!: number;

  /** Event time of the fact: paidAt, refundedAt, or shippedAt (else paidAt, else placedAt). */
  @TimestampWithOffset()
  at!: string;

  @DivisionCode()
  sellerDivisionCode!: string;

  @IsOptional()
  @DivisionCode()
  buyerDivisionCode!: string | null;

  /** The shop named by the order (on `platform`), or null when it named a credit code. */
  @IsOptional()
  @ShopId()
  shopId!: string | null;

  /** The seller enterprise when known to the registry read model. */
  @IsOptional()
  @IsUUID()
  enterpriseId!: string | null;

  @IsOptional()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'sellerCreditCode must be 18 characters' })
  sellerCreditCode!: string | null;

  /** paid: the order amount; refunded: the amount newly refunded; shipped: 0. Integer fen. */
  @FenAmount()
  amountFen!: number;

  /** The agricultural part of `amountFen` (农产品); refunds are apportioned pro rata. */
  @FenAmount()
  agriculturalAmountFen!: number;

  /** paid only: amounts by item category (Σ = amountFen); empty otherwise. */
  @NestedArray(() => OrderFactCategoryV1)
  categories!: OrderFactCategoryV1[];

  /** shipped only: the waybills new in this revision; empty otherwise. */
  @NestedArray(() => OrderFactWaybillV1)
  waybills!: OrderFactWaybillV1[];
}

export const OrderFact = defineEvent<OrderFactV1>({
  type: 'cn.ecomlog.parcels.order-fact.v1',
  topic: TOPICS.parcelOrders,
  payload: OrderFactV1,
  key: (fact) => `${fact.platform}:${fact.orderNo}`,
  subject: (fact) => `orders/${fact.platform}/${fact.orderNo}/${fact.kind}`,
  summary:
    'An order fact (paid, refunded, shipped) that a new order revision established; analytics sums them without rereading orders.',
  example: {
    factId: 'taobao:3921004871123:paid',
    kind: 'paid',
    platform: 'taobao',
    orderNo: '3921004871123',
    revision: 2,
    at: '2024-08-01T20:31:05+08:00',
    sellerDivisionCode: '640521100000',
    buyerDivisionCode: '330106000000',
    shopId: '573920114',
    enterpriseId: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    sellerCreditCode: null,
    amountFen: 15800,
    agriculturalAmountFen: 12800,
    categories: [
      { category: '枸杞', amountFen: 12800, agriculturalAmountFen: 12800 },
      { category: '礼盒包装', amountFen: 3000, agriculturalAmountFen: 0 },
    ],
    waybills: [],
  },
});

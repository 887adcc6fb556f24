import { IsBoolean, IsOptional, IsString } from 'class-validator';
import {
  DivisionCode,
  FenAmount,
  NestedArray,
  OneOf,
  OrderFactWaybillV1,
  OrderNo,
  ShopId,
  ShopPlatform,
  Text,
  TimestampWithOffset,
  VersionNumber,
  WholeNumber,
} from '@ecomlog/contracts';

export const ORDER_STATUSES = [
  'placed',
  'paid',
  'shipped',
  'completed',
  'refunded',
  'partially_refunded',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses that say the buyer has paid, so `paidAt` must be given. */
export const PAID_STATUSES: readonly OrderStatus[] = [
  'paid',
  'shipped',
  'completed',
  'refunded',
  'partially_refunded',
];

const FEN = { message: '$property must be an integer number of fen (分), never a decimal' };

export class OrderItemInput {
  @Text(64)
  sku!: string;

  @Text(200)
  name!: string;

  @Text(100)
  category!: string;

  @WholeNumber(1)
  quantity!: number;

  @FenAmount(FEN)
  amountFen!: number;

  /** 农产品: counts towards 农产品网络零售额. */
  @IsBoolean()
  agricultural!: boolean;
}

/** A waybill of the order: what the shipped fact passes on (OrderFactV1.waybills). */
export class OrderWaybillInput extends OrderFactWaybillV1 {}

/** One revision of an order as a platform posts it (SPEC 4.4). */
export class OrderInput {
  @ShopPlatform()
  platform!: string;

  @OrderNo()
  orderNo!: string;

  /** Later posts of the same order carry a higher revision and replace it. */
  @VersionNumber()
  revision!: number;

  /** The shop on this platform (known to the registry); or give sellerCreditCode instead. */
  @IsOptional()
  @ShopId()
  shopId?: string;

  /** 统一社会信用代码 of the seller, when the order names no shop. */
  @IsOptional()
  @IsString()
  sellerCreditCode?: string;

  /**
   * Where the seller sells from: inside the enterprise's registered division. Omitted, it is the
   * registered division itself (as the registry knows it).
   */
  @IsOptional()
  @DivisionCode()
  sellerDivisionCode?: string;

  @IsOptional()
  @DivisionCode()
  buyerDivisionCode?: string;

  @TimestampWithOffset()
  placedAt!: string;

  @IsOptional()
  @TimestampWithOffset()
  paidAt?: string;

  /** When the goods left (the shipped fact's time); defaults to paidAt, then placedAt. */
  @IsOptional()
  @TimestampWithOffset()
  shippedAt?: string;

  /** Time of the latest refund; required with a refundedAmountFen above 0. */
  @IsOptional()
  @TimestampWithOffset()
  refundedAt?: string;

  /** Cumulative amount refunded so far (never decreases between revisions). */
  @IsOptional()
  @FenAmount(FEN)
  refundedAmountFen?: number;

  /** Σ items[].amountFen. */
  @FenAmount(FEN)
  amountFen!: number;

  @NestedArray(() => OrderItemInput, { minSize: 1, maxSize: 500 })
  items!: OrderItemInput[];

  @IsOptional()
  @NestedArray(() => OrderWaybillInput, { maxSize: 100 })
  waybills?: OrderWaybillInput[];

  @OneOf(ORDER_STATUSES)
  status!: OrderStatus;
}

/** An order whose seller the registry vouches for, with the seller's division settled. */
export type SellerCheckedOrder = OrderInput & { sellerDivisionCode: string };

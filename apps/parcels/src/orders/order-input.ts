import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CARRIER_CODE_PATTERN,
  ENTERPRISE_SHOP_ID_PATTERN,
  ENTERPRISE_SHOP_PLATFORM_PATTERN,
  ORDER_NO_PATTERN,
  TIMESTAMP_WITH_OFFSET,
  WAYBILL_NO_PATTERN,
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

const DIVISION_CODE = /^\d{12}$/;
const MAX_FEN = Number.MAX_SAFE_INTEGER;
const AT = {
  message: '$property must be an ISO 8601 date-time with an offset, e.g. 2024-08-01T09:30:00+08:00',
};
const FEN = { message: '$property must be an integer number of fen (分), never a decimal' };

export class OrderItemInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  category!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsInt(FEN)
  @Min(0)
  @Max(MAX_FEN)
  amountFen!: number;

  /** 农产品: counts towards 农产品网络零售额. */
  @IsBoolean()
  agricultural!: boolean;
}

export class OrderWaybillInput {
  @Matches(CARRIER_CODE_PATTERN, { message: 'carrier must be an upper-case carrier code' })
  carrier!: string;

  @Matches(WAYBILL_NO_PATTERN, { message: 'waybillNo must be 6–40 letters, digits or hyphens' })
  waybillNo!: string;
}

/** One revision of an order as a platform posts it (SPEC 4.4). */
export class OrderInput {
  @Matches(ENTERPRISE_SHOP_PLATFORM_PATTERN, {
    message: 'platform must be a lower-case platform code such as taobao, jd or douyin',
  })
  platform!: string;

  @Matches(ORDER_NO_PATTERN, { message: 'orderNo must be 1–64 letters, digits or . _ -' })
  orderNo!: string;

  /** Later posts of the same order carry a higher revision and replace it. */
  @IsInt()
  @Min(1)
  revision!: number;

  /** The shop on this platform (known to the registry); or give sellerCreditCode instead. */
  @IsOptional()
  @Matches(ENTERPRISE_SHOP_ID_PATTERN, {
    message: 'shopId must be 1–64 letters, digits or . _ : -',
  })
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
  @Matches(DIVISION_CODE, { message: 'sellerDivisionCode must be a 12-digit division code' })
  sellerDivisionCode?: string;

  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'buyerDivisionCode must be a 12-digit division code' })
  buyerDivisionCode?: string;

  @Matches(TIMESTAMP_WITH_OFFSET, AT)
  placedAt!: string;

  @IsOptional()
  @Matches(TIMESTAMP_WITH_OFFSET, AT)
  paidAt?: string;

  /** When the goods left (the shipped fact's time); defaults to paidAt, then placedAt. */
  @IsOptional()
  @Matches(TIMESTAMP_WITH_OFFSET, AT)
  shippedAt?: string;

  /** Time of the latest refund; required with a refundedAmountFen above 0. */
  @IsOptional()
  @Matches(TIMESTAMP_WITH_OFFSET, AT)
  refundedAt?: string;

  /** Cumulative amount refunded so far (never decreases between revisions). */
  @IsOptional()
  @IsInt(FEN)
  @Min(0)
  @Max(MAX_FEN)
  refundedAmountFen?: number;

  /** Σ items[].amountFen. */
  @IsInt(FEN)
  @Min(0)
  @Max(MAX_FEN)
  amountFen!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderItemInput)
  items!: OrderItemInput[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderWaybillInput)
  waybills?: OrderWaybillInput[];

  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status!: OrderStatus;
}

/** An order whose seller the registry vouches for, with the seller's division settled. */
export type SellerCheckedOrder = OrderInput & { sellerDivisionCode: string };

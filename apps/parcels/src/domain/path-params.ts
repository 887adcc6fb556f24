import {
  CARRIER_CODE_PATTERN,
  ENTERPRISE_SHOP_PLATFORM_PATTERN,
  ORDER_NO_PATTERN,
  WAYBILL_NO_PATTERN,
} from '@ecomlog/contracts';
import type { PathParamRule } from '@ecomlog/http';

/** The parts of /v1/parcels/{carrier}/{waybillNo}: validated and documented by one rule each. */
const parcelPart = (pattern: RegExp, description: string, example: string): PathParamRule => ({
  pattern,
  problemType: 'invalid-parcel-id',
  title: 'Invalid parcel id',
  detail: () => 'Use /v1/parcels/{carrier}/{waybillNo}, e.g. /v1/parcels/ZTO/73100000001.',
  description,
  example,
});

export const CARRIER_PARAM = parcelPart(CARRIER_CODE_PATTERN, 'Carrier code', 'ZTO');
export const WAYBILL_NO_PARAM = parcelPart(WAYBILL_NO_PATTERN, 'Waybill number', '73100000001');

/** The parts of /v1/orders/{platform}/{orderNo}. */
const orderPart = (pattern: RegExp, description: string, example: string): PathParamRule => ({
  pattern,
  problemType: 'invalid-order-id',
  title: 'Invalid order id',
  detail: () => 'Use /v1/orders/{platform}/{orderNo}, e.g. /v1/orders/taobao/3921004871123.',
  description,
  example,
});

export const PLATFORM_PARAM = orderPart(
  ENTERPRISE_SHOP_PLATFORM_PATTERN,
  'Platform code',
  'taobao',
);
export const ORDER_NO_PARAM = orderPart(
  ORDER_NO_PATTERN,
  "The platform's order number",
  '3921004871123',
);

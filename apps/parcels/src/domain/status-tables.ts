import { PARCEL_STATUSES, type ParcelStatus } from '@ecomlog/contracts';

/**
 * Per-carrier status tables: what each carrier's own scan codes mean in the normalised lifecycle
 * (SPEC 4.4). Keys are matched after trimming and upper-casing Latin letters, so `got` = `GOT`.
 * Codes come from the carriers' open-platform track feeds (scan type names and operation codes).
 */
export const CARRIER_STATUS_TABLES: Readonly<
  Record<string, Readonly<Record<string, ParcelStatus>>>
> = {
  /** 中通: scanType names and the English codes of its track push. */
  ZTO: {
    下单: 'created',
    收件: 'picked_up',
    揽收: 'picked_up',
    发件: 'in_transit',
    到件: 'at_hub',
    派件: 'out_for_delivery',
    入柜: 'at_pickup_point',
    驿站入库: 'at_pickup_point',
    签收: 'delivered',
    问题件: 'exception',
    退件: 'returned',
    退回签收: 'returned',
    CREATE: 'created',
    GOT: 'picked_up',
    DEPARTURE: 'in_transit',
    ARRIVAL: 'at_hub',
    DISPATCH: 'out_for_delivery',
    INBOUND: 'at_pickup_point',
    SIGNED: 'delivered',
    PROBLEM: 'exception',
    RETURN: 'returned',
  },
  /** 圆通: track opCodes. */
  YTO: {
    CREATE: 'created',
    GOT: 'picked_up',
    DEPARTURE: 'in_transit',
    AIRSEND: 'in_transit',
    ARRIVAL: 'at_hub',
    AIRPICK: 'at_hub',
    SENT_SCAN: 'out_for_delivery',
    INBOUND: 'at_pickup_point',
    SIGNED: 'delivered',
    FAILED: 'exception',
    TMS_RETURN: 'returned',
  },
  /** 申通: scanType names. */
  STO: {
    下单: 'created',
    收件: 'picked_up',
    发件: 'in_transit',
    到件: 'at_hub',
    派件: 'out_for_delivery',
    快件入柜: 'at_pickup_point',
    驿站代收: 'at_pickup_point',
    签收: 'delivered',
    问题件: 'exception',
    留仓件: 'exception',
    退回件: 'returned',
  },
  /** 韵达: track action codes. */
  YUNDA: {
    ORDER: 'created',
    ACCEPT: 'picked_up',
    GOT: 'picked_up',
    TRANSPORT: 'in_transit',
    ARRIVE: 'at_hub',
    DELIVERING: 'out_for_delivery',
    STATION: 'at_pickup_point',
    SIGN: 'delivered',
    ISSUE: 'exception',
    RETURN: 'returned',
  },
  /** 顺丰: route opCodes (numeric, so never confused with 快递100 states, which need a prefix). */
  SF: {
    '43': 'created',
    '50': 'picked_up',
    '54': 'picked_up',
    '30': 'in_transit',
    '36': 'in_transit',
    '31': 'at_hub',
    '44': 'out_for_delivery',
    '204': 'out_for_delivery',
    '125': 'at_pickup_point',
    '130': 'at_pickup_point',
    '607': 'at_pickup_point',
    '80': 'delivered',
    '8000': 'delivered',
    '33': 'exception',
    '70': 'exception',
    '77': 'exception',
    '99': 'returned',
    '648': 'returned',
  },
  /** 京东物流: operation names of its track feed. */
  JD: {
    已下单: 'created',
    已揽收: 'picked_up',
    运输中: 'in_transit',
    分拣中心: 'at_hub',
    派送中: 'out_for_delivery',
    已到自提点: 'at_pickup_point',
    妥投: 'delivered',
    异常: 'exception',
    拒收: 'returned',
    退货: 'returned',
  },
  /** EMS / 中国邮政: mail trace opCodes. */
  EMS: {
    '100': 'created',
    '203': 'picked_up',
    '211': 'picked_up',
    '305': 'in_transit',
    '307': 'in_transit',
    '301': 'at_hub',
    '702': 'out_for_delivery',
    '747': 'at_pickup_point',
    '748': 'at_pickup_point',
    '704': 'delivered',
    '705': 'exception',
    '711': 'returned',
  },
  /** 极兔: scanTypeName values. */
  JT: {
    快件下单: 'created',
    快件揽收: 'picked_up',
    发件扫描: 'in_transit',
    到件扫描: 'at_hub',
    派件扫描: 'out_for_delivery',
    出仓扫描: 'out_for_delivery',
    代理点收入扫描: 'at_pickup_point',
    快件签收: 'delivered',
    问题件扫描: 'exception',
    退件扫描: 'returned',
  },
};

/** Prefix of the tracking aggregator convention, usable by any carrier: `kuaidi100:3`. */
export const KUAIDI100_PREFIX = 'kuaidi100:';

/**
 * 快递100 `state` values (0 在途 … 14 拒签) and its extended sub-states (101 已下单 … 1003 转递),
 * widely used by Chinese tracking aggregators.
 */
export const KUAIDI100_STATES: Readonly<Record<string, ParcelStatus>> = {
  '0': 'in_transit', // 在途
  '1': 'picked_up', // 揽收
  '2': 'exception', // 疑难
  '3': 'delivered', // 签收
  '4': 'returned', // 退签
  '5': 'out_for_delivery', // 派件
  '6': 'returned', // 退回
  '7': 'in_transit', // 转投 (handed to another carrier, still moving)
  '8': 'in_transit', // 清关
  '10': 'in_transit', // 待清关
  '11': 'in_transit', // 清关中
  '12': 'in_transit', // 已清关
  '13': 'exception', // 清关异常
  '14': 'exception', // 拒签
  '101': 'created', // 已下单
  '102': 'created', // 待揽收
  '103': 'picked_up', // 已揽收
  '1001': 'at_hub', // 到达派件城市
  '1002': 'in_transit', // 干线
  '1003': 'in_transit', // 转递
  '501': 'at_pickup_point', // 投柜或驿站
  '301': 'delivered', // 本人签收
  '302': 'delivered', // 派件异常后签收
  '303': 'delivered', // 代签
  '304': 'delivered', // 投柜或站签收
  '401': 'returned', // 已销单
  '201': 'exception', // 超时未签收
  '202': 'exception', // 超时未更新
  '203': 'exception', // 拒收
  '204': 'exception', // 派件异常
  '205': 'exception', // 柜或驿站超时未取
  '206': 'exception', // 无法联系
  '207': 'exception', // 超区
  '208': 'exception', // 滞留
  '209': 'exception', // 破损
};

export type Normalised =
  | { ok: true; status: ParcelStatus; via: 'normalised' | 'carrier' | 'kuaidi100' }
  | { ok: false; reason: string };

const NORMALISED = new Set<string>(PARCEL_STATUSES);

/**
 * Maps what a courier sent to the lifecycle: a normalised status as is, `kuaidi100:<state>`
 * through the aggregator table, anything else through the carrier's own table. Refusals name
 * the carrier and the code.
 */
export function normaliseStatus(carrier: string, status: string): Normalised {
  const code = status.trim();
  if (NORMALISED.has(code)) return { ok: true, status: code as ParcelStatus, via: 'normalised' };
  if (code.toLowerCase().startsWith(KUAIDI100_PREFIX)) {
    const state = code.slice(KUAIDI100_PREFIX.length).trim();
    const mapped = KUAIDI100_STATES[state] as ParcelStatus | undefined;
    return mapped
      ? { ok: true, status: mapped, via: 'kuaidi100' }
      : {
          ok: false,
          reason: `carrier ${carrier}: unknown 快递100 state "${state}" in status "${code}" (known states: ${Object.keys(KUAIDI100_STATES).join(', ')})`,
        };
  }
  const table = CARRIER_STATUS_TABLES[carrier] as
    Readonly<Record<string, ParcelStatus>> | undefined;
  const mapped = table?.[code.toUpperCase()];
  if (mapped) return { ok: true, status: mapped, via: 'carrier' };
  return {
    ok: false,
    reason: table
      ? `carrier ${carrier}: unknown status code "${code}" (not in the ${carrier} table; send a code of that table, a normalised status such as picked_up, or kuaidi100:<state>)`
      : `carrier ${carrier}: unknown status code "${code}" (there is no status table for ${carrier}; send a normalised status such as picked_up, or kuaidi100:<state>)`,
  };
}

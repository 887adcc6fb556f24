import type { IndicatorId } from '@ecomlog/contracts';
import type { DirtySource } from '../publishing/dirty-cells';

export type IndicatorUnit = 'fen' | 'count' | 'hours' | 'ratio';

export interface IndicatorInfo {
  id: IndicatorId;
  nameZh: string;
  nameEn: string;
  unit: IndicatorUnit;
  /** Ratios answer with numerator and denominator. */
  ratio: boolean;
  /** Stock indicators are read at the period end (or today, for a period in progress). */
  stock: boolean;
  /** Which changes can move it (for the indicator topic). */
  sources: DirtySource[];
  definition: string;
}

/** SPEC 4.6: every indicator, what it means and what moves it. */
export const INDICATORS: readonly IndicatorInfo[] = [
  {
    id: 'retail_sales',
    nameZh: '网络零售额',
    nameEn: 'Online retail sales',
    unit: 'fen',
    ratio: false,
    stock: false,
    sources: ['orders'],
    definition:
      'Σ paid − Σ refunded of orders, by seller division, each on the day of its own event time; splits by platform and agricultural part.',
  },
  {
    id: 'retail_sales_agricultural',
    nameZh: '农产品网络零售额',
    nameEn: 'Online retail sales of agricultural products',
    unit: 'fen',
    ratio: false,
    stock: false,
    sources: ['orders'],
    definition: 'The agricultural part of retail_sales (refunds apportioned pro rata by parcels).',
  },
  {
    id: 'retail_enterprises',
    nameZh: '网络零售企业数',
    nameEn: 'Online retail enterprises',
    unit: 'count',
    ratio: false,
    stock: true,
    sources: ['enterprises'],
    definition:
      'Enterprises of kind ecommerce_retailer active at the period end, by registered division.',
  },
  {
    id: 'retail_enterprises_new',
    nameZh: '新增网络零售企业数',
    nameEn: 'New online retail enterprises',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['enterprises'],
    definition: 'Enterprises of kind ecommerce_retailer registered within the period.',
  },
  {
    id: 'enterprises_over_threshold',
    nameZh: '头部企业数',
    nameEn: 'Sellers over the sales threshold',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['orders'],
    definition:
      'Sellers whose retail_sales in the period within the division ≥ the threshold (query parameter `threshold` in fen, default ¥10,000,000).',
  },
  {
    id: 'parcel_volume',
    nameZh: '快递业务量',
    nameEn: 'Parcel volume',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['parcels'],
    definition:
      'Distinct parcels picked up, by origin division and pickup day; splits by carrier and by direction relative to the division (outbound, internal, inbound, unknown).',
  },
  {
    id: 'parcels_delivered',
    nameZh: '派送量',
    nameEn: 'Parcels delivered',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['parcels'],
    definition:
      'Distinct parcels delivered, by destination division and delivery day; split by carrier.',
  },
  {
    id: 'hub_sorted',
    nameZh: '日分拣量',
    nameEn: 'Parcels sorted at hubs',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['hubs'],
    definition:
      'Distinct parcels scanned at_hub per sorting site per day, summed over the days and the sites located in the division; split by site.',
  },
  {
    id: 'delivery_hours_p50',
    nameZh: '时效（中位数）',
    nameEn: 'Delivery time, median',
    unit: 'hours',
    ratio: false,
    stock: false,
    sources: ['parcels'],
    definition:
      'Median hours from picked_up to delivered (nearest rank over whole minutes), by destination division and delivery day.',
  },
  {
    id: 'delivery_hours_p90',
    nameZh: '时效（90分位）',
    nameEn: 'Delivery time, 90th percentile',
    unit: 'hours',
    ratio: false,
    stock: false,
    sources: ['parcels'],
    definition:
      '90th percentile of hours from picked_up to delivered (nearest rank over whole minutes).',
  },
  {
    id: 'joint_distribution_share',
    nameZh: '共配比例',
    nameEn: 'Joint distribution share',
    unit: 'ratio',
    ratio: true,
    stock: false,
    sources: ['parcels'],
    definition: 'Jointly distributed delivered parcels ÷ delivered parcels.',
  },
  {
    id: 'town_station_coverage',
    nameZh: '乡镇电商服务站覆盖率（乡乡有网点）',
    nameEn: 'Towns with a service station',
    unit: 'ratio',
    ratio: true,
    stock: true,
    sources: ['coverage'],
    definition:
      'Active towns in the division with ≥ 1 operating town_service_station at the period end ÷ active towns.',
  },
  {
    id: 'village_point_coverage',
    nameZh: '村级电商服务点覆盖率',
    nameEn: 'Villages with a service point',
    unit: 'ratio',
    ratio: true,
    stock: true,
    sources: ['coverage'],
    definition:
      'Administrative villages with ≥ 1 operating village_service_point at the period end ÷ administrative villages.',
  },
  {
    id: 'village_express_coverage',
    nameZh: '快递服务建制村覆盖率（村村通快递）',
    nameEn: 'Villages with express service',
    unit: 'ratio',
    ratio: true,
    stock: true,
    sources: ['coverage'],
    definition:
      'Administrative villages with ≥ 1 operating village point, pickup point, locker or rural supermarket serving ≥ 1 carrier ÷ administrative villages.',
  },
  {
    id: 'training_attendees',
    nameZh: '培训人次',
    nameEn: 'Training attendees',
    unit: 'count',
    ratio: false,
    stock: false,
    sources: ['trainings'],
    definition: 'Σ attendees of trainings held in the division in the period.',
  },
  {
    id: 'funds_allocated',
    nameZh: '资金下达',
    nameEn: 'Funds allocated',
    unit: 'fen',
    ratio: false,
    stock: false,
    sources: ['funds'],
    definition:
      'Σ allocations from sources to programs of the division posted in the period; scopes program:<id>, source:<id>.',
  },
  {
    id: 'funds_disbursed',
    nameZh: '资金拨付',
    nameEn: 'Funds disbursed',
    unit: 'fen',
    ratio: false,
    stock: false,
    sources: ['funds'],
    definition:
      'Σ tranche disbursements and subsidy payments of programs of the division posted in the period; scopes program:<id>, source:<id>.',
  },
  {
    id: 'funds_disbursement_rate',
    nameZh: '资金拨付率',
    nameEn: 'Funds disbursement rate',
    unit: 'ratio',
    ratio: true,
    stock: true,
    sources: ['funds'],
    definition:
      'Disbursed ÷ allocated, both cumulative up to the period end; scopes program:<id>, source:<id>.',
  },
  {
    id: 'target_attainment',
    nameZh: '目标完成率',
    nameEn: 'Target attainment',
    unit: 'ratio',
    ratio: true,
    stock: false,
    sources: ['targets'],
    definition:
      'Actual ÷ target for every indicator with a target for the division and period (scope indicator:<id>).',
  },
];

const INDICATOR_BY_ID = new Map<string, IndicatorInfo>(INDICATORS.map((info) => [info.id, info]));

export function indicatorInfo(id: IndicatorId): IndicatorInfo {
  const info = INDICATOR_BY_ID.get(id);
  if (!info) throw new Error(`indicator ${id} is not in the catalogue`);
  return info;
}

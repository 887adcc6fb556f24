import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
  Matches,
} from 'class-validator';
import { defineSnapshotEvent, SnapshotEventV1 } from '../snapshot-event';
import {
  CalendarDay,
  DivisionCode,
  FiniteNumberIn,
  NestedArray,
  NestedObject,
  OptionalText,
  SubsetOf,
  Text,
  WholeNumber,
} from '../field-rules';
import { TOPICS } from '../topics';
import { ENTERPRISE_CARRIER_CODE_PATTERN } from '../registry/enterprise-changed.event';

/** SPEC 4.3: the kinds of sites of the service network and logistics facilities. */
export const SITE_KINDS = [
  'county_service_center', // 县级电商公共服务中心
  'town_service_station', // 乡镇电商服务站
  'village_service_point', // 村级电商服务点
  'county_sorting_center', // 县级快递分拣/共配中心
  'warehouse', // 仓储配送中心 (cold-chain, cloud warehouse)
  'pickup_point', // 快递代收代寄点/驿站
  'parcel_locker', // 智能快件箱
  'rural_supermarket', // 电商快递兴农超市
  'ecommerce_park', // 电商产业园
  'livestream_base', // 直播基地
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Dated lifecycle of a site: planned → under_construction → operating ⇄ suspended → closed. */
export const SITE_STATUSES = [
  'planned',
  'under_construction',
  'operating',
  'suspended',
  'closed',
] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/** What a site offers its town or village. */
export const SITE_SERVICES = [
  'ecommerce_training', // 电商培训
  'product_sourcing', // 农产品收购/上行代销
  'online_shopping_agency', // 代购 (网购下行)
  'parcel_collection', // 揽收/代寄: parcels handed in to be sent
  'parcel_delivery', // 派送/代收: parcels delivered to or picked up by residents
  'returns', // 退换货
  'sorting', // 分拣
  'joint_distribution', // 共同配送 (统仓共配)
  'warehousing', // 仓储
  'cold_chain', // 冷链
  'livestreaming', // 直播带货
  'bill_payment', // 代缴费
] as const;
export type SiteService = (typeof SITE_SERVICES)[number];

/** China's bounding box: a coordinate outside it is a typo (or lat/lng swapped). */
export const SITE_LATITUDE_RANGE = { min: 3.8, max: 53.6 } as const;
export const SITE_LONGITUDE_RANGE = { min: 73.5, max: 135.1 } as const;

/** One dated entry of the status history; a status holds from `effectiveFrom` until the next. */
export class SiteStatusEntryV1 {
  @IsIn(SITE_STATUSES)
  status!: SiteStatus;

  @CalendarDay()
  effectiveFrom!: string;

  @OptionalText(500)
  note!: string | null;
}

/** WGS-84 coordinates inside China's bounding box. */
export class SiteLocationV1 {
  @FiniteNumberIn(SITE_LATITUDE_RANGE)
  lat!: number;

  @FiniteNumberIn(SITE_LONGITUDE_RANGE)
  lng!: number;
}

/** Warehouse flags; always false for other kinds. */
export class SiteFlagsV1 {
  /** 冷链. */
  @IsBoolean()
  coldChain!: boolean;

  /** 云仓. */
  @IsBoolean()
  cloudWarehouse!: boolean;
}

/**
 * 站点: the latest full state of one site. Every change bumps `version` by one and republishes
 * everything, so a read model keeps the payload with the highest version. The status on any day D
 * is the entry of `statusHistory` with the latest `effectiveFrom` ≤ D; before the first entry the
 * site did not exist yet.
 */
export class SiteChangedV1 extends SnapshotEventV1 {
  @IsUUID()
  id!: string;

  @Text(200)
  name!: string;

  @IsIn(SITE_KINDS)
  kind!: SiteKind;

  /** The division the site sits in; its level fits the kind. */
  @DivisionCode()
  divisionCode!: string;

  /** Enterprise id in registry.enterprises.v1. */
  @IsUUID()
  operatorEnterpriseId!: string;

  /** Carrier codes of the courier enterprises served (多站合一), sorted. */
  @IsArray()
  @ArrayUnique()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, {
    each: true,
    message: 'carriers must be short upper-case carrier codes such as ZTO',
  })
  carriers!: string[];

  @SubsetOf(SITE_SERVICES)
  services!: SiteService[];

  /** Parcels a day; null when not declared. */
  @IsOptional()
  @WholeNumber(0)
  dailyCapacity!: number | null;

  @OptionalText(300)
  address!: string | null;

  @IsOptional()
  @NestedObject(() => SiteLocationV1)
  location!: SiteLocationV1 | null;

  @NestedObject(() => SiteFlagsV1)
  flags!: SiteFlagsV1;

  /** Oldest first; consecutive entries follow the allowed transitions, one entry per day. */
  @NestedArray(() => SiteStatusEntryV1, { minSize: 1 })
  statusHistory!: SiteStatusEntryV1[];
}

export const SiteChanged = defineSnapshotEvent<SiteChangedV1>({
  type: 'cn.ecomlog.sites.site-changed.v1',
  topic: TOPICS.sitesSites,
  payload: SiteChangedV1,
  collection: 'sites',
  id: (site) => site.id,
  summary:
    'A site was registered or changed (details, operator, carriers, services, or a dated status entry).',
  example: {
    id: '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35',
    name: '宁安镇殷庄村电商服务点',
    kind: 'village_service_point',
    divisionCode: '640521100201',
    operatorEnterpriseId: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    carriers: ['YTO', 'ZTO'],
    services: [
      'online_shopping_agency',
      'parcel_collection',
      'parcel_delivery',
      'product_sourcing',
    ],
    dailyCapacity: 300,
    address: '宁安镇殷庄村村委会院内',
    location: { lat: 37.4893, lng: 105.6712 },
    flags: { coldChain: false, cloudWarehouse: false },
    statusHistory: [
      { status: 'planned', effectiveFrom: '2023-03-01', note: null },
      { status: 'under_construction', effectiveFrom: '2023-04-10', note: null },
      { status: 'operating', effectiveFrom: '2023-06-18', note: '验收通过' },
    ],
    version: 4,
    changedAt: '2024-08-01T10:15:00+08:00',
  },
});

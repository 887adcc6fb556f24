import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { defineSnapshotEvent, SnapshotEventV1 } from '../snapshot-event';
import {
  CalendarDay,
  CalendarYear,
  DivisionCode,
  NestedArray,
  OptionalText,
  SubsetOf,
  Text,
} from '../field-rules';
import { TOPICS } from '../topics';
import { IsCreditCode } from './credit-code';

export const ENTERPRISE_KINDS = [
  'ecommerce_retailer',
  'courier',
  'logistics',
  'platform',
  'mcn',
  'cooperative',
  'service_contractor',
  'warehouse_operator',
  'livestreamer',
] as const;
/** 网络零售企业, 快递 (with a carrier code), 物流 (with an A-level rating), 平台, MCN, 合作社, 承办企业 … */
export type EnterpriseKind = (typeof ENTERPRISE_KINDS)[number];

export const ENTERPRISE_STATUSES = ['active', 'suspended', 'deregistered'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

/** 物流企业综合评估 (GB/T 19680) A levels; only a `logistics` enterprise carries one. */
export const LOGISTICS_RATINGS = ['1A', '2A', '3A', '4A', '5A'] as const;
export type LogisticsRating = (typeof LOGISTICS_RATINGS)[number];

export const ENTERPRISE_CREDIT_STATUSES = ['good', 'blacklisted'] as const;
export type EnterpriseCreditStatus = (typeof ENTERPRISE_CREDIT_STATUSES)[number];

/** Level of a 示范企业 designation. */
export const ENTERPRISE_DESIGNATION_LEVELS = ['national', 'provincial', 'municipal'] as const;
export type EnterpriseDesignationLevel = (typeof ENTERPRISE_DESIGNATION_LEVELS)[number];

/** Short express-brand code of a courier enterprise: `ZTO`, `YTO`, `SF`, `JD`, `EMS`, `YUNDA` … */
export const ENTERPRISE_CARRIER_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
/** Platform of a shop, lower-case: `taobao`, `tmall`, `jd`, `pinduoduo`, `douyin`, `kuaishou` … */
export const ENTERPRISE_SHOP_PLATFORM_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/;
/** The platform's own shop id (it appears in URLs: letters, digits and `. _ : -`). */
export const ENTERPRISE_SHOP_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The lower-case platform of a shop (ENTERPRISE_SHOP_PLATFORM_PATTERN). */
export function ShopPlatform(): PropertyDecorator {
  return Matches(ENTERPRISE_SHOP_PLATFORM_PATTERN, {
    message: '$property must be a lower-case platform code such as taobao, jd or douyin',
  });
}

/** The platform's own id of a shop (ENTERPRISE_SHOP_ID_PATTERN). */
export function ShopId(): PropertyDecorator {
  return Matches(ENTERPRISE_SHOP_ID_PATTERN, {
    message: '$property must be 1–64 letters, digits or . _ : -',
  });
}

/** One dated entry of the status history; a status holds from `effectiveFrom` until the next. */
export class EnterpriseStatusEntryV1 {
  @IsIn(ENTERPRISE_STATUSES)
  status!: EnterpriseStatus;

  @CalendarDay()
  effectiveFrom!: string;
}

/**
 * A 失信 listing. Blacklisted on day d when `from` ≤ d and (`to` is null or d < `to`): `to` is
 * the first day no longer blacklisted (null: still listed).
 */
export class EnterpriseBlacklistPeriodV1 {
  @CalendarDay()
  from!: string;

  @IsOptional()
  @CalendarDay()
  to!: string | null;

  @Text(500)
  reason!: string;
}

/** 示范企业: a demonstration-enterprise designation of one level in one year. */
export class EnterpriseDesignationV1 {
  @IsIn(ENTERPRISE_DESIGNATION_LEVELS)
  level!: EnterpriseDesignationLevel;

  @CalendarYear()
  year!: number;

  @OptionalText(200)
  title?: string | null;
}

/** 网店: a shop on a platform, so that orders can name their seller. */
export class EnterpriseShopV1 {
  @ShopPlatform()
  platform!: string;

  @ShopId()
  shopId!: string;

  @Text(200)
  name!: string;
}

/** A product of this enterprise in a public brand's library (公共品牌库). */
export class EnterpriseBrandProductV1 {
  @Text(200)
  name!: string;

  /** 追溯码: unique across every brand. */
  @Text(64)
  traceabilityCode!: string;
}

/** A 区域公共品牌 this enterprise is authorised to use, with its products in the brand library. */
export class EnterpriseBrandV1 {
  @IsUUID()
  brandId!: string;

  @Text()
  brandName!: string;

  @CalendarDay()
  authorisedOn!: string;

  @NestedArray(() => EnterpriseBrandProductV1)
  products!: EnterpriseBrandProductV1[];
}

/**
 * 企业: the latest full state of one enterprise. Every change bumps `version` by one and republishes
 * everything, so a read model keeps the payload with the highest version and needs nothing else.
 * `status` and `creditStatus` are as of `changedAt`; for any other day, read the dated history.
 */
export class EnterpriseChangedV1 extends SnapshotEventV1 {
  @IsUUID()
  id!: string;

  /** 统一社会信用代码, GB 32100-2015 (check character verified), unique per enterprise. */
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, {
    message: 'creditCode must be 18 characters of 0-9 and A-Z without I, O, S, V, Z',
  })
  @IsCreditCode()
  creditCode!: string;

  @Text(200)
  name!: string;

  @SubsetOf(ENTERPRISE_KINDS, { minSize: 1 })
  kinds!: EnterpriseKind[];

  /** Set exactly when `kinds` includes `courier`. */
  @IsOptional()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, {
    message: 'carrierCode must be a short upper-case carrier code such as ZTO',
  })
  carrierCode!: string | null;

  /** Only when `kinds` includes `logistics`. */
  @IsOptional()
  @IsIn(LOGISTICS_RATINGS)
  logisticsRating!: LogisticsRating | null;

  /** County, town or village (12 digits). */
  @DivisionCode()
  registeredDivisionCode!: string;

  @CalendarDay()
  registeredOn!: string;

  @IsIn(ENTERPRISE_STATUSES)
  status!: EnterpriseStatus;

  /** Oldest first; the first entry is `active` from the registration date. */
  @NestedArray(() => EnterpriseStatusEntryV1, { minSize: 1 })
  statusHistory!: EnterpriseStatusEntryV1[];

  /** 在本地纳税. */
  @IsBoolean()
  taxRegisteredLocally!: boolean;

  /** 独立法人. */
  @IsBoolean()
  independentLegalEntity!: boolean;

  @IsIn(ENTERPRISE_CREDIT_STATUSES)
  creditStatus!: EnterpriseCreditStatus;

  /** Oldest first; periods never overlap. */
  @NestedArray(() => EnterpriseBlacklistPeriodV1)
  blacklistPeriods!: EnterpriseBlacklistPeriodV1[];

  @NestedArray(() => EnterpriseDesignationV1)
  designations!: EnterpriseDesignationV1[];

  @NestedArray(() => EnterpriseShopV1)
  shops!: EnterpriseShopV1[];

  /** Public brands this enterprise may use and its products in their libraries. */
  @NestedArray(() => EnterpriseBrandV1)
  brands!: EnterpriseBrandV1[];
}

export const EnterpriseChanged = defineSnapshotEvent<EnterpriseChangedV1>({
  type: 'cn.ecomlog.registry.enterprise-changed.v1',
  topic: TOPICS.registryEnterprises,
  payload: EnterpriseChangedV1,
  collection: 'enterprises',
  id: (enterprise) => enterprise.id,
  summary:
    'An enterprise was registered or changed (kinds, status, credit status, designations, shops, brand authorisations or brand products).',
  example: {
    id: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    creditCode: '93640521MA76L6QK0D',
    name: '中宁县宁安堡枸杞种植专业合作社',
    kinds: ['cooperative', 'ecommerce_retailer'],
    carrierCode: null,
    logisticsRating: null,
    registeredDivisionCode: '640521100000',
    registeredOn: '2019-04-12',
    status: 'active',
    statusHistory: [
      { status: 'active', effectiveFrom: '2019-04-12' },
      { status: 'suspended', effectiveFrom: '2021-11-01' },
      { status: 'active', effectiveFrom: '2022-02-15' },
    ],
    taxRegisteredLocally: true,
    independentLegalEntity: true,
    creditStatus: 'good',
    blacklistPeriods: [
      {
        from: '2021-07-01',
        to: '2022-01-10',
        reason: '未按期公示年度报告 (annual report not published on time)',
      },
    ],
    designations: [{ level: 'provincial', year: 2023, title: '自治区级电子商务示范企业' }],
    shops: [{ platform: 'taobao', shopId: '573920114', name: '宁安堡枸杞旗舰店' }],
    brands: [
      {
        brandId: '5d2c1e7a-9b3f-4a6d-8e21-7f0c4b9a2d13',
        brandName: '中宁枸杞',
        authorisedOn: '2023-05-10',
        products: [{ name: '中宁枸杞 特级 500g', traceabilityCode: 'ZNGQ-2023-000187' }],
      },
    ],
    version: 9,
    changedAt: '2024-08-01T10:15:00+08:00',
  },
});

import type { SiteKind, SiteService, SiteStatus } from '@ecomlog/contracts';
import type { CreateSiteDto } from '../sites/dto/create-site.dto';

/** How a cell becomes a CreateSiteDto value. */
export type CellType = 'text' | 'int' | 'number' | 'list' | 'boolean' | 'day' | 'enterprise';

export interface SiteColumn {
  field: keyof CreateSiteDto;
  /** The header officials write; what the import guide shows. */
  chinese: string;
  /** Other headers accepted for the column (compared without case, spaces, `*` and (…) notes). */
  aliases: readonly string[];
  type: CellType;
  /** Required columns must be present in the header row. */
  required: boolean;
  /** Words officials write for the values, mapped to the API's codes. */
  values?: Readonly<Record<string, string>>;
}

/** 站点类型: the Chinese names of SPEC 4.3 (and common short forms) for each kind. */
export const KIND_NAMES: Readonly<Record<string, SiteKind>> = {
  县级电商公共服务中心: 'county_service_center',
  县级电子商务公共服务中心: 'county_service_center',
  县级服务中心: 'county_service_center',
  乡镇电商服务站: 'town_service_station',
  镇级电商服务站: 'town_service_station',
  乡镇服务站: 'town_service_station',
  村级电商服务点: 'village_service_point',
  村级服务点: 'village_service_point',
  村级电商服务站: 'village_service_point',
  县级快递分拣中心: 'county_sorting_center',
  县级共配中心: 'county_sorting_center',
  县级快递共配中心: 'county_sorting_center',
  '县级快递分拣/共配中心': 'county_sorting_center',
  仓储配送中心: 'warehouse',
  快递代收代寄点: 'pickup_point',
  快递驿站: 'pickup_point',
  驿站: 'pickup_point',
  智能快件箱: 'parcel_locker',
  快递柜: 'parcel_locker',
  电商快递兴农超市: 'rural_supermarket',
  兴农超市: 'rural_supermarket',
  电商产业园: 'ecommerce_park',
  直播基地: 'livestream_base',
};

/** 状态: the statuses a site may be registered with. */
export const STATUS_NAMES: Readonly<Record<string, SiteStatus>> = {
  规划: 'planned',
  规划中: 'planned',
  拟建: 'planned',
  在建: 'under_construction',
  建设中: 'under_construction',
  运营: 'operating',
  运营中: 'operating',
  正常运营: 'operating',
  已运营: 'operating',
};

/** 服务内容. */
export const SERVICE_NAMES: Readonly<Record<string, SiteService>> = {
  电商培训: 'ecommerce_training',
  培训: 'ecommerce_training',
  农产品收购: 'product_sourcing',
  农产品上行: 'product_sourcing',
  代销: 'product_sourcing',
  代购: 'online_shopping_agency',
  网购代购: 'online_shopping_agency',
  揽收: 'parcel_collection',
  代寄: 'parcel_collection',
  揽收代寄: 'parcel_collection',
  派送: 'parcel_delivery',
  代收: 'parcel_delivery',
  代收派送: 'parcel_delivery',
  退换货: 'returns',
  分拣: 'sorting',
  共同配送: 'joint_distribution',
  共配: 'joint_distribution',
  统仓共配: 'joint_distribution',
  仓储: 'warehousing',
  冷链: 'cold_chain',
  直播带货: 'livestreaming',
  直播: 'livestreaming',
  代缴费: 'bill_payment',
};

/** 服务快递: the express brands of SPEC 1 by the names officials use. */
export const CARRIER_NAMES: Readonly<Record<string, string>> = {
  邮政: 'EMS',
  中国邮政: 'EMS',
  邮政EMS: 'EMS',
  顺丰: 'SF',
  京东: 'JD',
  中通: 'ZTO',
  圆通: 'YTO',
  韵达: 'YUNDA',
  申通: 'STO',
  极兔: 'JT',
};

const BOOLEAN_NAMES: Readonly<Record<string, string>> = {
  是: 'true',
  有: 'true',
  否: 'false',
  无: 'false',
};

/**
 * The import's columns: every CreateSiteDto field, by its API name or the header officials use.
 * Documented in apps/sites/src/imports/README.md.
 */
export const SITE_COLUMNS: readonly SiteColumn[] = [
  { field: 'name', chinese: '站点名称', aliases: ['名称', '站点名'], type: 'text', required: true },
  {
    field: 'kind',
    chinese: '站点类型',
    aliases: ['类型'],
    type: 'text',
    required: true,
    values: KIND_NAMES,
  },
  {
    field: 'divisionCode',
    chinese: '区划代码',
    aliases: ['行政区划代码', '统计用区划代码'],
    type: 'text',
    required: true,
  },
  {
    field: 'operatorEnterpriseId',
    chinese: '运营企业',
    aliases: ['运营主体', '运营企业信用代码', 'operator'],
    type: 'enterprise',
    required: true,
  },
  {
    field: 'carriers',
    chinese: '服务快递',
    aliases: ['合作快递', '快递品牌'],
    type: 'list',
    required: false,
    values: CARRIER_NAMES,
  },
  {
    field: 'services',
    chinese: '服务内容',
    aliases: ['服务项目'],
    type: 'list',
    required: false,
    values: SERVICE_NAMES,
  },
  {
    field: 'dailyCapacity',
    chinese: '日处理能力',
    aliases: ['日处理量'],
    type: 'int',
    required: false,
  },
  { field: 'address', chinese: '地址', aliases: ['详细地址'], type: 'text', required: false },
  { field: 'latitude', chinese: '纬度', aliases: [], type: 'number', required: false },
  { field: 'longitude', chinese: '经度', aliases: [], type: 'number', required: false },
  {
    field: 'coldChain',
    chinese: '冷链',
    aliases: [],
    type: 'boolean',
    required: false,
    values: BOOLEAN_NAMES,
  },
  {
    field: 'cloudWarehouse',
    chinese: '云仓',
    aliases: [],
    type: 'boolean',
    required: false,
    values: BOOLEAN_NAMES,
  },
  {
    field: 'status',
    chinese: '状态',
    aliases: ['站点状态'],
    type: 'text',
    required: false,
    values: STATUS_NAMES,
  },
  {
    field: 'effectiveFrom',
    chinese: '生效日期',
    aliases: ['状态日期', '建成日期'],
    type: 'day',
    required: false,
  },
  { field: 'note', chinese: '备注', aliases: [], type: 'text', required: false },
];

/** Headers compare without case, spaces, a required-marker `*` and notes in (…) or （…）. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\(.*?\)/g, '')
    .replace(/[\s*_-]/g, '')
    .toLowerCase();
}

const COLUMN_BY_HEADER = new Map<string, SiteColumn>(
  SITE_COLUMNS.flatMap((column) =>
    [column.field, column.chinese, ...column.aliases].map(
      (header) => [headerKey(header), column] as const,
    ),
  ),
);

export function columnForHeader(text: string): SiteColumn | undefined {
  return COLUMN_BY_HEADER.get(headerKey(text));
}

/** What the accepted headers are, for error messages. */
export function describeColumns(): string {
  return SITE_COLUMNS.map((column) => `${column.chinese}/${column.field}`).join(', ');
}

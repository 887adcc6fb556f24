import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OfficialRole } from '@ecomlog/auth';
import {
  type DivisionChangedV1,
  type DivisionLevel,
  type EnterpriseChangedV1,
  type EnterpriseKind,
  type EnterpriseStatus,
  type SiteChangedV1,
} from '@ecomlog/contracts';
// Test support, imported only by the integration specs (the lint rule knows specs by file name).
import {
  bootServiceUnderTest,
  divisionState,
  enterpriseState,
  numberedCreditCode,
  outboxRowsOf,
  type HttpAgent,
  type OutboxRowOf,
  type ServiceUnderTest,
} from '@ecomlog/testing';
import { AppModule } from '../src/app.module';
import { SitesEnv } from '../src/config';

export type { HttpAgent };
export { expectProblem as problem, type ProblemBody as Problem } from '@ecomlog/testing';

export type OutboxRow = OutboxRowOf<SiteChangedV1>;

export interface SitesTestApp extends ServiceUnderTest<SitesEnv> {
  /** An agent carrying an official's token with these roles and region ('' = nationwide). */
  as(roles: OfficialRole[], region: string, subject?: string): HttpAgent;
}

/**
 * The real sites service (AppModule: every feature and read model) on a throwaway database with
 * the real Kafka and Redis. Tokens are registry-format EdDSA tokens signed with a key of this run,
 * checked by the real AuthGuard. With `consumers`, the read-model consumers run under a group
 * prefix of their own.
 */
export async function startSitesApp(
  name: string,
  options: { consumers?: boolean } = {},
): Promise<SitesTestApp> {
  const sites = await bootServiceUnderTest({
    service: 'sites',
    name,
    envClass: SitesEnv,
    appModule: (env) => AppModule.register(env),
    consumers: options.consumers,
  });
  return Object.assign(sites, { as: sites.official });
}

/**
 * Division codes of a county of our own under a province prefix no real division uses (90–99),
 * with a random city and county: the registry topics are shared with other test runs.
 */
export function testCounty() {
  const random = (from: number, to: number): number =>
    from + Math.floor(Math.random() * (to - from));
  const province = `9${random(0, 10)}`;
  const city = `${province}${String(random(10, 99))}`;
  const county = `${city}${String(random(10, 99))}`;
  const otherCounty = `${city}${String(Number(county.slice(4)) === 98 ? 97 : Number(county.slice(4)) + 1)}`;
  return {
    prefix: county,
    otherPrefix: otherCounty,
    PROVINCE: `${province}0000000000`,
    CITY: `${city}00000000`,
    COUNTY: `${county}000000`,
    OTHER_COUNTY: `${otherCounty}000000`,
    /** Town `n` (1-based) of the county. */
    town: (n: number): string => `${county}${String(100 + n)}000`,
    /** Administrative village `v` (1-based) of town `n`: suffix 200 + v. */
    village: (n: number, v: number): string => `${county}${String(100 + n)}${String(200 + v)}`,
    /** Urban residents' committee `r` of town `n`: suffix 000 + r. */
    committee: (n: number, r: number): string =>
      `${county}${String(100 + n)}${String(r).padStart(3, '0')}`,
    otherTown: (n: number): string => `${otherCounty}${String(100 + n)}000`,
    otherVillage: (n: number, v: number): string =>
      `${otherCounty}${String(100 + n)}${String(200 + v)}`,
  };
}

export function levelOf(code: string): DivisionLevel {
  if (code.slice(2) === '0000000000') return 'province';
  if (code.slice(4) === '00000000') return 'city';
  if (code.slice(6) === '000000') return 'county';
  if (code.slice(9) === '000') return 'town';
  return 'village';
}

export function parentOf(code: string): string | null {
  switch (levelOf(code)) {
    case 'province':
      return null;
    case 'city':
      return `${code.slice(0, 2)}0000000000`;
    case 'county':
      return `${code.slice(0, 4)}00000000`;
    case 'town':
      return `${code.slice(0, 6)}000000`;
    default:
      return `${code.slice(0, 9)}000`;
  }
}

/** The DivisionChanged payload registry publishes for a division. */
export function divisionEvent(
  code: string,
  name: string,
  overrides: Partial<DivisionChangedV1> = {},
): DivisionChangedV1 {
  const level = levelOf(code);
  const suffix = Number(code.slice(9));
  return divisionState(code, name, level, parentOf(code), {
    administrativeVillage: level === 'village' && suffix >= 200 && suffix <= 399,
    ...overrides,
  });
}

/**
 * Seeds known_division directly: the rows the division consumer would write from
 * registry.divisions.v1 (the consumer itself is covered by the skeleton e2e and the Kafka spec).
 */
export async function seedDivisions(
  dataSource: DataSource,
  divisions: DivisionChangedV1[],
): Promise<void> {
  await insertEach(
    dataSource,
    'known_division',
    divisions,
    [
      'code',
      'name',
      'level',
      'parentCode',
      'administrativeVillage',
      'status',
      'replacedBy',
      'version',
    ],
    { events_seen: () => 1 },
  );
}

/**
 * Inserts one row into `table` for each item: the `fields` under their snake_case column names,
 * then the `computed` columns.
 */
async function insertEach<T extends object>(
  dataSource: DataSource,
  table: string,
  items: T[],
  fields: readonly (keyof T & string)[],
  computed: Record<string, (item: T) => unknown> = {},
): Promise<void> {
  const columns = [
    ...fields.map((field) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
    ...Object.keys(computed),
  ];
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  for (const item of items) {
    await dataSource.query(sql, [
      ...fields.map((field) => item[field]),
      ...Object.values(computed).map((column) => column(item)),
    ]);
  }
}

/**
 * Seeds the read models of a test county: its province, city and county, then `divisions`, then
 * the neighbouring county with its first town and village (names 邻县, 邻县一镇, 邻县一村); and
 * the `enterprises`.
 */
export async function seedCounty(
  dataSource: DataSource,
  c: ReturnType<typeof testCounty>,
  divisions: DivisionChangedV1[],
  enterprises: EnterpriseChangedV1[],
): Promise<void> {
  await seedDivisions(dataSource, [
    divisionEvent(c.PROVINCE, '测试省'),
    divisionEvent(c.CITY, '测试市'),
    divisionEvent(c.COUNTY, '测试县'),
    ...divisions,
    divisionEvent(c.OTHER_COUNTY, '邻县'),
    divisionEvent(c.otherTown(1), '邻县一镇'),
    divisionEvent(c.otherVillage(1, 1), '邻县一村'),
  ]);
  await seedEnterprises(dataSource, enterprises);
}

let serial = 0;

/** A valid unified social credit code registered in this county (check character computed). */
export function creditCode(countyPrefix: string): string {
  serial += 1;
  return numberedCreditCode(countyPrefix, serial);
}

/** The EnterpriseChanged payload registry publishes for an enterprise. */
export function enterpriseEvent(
  county: string,
  overrides: {
    id?: string;
    name?: string;
    kinds?: EnterpriseKind[];
    carrierCode?: string | null;
    status?: EnterpriseStatus;
    version?: number;
    registeredDivisionCode?: string;
  } = {},
): EnterpriseChangedV1 {
  const status = overrides.status ?? 'active';
  return enterpriseState({
    id: overrides.id ?? randomUUID(),
    creditCode: creditCode(county),
    name: overrides.name ?? '测试县电子商务服务有限公司',
    kinds: overrides.kinds ?? ['service_contractor'],
    carrierCode: overrides.carrierCode ?? null,
    registeredDivisionCode: overrides.registeredDivisionCode ?? `${county}000000`,
    status,
    statusHistory: [
      { status: 'active', effectiveFrom: '2019-04-12' },
      ...(status === 'active' ? [] : [{ status, effectiveFrom: '2024-01-02' }]),
    ],
    version: overrides.version ?? 1,
  });
}

/** Seeds known_enterprise directly: the rows the enterprise consumer would write. */
export async function seedEnterprises(
  dataSource: DataSource,
  enterprises: EnterpriseChangedV1[],
): Promise<void> {
  await insertEach(
    dataSource,
    'known_enterprise',
    enterprises,
    [
      'id',
      'creditCode',
      'name',
      'kinds',
      'carrierCode',
      'registeredDivisionCode',
      'status',
      'version',
    ],
    { state: (enterprise) => JSON.stringify(enterprise) },
  );
}

/** The outbox rows written under a message key, oldest first. */
export const outboxRows = (dataSource: DataSource, key: string): Promise<OutboxRow[]> =>
  outboxRowsOf(dataSource, key);

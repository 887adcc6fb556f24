import type { DataSource } from 'typeorm';
import type { EnterpriseChangedV1 } from '@ecomlog/contracts';
import { numberedCreditCode, outboxRowsOf, type OutboxRowOf } from '@ecomlog/testing';
import { startRegistryTestApp, type HttpAgent, type RegistryTestApp } from './registry-test-app';

export { expectProblem as problem, type ProblemBody as Problem } from '@ecomlog/testing';

export type OutboxRow = OutboxRowOf<EnterpriseChangedV1>;

/**
 * Division codes of our own under a province prefix no real division uses (90–99): the division
 * and enterprise topics are shared with other runs and with the local stack's services. Credit
 * codes are fresh and valid (check character computed), registered in the region's county.
 */
export function testRegion() {
  const province = `9${Math.floor(Math.random() * 10)}`;
  const city = `${province}01`;
  const county = `${city}01`;
  const codes = {
    city,
    county,
    PROVINCE: `${province}0000000000`,
    CITY: `${city}00000000`,
    COUNTY: `${county}000000`,
    TOWN: `${county}101000`,
    OTHER_TOWN: `${county}102000`,
  };
  let serial = 0;
  const creditCode = (category = '1'): string => {
    serial += 1;
    return numberedCreditCode(county, serial, category);
  };
  return {
    ...codes,
    /** How many credit codes have been made so far. */
    serial: () => serial,
    creditCode,
    /** A valid registration of an e-commerce retailer in the region's first town. */
    retailer: (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      creditCode: creditCode(),
      name: '中宁县枸杞电子商务有限公司',
      kinds: ['ecommerce_retailer'],
      registeredDivisionCode: codes.TOWN,
      registeredOn: '2019-04-12',
      taxRegisteredLocally: true,
      independentLegalEntity: true,
      ...overrides,
    }),
    /** Creates the province, city, county and both towns, then `more` ([code, name] pairs). */
    seed: async (api: HttpAgent, more: [string, string][] = []): Promise<void> => {
      for (const [code, name] of [
        [codes.PROVINCE, '测试省'],
        [codes.CITY, '测试市'],
        [codes.COUNTY, '测试县'],
        [codes.TOWN, '测试镇'],
        [codes.OTHER_TOWN, '另一镇'],
        ...more,
      ]) {
        await api.put(`/v1/divisions/${code}`).send({ name }).expect(201);
      }
    },
  };
}

export async function createEnterprise(
  api: HttpAgent,
  body: Record<string, unknown>,
): Promise<EnterpriseChangedV1> {
  const response = await api.post('/v1/enterprises').send(body);
  expect(response.status).toBe(201);
  return response.body as EnterpriseChangedV1;
}

/** The outbox rows written under a message key, oldest first. */
export const outboxRows = (dataSource: DataSource, key: string): Promise<OutboxRow[]> =>
  outboxRowsOf(dataSource, key);

/** A spec's registry app with an administrator's agent on it, its test region seeded. */
export interface SeededRegistry {
  registry: RegistryTestApp;
  /** Every request carries an administrator's bearer token. */
  api: HttpAgent;
  create: (body: Record<string, unknown>) => Promise<EnterpriseChangedV1>;
  outbox: (key: string) => Promise<OutboxRow[]>;
}

/**
 * Starts the registry before the tests of the calling describe block and seeds `region` (and the
 * divisions `more`) through its API; closes it after them.
 */
export function useSeededRegistry(
  region: ReturnType<typeof testRegion>,
  more: [string, string][] = [],
): SeededRegistry {
  const t = {
    create: (body) => createEnterprise(t.api, body),
    outbox: (key) => outboxRows(t.registry.dataSource, key),
  } as SeededRegistry;
  beforeAll(async () => {
    t.registry = await startRegistryTestApp();
    t.api = t.registry.http(await t.registry.tokenFor({ roles: ['admin'], regionPrefix: '' }));
    await region.seed(t.api, more);
  });
  afterAll(async () => {
    await t.registry?.close();
  });
  return t;
}

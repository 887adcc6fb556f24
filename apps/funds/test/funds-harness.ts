import { randomUUID } from 'node:crypto';
import type { OfficialRole } from '@ecomlog/auth';
import {
  CREDIT_CODE_ALPHABET,
  EnterpriseChanged,
  SiteChanged,
  creditCodeCheckCharacter,
  type EnterpriseChangedV1,
  type EnterpriseKind,
  type EventDefinition,
  type IndicatorCellChangedV1,
  type SiteChangedV1,
  type SiteKind,
  type SiteStatus,
} from '@ecomlog/contracts';
import { KafkaGateway, publishEvents } from '@ecomlog/messaging';
import {
  bootServiceUnderTest,
  enterpriseState,
  stackKafka,
  uniqueSuffix,
  waitFor,
  type HttpAgent,
  type ServiceUnderTest,
} from '@ecomlog/testing';
import { FundsEnv } from '../src/config';
import { AppModule } from '../src/app.module';

export type { HttpAgent };

export interface FundsTestApp extends ServiceUnderTest<FundsEnv> {
  /** The bearer token of an official, for clients other than supertest. */
  token(roles: OfficialRole[], region: string, subject?: string): string;
  /** Produces events to the real topics (as registry, sites and analytics would). */
  publish<T extends object>(definition: EventDefinition<T>, payloads: T[]): Promise<void>;
  /** Creates a throwaway topic (deleted on close), e.g. for INDICATORS_TOPIC. */
  kafka: KafkaGateway;
  /** Publishes enterprises and waits until the read model holds their versions. */
  registerEnterprises(enterprises: EnterpriseChangedV1[]): Promise<void>;
  registerSites(sites: SiteChangedV1[]): Promise<void>;
}

/**
 * The real funds application (every module, consumers on) on a throwaway database with the real
 * Kafka and Redis, consumer groups under a prefix of its own. Tokens are registry-format EdDSA
 * tokens signed with a key of this run and checked by the real AuthGuard.
 */
export async function startFundsApp(
  name: string,
  overrides: Record<string, string> = {},
): Promise<FundsTestApp> {
  const funds = await bootServiceUnderTest({
    service: 'funds',
    name,
    envClass: FundsEnv,
    appModule: (env) => AppModule.register(env),
    consumers: true,
    env: { DB_POOL_SIZE: '20', ...overrides },
  });
  const kafka = stackKafka(`it-funds-${name}`);

  async function publish<T extends object>(
    definition: EventDefinition<T>,
    payloads: T[],
  ): Promise<void> {
    await publishEvents(kafka, definition, payloads, 'it/funds');
  }

  async function waitForVersions(
    table: string,
    items: { id: string; version: number }[],
  ): Promise<void> {
    await waitFor(
      `${items.length} rows of ${table} at their versions`,
      async () => {
        const rows = await funds.dataSource.query<{ id: string; version: number }[]>(
          `SELECT id, version FROM ${table} WHERE id = ANY($1::uuid[])`,
          [items.map((i) => i.id)],
        );
        const seen = new Map(rows.map((r) => [r.id, r.version]));
        return items.every((i) => (seen.get(i.id) ?? 0) >= i.version);
      },
      { timeoutMs: 200_000 },
    );
  }

  const close = funds.close;
  return Object.assign(funds, {
    kafka,
    token: (roles: OfficialRole[], region: string, subject?: string) =>
      funds.tokens.official(roles, region, subject),
    publish,
    async registerEnterprises(enterprises: EnterpriseChangedV1[]) {
      await publish(EnterpriseChanged, enterprises);
      await waitForVersions('known_enterprise', enterprises);
    },
    async registerSites(sites: SiteChangedV1[]) {
      await publish(SiteChanged, sites);
      await waitForVersions('known_site', sites);
    },
    async close() {
      await kafka.disconnect();
      await close();
    },
  });
}

/** A funding source as POST /v1/sources takes it. */
export interface SourceFields {
  name: string;
  level: 'central' | 'provincial' | 'municipal' | 'county';
  budgetYear: number;
  divisionCode: string;
  amountFen: number;
}

/** The test county's (370982) own funds of 2024, unless the test says otherwise. */
const sourceDefaults = { level: 'county', budgetYear: 2024, divisionCode: '370982000000' } as const;

/** Creates a funding source (answered 201) and returns it, with its id. */
async function createSourceOf(
  agent: HttpAgent,
  fields: Pick<SourceFields, 'name' | 'amountFen'> & Partial<SourceFields>,
): Promise<SourceFields & { id: string }> {
  const source = { ...sourceDefaults, ...fields };
  const created = await agent.post('/v1/sources').send(source).expect(201);
  return { ...source, id: (created.body as { id: string }).id };
}

/**
 * Creates a funding source (answered 201: of the test county, 2024 and county level unless
 * `fields` say otherwise) and returns its id.
 */
export async function createSource(
  agent: HttpAgent,
  fields: Pick<SourceFields, 'name' | 'amountFen'> & Partial<SourceFields>,
): Promise<string> {
  return (await createSourceOf(agent, fields)).id;
}

/**
 * Creates a source as createSource does, a program `programName` of the source's year and
 * division, and allocates the whole source to it (each answered 201): the start of most funds
 * stories.
 */
export async function fundedProgram(
  agent: HttpAgent,
  programName: string,
  fields: Pick<SourceFields, 'name' | 'amountFen'> & Partial<SourceFields>,
): Promise<{ sourceId: string; programId: string }> {
  const source = await createSourceOf(agent, fields);
  const program = await agent
    .post('/v1/programs')
    .send({ name: programName, year: source.budgetYear, divisionCode: source.divisionCode })
    .expect(201);
  const programId = (program.body as { id: string }).id;
  await agent
    .post('/v1/allocations')
    .send({ sourceId: source.id, programId, amountFen: source.amountFen })
    .expect(201);
  return { sourceId: source.id, programId };
}

/** A valid 统一社会信用代码 registered in `county` (6 digits). */
export function creditCode(county: string): string {
  let body = `91${county}`;
  while (body.length < 17) {
    body += CREDIT_CODE_ALPHABET[Math.floor(Math.random() * CREDIT_CODE_ALPHABET.length)];
  }
  return body + creditCodeCheckCharacter(body);
}

export function enterprise(
  overrides: Partial<EnterpriseChangedV1> & { kinds: EnterpriseKind[] },
): EnterpriseChangedV1 {
  const division = overrides.registeredDivisionCode ?? '370982100000';
  return enterpriseState({
    creditCode: creditCode(division.slice(0, 6)),
    name: `测试企业 ${uniqueSuffix()}`,
    registeredDivisionCode: division,
    registeredOn: '2015-06-01',
    statusHistory: [{ status: 'active', effectiveFrom: '2015-06-01' }],
    changedAt: new Date().toISOString(),
    ...overrides,
  });
}

export function site(
  operatorEnterpriseId: string,
  kind: SiteKind,
  divisionCode: string,
  history: { status: SiteStatus; effectiveFrom: string }[],
  version = 1,
  id: string = randomUUID(),
): SiteChangedV1 {
  return {
    id,
    name: `测试站点 ${uniqueSuffix()}`,
    kind,
    divisionCode,
    operatorEnterpriseId,
    carriers: [],
    services: [],
    dailyCapacity: null,
    address: null,
    location: null,
    flags: { coldChain: false, cloudWarehouse: false },
    statusHistory: history.map((entry) => ({ ...entry, note: null })),
    version,
    changedAt: new Date().toISOString(),
  };
}

export function salesCell(
  enterpriseId: string,
  divisionCode: string,
  period: string,
  valueFen: number,
  version: number,
  scope: string | null = `enterprise:${enterpriseId}`,
): IndicatorCellChangedV1 {
  return {
    indicator: 'retail_sales',
    divisionCode,
    period,
    scope,
    value: valueFen,
    numerator: null,
    denominator: null,
    unit: 'fen',
    version,
    computedAt: new Date().toISOString(),
  };
}

/**
 * A topic of this test's own (the shared analytics.indicators.v1 holds hundreds of thousands of
 * cells a fresh consumer group would first have to read). Returns its name and a way to delete it.
 */
export async function createTestTopic(
  prefix: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `${prefix}.${uniqueSuffix()}`;
  const kafka = stackKafka(`it-funds-topics`);
  await kafka.withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: name, numPartitions: 2, replicationFactor: 1 }],
    }),
  );
  return {
    name,
    async drop() {
      await kafka
        .withAdmin((admin) => admin.deleteTopics({ topics: [name] }))
        .catch(() => undefined);
      await kafka.disconnect();
    },
  };
}

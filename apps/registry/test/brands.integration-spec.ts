import { generateKeyPairSync } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  TokenVerifier,
  principalFromClaims,
  signToken,
  verifyToken,
  type Principal,
} from '@ecomlog/auth';
import { validateEnv } from '@ecomlog/config';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  type EnterpriseChangedV1,
} from '@ecomlog/contracts';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { PlatformModule, configureHttp } from '@ecomlog/platform';
import { stack, uniqueSuffix } from '@ecomlog/testing';
import { BRAND_ENTITIES } from '../src/brands/brand.entity';
import { BrandsModule } from '../src/brands/brands.module';
import { RegistryEnv } from '../src/config';
import { DivisionHistory } from '../src/divisions/division-history.entity';
import { Division } from '../src/divisions/division.entity';
import { DivisionsModule } from '../src/divisions/divisions.module';
import { ENTERPRISE_ENTITIES } from '../src/enterprises/enterprise.entity';
import { EnterprisesModule } from '../src/enterprises/enterprises.module';
import { CreateDivision1732000100000 } from '../src/migrations/1732000100000-CreateDivision';
import { CreateEnterprises1732000400000 } from '../src/migrations/1732000400000-CreateEnterprises';
import { DivisionHistory1732000300000 } from '../src/migrations/1732000300000-DivisionHistory';
import { CreateBrands1732000400100 } from '../src/migrations/1732000400100-CreateBrands';

const database = `it_registry_brands_${uniqueSuffix()}`;
// Division codes of our own under a province prefix no real division uses (90–99): the division
// and enterprise topics are shared with other runs and with the local stack's services.
const province = `9${Math.floor(Math.random() * 10)}`;
const city = `${province}01`;
const county = `${city}01`;
const PROVINCE = `${province}0000000000`;
const CITY = `${city}00000000`;
const COUNTY = `${county}000000`;
const TOWN = `${county}101000`;
const OTHER_TOWN = `${county}102000`;
const OTHER_COUNTY = `${city}02000000`;

let serial = 0;
/** A fresh, valid credit code registered in our county (its check character computed). */
function creditCode(category = '1'): string {
  serial += 1;
  const body = `MA${String(serial).padStart(6, '0')}${CREDIT_CODE_ALPHABET[serial % 31]}`;
  const first17 = `9${category}${county}${body}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/**
 * Registry-format EdDSA tokens signed with a key of this test run: the platform's real AuthGuard
 * verifies them (signature, issuer, audience, lifetime) with the key the test publishes to it,
 * so the suite does not depend on the identity feature to log in.
 */
const tokens = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `it-${uniqueSuffix()}`;
  return {
    sign(issuer: string, audience: string, roles: Principal['roles'], region: string): string {
      return signToken(
        privateKey,
        kid,
        {
          iss: issuer,
          aud: audience,
          sub: `official-${uniqueSuffix()}`,
          kind: 'official',
          scope: roles.join(' '),
          roles,
          region,
        },
        3600,
      ).token;
    },
    verifier(issuer: string, audience: string): TokenVerifier {
      return {
        verify: async (token: string) =>
          principalFromClaims(
            await verifyToken(token, async (id) => (id === kid ? publicKey : undefined), {
              issuer,
              audience,
            }),
          ),
      };
    },
  };
})();

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

interface OutboxRow {
  topic: string;
  message_key: string;
  event_type: string;
  payload: EnterpriseChangedV1;
  headers: Record<string, string>;
}

describe('public brands (registry) on the real database, Kafka and Redis', () => {
  let app: NestExpressApplication;
  let dataSource: DataSource;
  /** Every request carries an administrator's bearer token. */
  let api: ReturnType<typeof request.agent>;

  function retailer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      creditCode: creditCode(),
      name: '中宁县枸杞电子商务有限公司',
      kinds: ['ecommerce_retailer'],
      registeredDivisionCode: TOWN,
      registeredOn: '2019-04-12',
      taxRegisteredLocally: true,
      independentLegalEntity: true,
      ...overrides,
    };
  }

  async function create(body: Record<string, unknown>): Promise<EnterpriseChangedV1> {
    const response = await api.post('/v1/enterprises').send(body);
    expect(response.status).toBe(201);
    return response.body as EnterpriseChangedV1;
  }

  async function problem(
    test: request.Test,
    status: number,
  ): Promise<Problem & { [key: string]: unknown }> {
    const response = await test;
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    return response.body as Problem;
  }

  async function outbox(key: string): Promise<OutboxRow[]> {
    return dataSource.query<OutboxRow[]>(
      `SELECT topic, message_key, event_type, payload, headers FROM outbox_event
       WHERE message_key = $1 ORDER BY sequence`,
      [key],
    );
  }

  beforeAll(async () => {
    await ensureDatabaseExists({ ...stack.postgres, database });
    const env = validateEnv(RegistryEnv, {
      DB_HOST: stack.postgres.host,
      DB_PORT: String(stack.postgres.port),
      DB_USER: stack.postgres.user,
      DB_PASSWORD: stack.postgres.password,
      DB_NAME: database,
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      CONSUMERS_ENABLED: 'false',
      LOG_LEVEL: 'error',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forService({
          env,
          envClass: RegistryEnv,
          entities: [Division, DivisionHistory, ...ENTERPRISE_ENTITIES, ...BRAND_ENTITIES],
          migrations: [
            CreateDivision1732000100000,
            DivisionHistory1732000300000,
            CreateEnterprises1732000400000,
            CreateBrands1732000400100,
          ],
          logger: createLogger('registry-it', 'error'),
        }),
        DivisionsModule,
        EnterprisesModule,
        BrandsModule,
      ],
    })
      .overrideProvider(TokenVerifier)
      .useValue(tokens.verifier(env.AUTH_ISSUER, env.AUTH_AUDIENCE))
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    configureHttp(app, { title: 'registry', description: 'integration test' });
    await app.init();
    dataSource = app.get(DataSource);
    const admin = tokens.sign(env.AUTH_ISSUER, env.AUTH_AUDIENCE, ['admin'], '');
    api = request.agent(app.getHttpServer()).set('authorization', `Bearer ${admin}`);

    for (const [code, name] of [
      [PROVINCE, '测试省'],
      [CITY, '测试市'],
      [COUNTY, '测试县'],
      [TOWN, '测试镇'],
      [OTHER_TOWN, '另一镇'],
      [OTHER_COUNTY, '邻县'],
    ]) {
      await api.put(`/v1/divisions/${code}`).send({ name }).expect(201);
    }
  });

  afterAll(async () => {
    await app?.close();
    await dropDatabaseIfExists({ ...stack.postgres, database });
  });

  interface BrandView {
    id: string;
    name: string;
    divisionCode: string;
    description: string | null;
    authorisedEnterprises: { enterpriseId: string; creditCode: string; authorisedOn: string }[];
    products: { traceabilityCode: string; name: string; enterpriseId: string }[];
    version: number;
  }

  let brand: BrandView;
  let grower: EnterpriseChangedV1;
  let stranger: EnterpriseChangedV1;
  let neighbour: EnterpriseChangedV1;

  beforeAll(async () => {
    grower = await create(retailer({ name: '宁安堡枸杞种植专业合作社', kinds: ['cooperative'] }));
    stranger = await create(retailer({ name: '另一家枸杞公司' }));
    neighbour = await create(retailer({ registeredDivisionCode: OTHER_COUNTY }));
  });

  it('creates a regional public brand held by a division, with a unique name', async () => {
    const response = await api
      .post('/v1/brands')
      .send({ name: '中宁枸杞', divisionCode: COUNTY, description: '地理标志证明商标' })
      .expect(201);
    brand = response.body as BrandView;
    expect(brand).toMatchObject({
      divisionCode: COUNTY,
      description: '地理标志证明商标',
      authorisedEnterprises: [],
      products: [],
      version: 1,
    });
    await api.get(`/v1/brands/${brand.id}`).expect(200, brand);

    const duplicate = await problem(
      api.post('/v1/brands').send({ name: brand.name, divisionCode: COUNTY }),
      409,
    );
    expect(duplicate.detail).toContain(brand.id);
    const nowhere = await problem(
      api.post('/v1/brands').send({ name: '无处品牌', divisionCode: `${county}199000` }),
      422,
    );
    expect(nowhere.type).toMatch(/division-not-found$/);
    await problem(api.get('/v1/brands/7d1c3f0e-0000-4000-8000-000000000000'), 404);
  });

  it('authorises enterprises of its region and republishes each as an enterprise event', async () => {
    const response = await api
      .post(`/v1/brands/${brand.id}/authorisations`)
      .send({ enterpriseId: grower.id, authorisedOn: '2023-05-10' })
      .expect(201);
    expect(response.body).toMatchObject({
      authorisedEnterprises: [
        { enterpriseId: grower.id, creditCode: grower.creditCode, authorisedOn: '2023-05-10' },
      ],
      version: 2,
    });
    const events = await outbox(grower.id);
    expect(events.map((row) => row.payload.version)).toEqual([1, 2]);
    expect(events[1].payload.brands).toEqual([
      { brandId: brand.id, brandName: brand.name, authorisedOn: '2023-05-10', products: [] },
    ]);

    const again = await problem(
      api.post(`/v1/brands/${brand.id}/authorisations`).send({ enterpriseId: grower.id }),
      409,
    );
    expect(again.detail).toContain('since 2023-05-10');
    const outside = await problem(
      api.post(`/v1/brands/${brand.id}/authorisations`).send({ enterpriseId: neighbour.id }),
      422,
    );
    expect(outside.type).toMatch(/enterprise-outside-brand-region$/);
    const missing = await problem(
      api
        .post(`/v1/brands/${brand.id}/authorisations`)
        .send({ enterpriseId: '7d1c3f0e-0000-4000-8000-000000000000' }),
      422,
    );
    expect(missing.type).toMatch(/enterprise-not-found$/);
  });

  it('lists products only of authorised enterprises, each with its own traceability code', async () => {
    const refused = await problem(
      api.post(`/v1/brands/${brand.id}/products`).send({
        name: '枸杞原浆 250ml',
        traceabilityCode: `T-${uniqueSuffix()}`,
        enterpriseId: stranger.id,
      }),
      422,
    );
    expect(refused.type).toMatch(/enterprise-not-authorised$/);
    expect(refused.detail).toContain(`POST /v1/brands/${brand.id}/authorisations`);
    expect(await outbox(stranger.id)).toHaveLength(1);

    const code = `ZNGQ-${uniqueSuffix()}`;
    const added = await api
      .post(`/v1/brands/${brand.id}/products`)
      .send({ name: '中宁枸杞 特级 500g', traceabilityCode: code, enterpriseId: grower.id })
      .expect(201);
    expect(added.body).toMatchObject({
      products: [{ traceabilityCode: code, name: '中宁枸杞 特级 500g', enterpriseId: grower.id }],
      version: 3,
    });
    const latest = (await outbox(grower.id)).at(-1)?.payload;
    expect(latest).toMatchObject({
      version: 3,
      brands: [
        {
          brandId: brand.id,
          products: [{ name: '中宁枸杞 特级 500g', traceabilityCode: code }],
        },
      ],
    });
    await api.get(`/v1/enterprises/${grower.id}`).expect(200, latest);

    const reused = await problem(
      api
        .post(`/v1/brands/${brand.id}/products`)
        .send({ name: '另一款', traceabilityCode: code, enterpriseId: grower.id }),
      409,
    );
    expect(reused.detail).toContain('中宁枸杞 特级 500g');
    await problem(
      api
        .post(`/v1/brands/${brand.id}/products`)
        .send({ name: '坏码', traceabilityCode: 'a b', enterpriseId: grower.id }),
      400,
    );
  });
});

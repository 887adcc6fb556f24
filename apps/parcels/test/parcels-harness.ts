import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenVerifier, type OfficialRole } from '@ecomlog/auth';
import { validateEnv } from '@ecomlog/config';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { configureHttp } from '@ecomlog/platform';
import { TestTokenIssuer } from '@ecomlog/test-tokens';
import { serviceTestEnv, stack, uniqueSuffix } from '@ecomlog/testing';
import { ParcelsEnv } from '../src/config';
import { AppModule } from '../src/app.module';

export type HttpAgent = ReturnType<typeof request.agent>;

export interface ParcelsTestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  env: ParcelsEnv;
  official(roles: OfficialRole[], region: string): HttpAgent;
  courier(carrier: string): HttpAgent;
  /** A platform client's token bound to this platform code, e.g. taobao. */
  platform(platformCode: string): HttpAgent;
  close(): Promise<void>;
}

/**
 * The real parcels application (every module, consumers on) on a throwaway database with the real Kafka and Redis, the scan consumer
 * running under a consumer-group prefix of its own. Tokens are registry-format EdDSA tokens
 * signed with a key of this run and checked by the real AuthGuard.
 */
export async function startParcelsApp(name: string): Promise<ParcelsTestApp> {
  const database = `it_parcels_${name}_${uniqueSuffix()}`;
  await ensureDatabaseExists({ ...stack.postgres, database });
  const env = validateEnv(
    ParcelsEnv,
    serviceTestEnv('parcels', database, {
      CONSUMERS_ENABLED: 'true',
      CONSUMER_GROUP_PREFIX: `it-${name}-${uniqueSuffix()}-`,
    }),
  );
  const tokens = new TestTokenIssuer({ issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] })
    .overrideProvider(TokenVerifier)
    .useValue(tokens.verifier())
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  configureHttp(app, { title: 'parcels', description: 'integration test', bodyLimit: '4mb' });
  await app.init();
  const dataSource = app.get(DataSource);
  const agent = (token: string): HttpAgent =>
    request.agent(app.getHttpServer()).set('authorization', `Bearer ${token}`);
  return {
    app,
    dataSource,
    env,
    official: (roles, region) => agent(tokens.official(roles, region)),
    courier: (carrier) => agent(tokens.client('courier', { carrier })),
    platform: (platform) => agent(tokens.client('platform', { platform })),
    async close() {
      await app.close();
      await dropDatabaseIfExists({ ...stack.postgres, database });
    },
  };
}

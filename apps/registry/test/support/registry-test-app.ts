import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenVerifier, type OfficialRole } from '@ecomlog/auth';
import { validateEnv } from '@ecomlog/config';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { configureHttp } from '@ecomlog/platform';
// Test support, imported only by the integration specs (the rule tells tests by file name only).
import { TestTokenIssuer } from '@ecomlog/test-tokens';
import { freePort, serviceTestEnv, stack, uniqueSuffix } from '@ecomlog/testing';
import { AppModule } from '../../src/app.module';
import { RegistryEnv } from '../../src/config';
import { IdentityService } from '../../src/identity/identity.service';

export type HttpAgent = ReturnType<typeof request.agent>;

export interface RegistryTestAppOptions {
  /**
   * Serve on a free port and trust the registry's own keys only: tokens come from a real login
   * (POST /v1/auth/login) and are checked against the app's /.well-known/jwks.json over HTTP.
   * Without it the app is served in-process and trusts a key pair of this test run instead; the
   * real AuthGuard still checks signature, issuer, audience and lifetime.
   */
  listen?: boolean;
  /** Environment variables added to (or replacing) the harness's own. */
  env?: Record<string, string>;
}

export interface TokenRequest {
  roles?: OfficialRole[];
  /** The official's region, a division-code prefix ('' = nationwide). */
  regionPrefix?: string;
  kind?: 'official' | 'courier';
  /** Couriers: the carrier code the token is bound to. */
  carrier?: string;
}

export interface RegistryTestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  /** supertest agent, carrying `token` as bearer token on every request when given. */
  http(token?: string): HttpAgent;
  /** A bearer token for a new caller (officials only with `listen`: they log in for real). */
  tokenFor(caller: TokenRequest): Promise<string>;
  /** Stops the app and drops its database. */
  close(): Promise<void>;
}

/** A bearer token for `caller`, signed by the test run's own key. */
function signedToken(
  issuer: TestTokenIssuer,
  { roles = [], regionPrefix = '', kind = 'official', carrier }: TokenRequest,
): string {
  return kind === 'official'
    ? issuer.official(roles, regionPrefix)
    : issuer.client(kind, { carrier });
}

/**
 * The real registry (AppModule, every feature) on a database of its own, with consumers off and
 * quiet logs, on the local stack's PostgreSQL, Kafka and Redis.
 */
export async function startRegistryTestApp(
  options: RegistryTestAppOptions = {},
): Promise<RegistryTestApp> {
  const database = { ...stack.postgres, database: `it_registry_${uniqueSuffix()}` };
  const port = options.listen ? await freePort() : undefined;
  const env = validateEnv(RegistryEnv, {
    ...serviceTestEnv('registry', database.database),
    // The identity spec counts login attempts and rate limits as a real deployment would.
    RATE_LIMIT_PER_MINUTE: '1200',
    ...(port === undefined
      ? {}
      : {
          HTTP_PORT: String(port),
          AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        }),
    ...options.env,
  });
  // An Ed25519 key pair of this test run: signs tokens and is the only key the verifier trusts.
  const tokens =
    port === undefined
      ? new TestTokenIssuer({ issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE })
      : undefined;

  await ensureDatabaseExists(database);
  let app: NestExpressApplication | undefined;
  try {
    const builder = Test.createTestingModule({ imports: [AppModule.register(env)] });
    if (tokens) builder.overrideProvider(TokenVerifier).useValue(tokens.verifier());
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    configureHttp(app, { title: 'registry', description: 'integration test' });
    if (port === undefined) await app.init();
    else await app.listen(port, '127.0.0.1');
  } catch (error) {
    await app?.close();
    await dropDatabaseIfExists(database);
    throw error;
  }
  const started = app;

  const http = (token?: string): HttpAgent => {
    const agent = request.agent(started.getHttpServer());
    return token ? agent.set('authorization', `Bearer ${token}`) : agent;
  };

  /** Creates an official as the `create-admin` CLI does, and logs in over HTTP. */
  const login = async ({ roles = [], regionPrefix = '', kind }: TokenRequest): Promise<string> => {
    if (kind && kind !== 'official') {
      throw new Error(`${kind} tokens come from POST /v1/oauth/token with a client's secret`);
    }
    const username = `u${uniqueSuffix()}`;
    const { initialPassword } = await started.get(IdentityService).createOfficial(null, {
      username,
      displayName: username,
      roles,
      regionPrefix,
    });
    const response = await http()
      .post('/v1/auth/login')
      .send({ username, password: initialPassword })
      .expect(200);
    return (response.body as { access_token: string }).access_token;
  };

  return {
    app: started,
    dataSource: started.get(DataSource),
    http,
    tokenFor: async (caller) => (tokens ? signedToken(tokens, caller) : login(caller)),
    close: async () => {
      try {
        await started.close();
      } finally {
        await dropDatabaseIfExists(database);
      }
    },
  };
}

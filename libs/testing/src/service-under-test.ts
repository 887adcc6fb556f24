import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenVerifier, type OfficialRole } from '@ecomlog/auth';
import { validateEnv } from '@ecomlog/config';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { configureHttp, type ServiceDescription } from '@ecomlog/platform';
import { TestTokenIssuer } from '@ecomlog/test-tokens';
import { freePort } from './service-process';
import { serviceTestEnv } from './service-test-env';
import { stack, uniqueSuffix } from './stack-settings';

export type HttpAgent = ReturnType<typeof request.agent>;

export interface ServiceUnderTestOptions<E extends object> {
  /** The service, as in its Kafka user `svc-<service>` and its database `it_<service>_<name>_…`. */
  service: string;
  /** The test's subject: part of the database name and the consumer-group prefix. */
  name?: string;
  /** The service's configuration class, validated as its main.ts validates process.env. */
  envClass: new () => E;
  /** The application module for an environment, e.g. `(env) => AppModule.register(env)`. */
  appModule: (env: E) => DynamicModule;
  /** What configureHttp documents (title, description) and the body limit, as in main.ts. */
  http?: Partial<ServiceDescription>;
  /** Replaces configureHttp for a service that sets its HTTP up otherwise (the dashboard). */
  configure?: (app: NestExpressApplication, env: E) => void;
  /** Runs after the HTTP set-up, before the app starts (init or listen): extra middleware, hooks. */
  beforeStart?: (app: NestExpressApplication, env: E) => void | Promise<void>;
  /**
   * A database of the test's own (the default: created now, migrated by the app, dropped on
   * close), or false for a service without one (the dashboard).
   */
  database?: false;
  /** Run the service's event consumers (CONSUMERS_ENABLED); the outbox relay runs regardless. */
  consumers?: boolean;
  /** Environment variables added to (or replacing) serviceTestEnv's. */
  env?: Record<string, string>;
  /**
   * Serve HTTP on 127.0.0.1 (true: a free port; or this port) and give its baseUrl. Without it the
   * app is only initialised and reached in-process through supertest.
   */
  listen?: boolean | number;
  /**
   * Trust the tokens of `tokens` (a key pair of this run) instead of the configured AUTH_JWKS_URL
   * (default true). The real AuthGuard still checks signature, issuer, audience and lifetime.
   */
  testTokens?: boolean;
}

/** Its functions do not use `this`: pass them around freely (`close: service.close`). */
export interface ServiceUnderTest<E extends object> {
  /** The running application (a new one after restart). */
  readonly app: NestExpressApplication;
  readonly dataSource: DataSource;
  /** The environment the running app was started with. */
  readonly env: E;
  /** The test's database, undefined for a service without one. */
  readonly database: string | undefined;
  /** With `listen`: http://127.0.0.1:<port>. */
  readonly baseUrl: string | undefined;
  /** Signs the tokens the app trusts (unless testTokens is false). */
  readonly tokens: TestTokenIssuer;
  /** A supertest agent on the app, carrying `token` as bearer token when given. */
  http: (token?: string) => HttpAgent;
  /** An agent carrying an official's token with these roles and region ('' = nationwide). */
  official: (roles: OfficialRole[], region: string, subject?: string) => HttpAgent;
  /**
   * Stops the app if it runs and starts it again on the same database, with `env` on top of the
   * options' environment (e.g. consumers off for a maintenance step).
   */
  restart: (env?: Record<string, string>) => Promise<void>;
  /** Stops the app, keeping the database. */
  stop: () => Promise<void>;
  /** Stops the app and drops the database. */
  close: () => Promise<void>;
}

/**
 * Boots a service under test as its main.ts does (the service's AppModule, the platform's HTTP
 * conventions), on the local stack's PostgreSQL, Kafka and Redis with serviceTestEnv's settings:
 * its own throwaway database and consumer-group prefix, its own Kafka user, quiet logs, no rate
 * limit. The app passes its module and configuration class in; this library imports no app.
 */
export async function bootServiceUnderTest<E extends object>(
  options: ServiceUnderTestOptions<E>,
): Promise<ServiceUnderTest<E>> {
  const { service, name } = options;
  const run = uniqueSuffix();
  const database =
    options.database === false
      ? undefined
      : `it_${service}_${name ? `${name}_` : ''}${run}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const port =
    typeof options.listen === 'number'
      ? options.listen
      : options.listen
        ? await freePort()
        : undefined;
  const baseUrl = port === undefined ? undefined : `http://127.0.0.1:${port}`;
  const envOf = (extra: Record<string, string>): E =>
    validateEnv(options.envClass, {
      ...serviceTestEnv(service, database, {
        CONSUMERS_ENABLED: String(options.consumers ?? false),
        CONSUMER_GROUP_PREFIX: `it-${service}-${name ? `${name}-` : ''}${run}-`,
        ...(port === undefined ? {} : { HTTP_PORT: String(port) }),
        ...options.env,
      }),
      ...extra,
    });
  let env = envOf({});
  const settings = env as { AUTH_ISSUER?: string; AUTH_AUDIENCE?: string };
  const tokens = new TestTokenIssuer({
    issuer: settings.AUTH_ISSUER,
    audience: settings.AUTH_AUDIENCE,
  });

  async function start(): Promise<NestExpressApplication> {
    const builder = Test.createTestingModule({ imports: [options.appModule(env)] });
    if (options.testTokens ?? true) {
      builder.overrideProvider(TokenVerifier).useValue(tokens.verifier());
    }
    const moduleRef = await builder.compile();
    const started = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    try {
      if (options.configure) options.configure(started, env);
      else configureHttp(started, { title: service, description: 'under test', ...options.http });
      await options.beforeStart?.(started, env);
      if (port === undefined) await started.init();
      else await started.listen(port, '127.0.0.1');
    } catch (error) {
      await started.close().catch(() => undefined);
      throw error;
    }
    return started;
  }

  const dropDatabase = async (): Promise<void> => {
    if (database) await dropDatabaseIfExists({ ...stack.postgres, database });
  };

  if (database) await ensureDatabaseExists({ ...stack.postgres, database });
  let app: NestExpressApplication | undefined;
  try {
    app = await start();
  } catch (error) {
    await dropDatabase();
    throw error;
  }

  const running = (): NestExpressApplication => {
    if (!app) throw new Error(`${service} under test is stopped`);
    return app;
  };
  const http = (token?: string): HttpAgent => {
    const agent = request.agent(running().getHttpServer());
    return token ? agent.set('authorization', `Bearer ${token}`) : agent;
  };
  const stop = async (): Promise<void> => {
    const stopping = app;
    app = undefined;
    await stopping?.close();
  };

  return {
    get app() {
      return running();
    },
    get dataSource() {
      return running().get(DataSource);
    },
    get env() {
      return env;
    },
    database,
    baseUrl,
    tokens,
    http,
    official: (roles, region, subject) => http(tokens.official(roles, region, subject)),
    async restart(extra = {}) {
      await stop();
      env = envOf(extra);
      app = await start();
    },
    stop,
    async close() {
      try {
        await stop();
      } finally {
        await dropDatabase();
      }
    },
  };
}

import type { OfficialRole } from '@ecomlog/auth';
// Test support, imported only by the integration specs (the rule tells tests by file name only).
import type { TestTokenIssuer } from '@ecomlog/test-tokens';
import {
  bootServiceUnderTest,
  freePort,
  uniqueSuffix,
  type HttpAgent,
  type ServiceUnderTest,
} from '@ecomlog/testing';
import { AppModule } from '../../src/app.module';
import { RegistryEnv } from '../../src/config';
import { IdentityService } from '../../src/identity/identity.service';

export type { HttpAgent };

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

export interface RegistryTestApp extends ServiceUnderTest<RegistryEnv> {
  /** A bearer token for a new caller (officials only with `listen`: they log in for real). */
  tokenFor(caller: TokenRequest): Promise<string>;
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
  const port = options.listen ? await freePort() : undefined;
  const registry = await bootServiceUnderTest({
    service: 'registry',
    envClass: RegistryEnv,
    appModule: (env) => AppModule.register(env),
    listen: port ?? false,
    // Listening, it trusts its own keys only (served at /.well-known/jwks.json).
    testTokens: port === undefined,
    env: {
      // The identity spec counts login attempts and rate limits as a real deployment would.
      RATE_LIMIT_PER_MINUTE: '1200',
      ...(port === undefined
        ? {}
        : { AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` }),
      ...options.env,
    },
  });

  /** Creates an official as the `create-admin` CLI does, and logs in over HTTP. */
  const login = async ({ roles = [], regionPrefix = '', kind }: TokenRequest): Promise<string> => {
    if (kind && kind !== 'official') {
      throw new Error(`${kind} tokens come from POST /v1/oauth/token with a client's secret`);
    }
    const username = `u${uniqueSuffix()}`;
    const { initialPassword } = await registry.app.get(IdentityService).createOfficial(null, {
      username,
      displayName: username,
      roles,
      regionPrefix,
    });
    const response = await registry
      .http()
      .post('/v1/auth/login')
      .send({ username, password: initialPassword })
      .expect(200);
    return (response.body as { access_token: string }).access_token;
  };

  return Object.assign(registry, {
    tokenFor: async (caller: TokenRequest) =>
      port === undefined ? signedToken(registry.tokens, caller) : login(caller),
  });
}

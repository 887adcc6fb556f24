import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import {
  principalFromClaims,
  signToken,
  verifyToken,
  type OfficialRole,
  type TokenVerifier,
} from '@ecomlog/auth';

/**
 * A short random suffix for key ids and subjects (not @ecomlog/testing's uniqueSuffix: that library
 * boots services with this issuer, and must not be imported back).
 */
const uniqueSuffix = (): string => randomUUID().slice(0, 12);

export interface TestTokenIssuerOptions {
  /** The `iss` claim signed and required; the services' default AUTH_ISSUER. */
  issuer?: string;
  /** The `aud` claim signed and required; the services' default AUTH_AUDIENCE. */
  audience?: string;
  /** Token lifetime in seconds. */
  ttlSeconds?: number;
}

export interface TestClientToken {
  /** Couriers: the carrier code the token is bound to, e.g. ZTO. */
  carrier?: string;
  /** Platforms: the platform the token is bound to, e.g. taobao. */
  platform?: string;
  /** The enterprise the client is bound to. */
  enterpriseId?: string;
  subject?: string;
}

/**
 * Registry-format EdDSA tokens signed with an Ed25519 key of this test run. Its `verifier()` is
 * the only one that trusts that key, and checks signature, issuer, audience and lifetime for real:
 * override the app's TokenVerifier with it and the real AuthGuard does the rest.
 */
export class TestTokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly kid = `it-${uniqueSuffix()}`;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly ttlSeconds: number;

  constructor(options: TestTokenIssuerOptions = {}) {
    this.issuer = options.issuer ?? 'ecomlog-registry';
    this.audience = options.audience ?? 'ecomlog';
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** An official's token with these roles and region ('' = nationwide). */
  official(
    roles: OfficialRole[],
    regionPrefix: string,
    subject = `official-${uniqueSuffix()}`,
  ): string {
    return this.sign({
      sub: subject,
      kind: 'official',
      scope: roles.join(' '),
      roles,
      region: regionPrefix,
    });
  }

  /** A machine client's token, scoped as the registry's POST /v1/oauth/token scopes it. */
  client(kind: 'courier' | 'platform', options: TestClientToken = {}): string {
    const { carrier, platform, enterpriseId, subject = `${kind}-${uniqueSuffix()}` } = options;
    return this.sign({
      sub: subject,
      kind,
      scope:
        kind === 'courier'
          ? `scans:write carrier:${carrier ?? ''}`
          : `orders:write platform:${platform ?? ''}`,
      carrier,
      platform,
      enterprise: enterpriseId,
    });
  }

  /** A TokenVerifier trusting this issuer's key only. */
  verifier(): TokenVerifier {
    const options = { issuer: this.issuer, audience: this.audience };
    const keyFor = (kid: string): Promise<KeyObject | undefined> =>
      Promise.resolve(kid === this.kid ? this.publicKey : undefined);
    return {
      verify: async (token: string) =>
        principalFromClaims(await verifyToken(token, keyFor, options)),
    };
  }

  private sign(claims: Omit<Parameters<typeof signToken>[2], 'iss' | 'aud'>): string {
    return signToken(
      this.privateKey,
      this.kid,
      { iss: this.issuer, aud: this.audience, ...claims },
      this.ttlSeconds,
    ).token;
  }
}

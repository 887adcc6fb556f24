import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors } from 'jose';

/** The registry's public keys could not be fetched: tokens cannot be checked right now. */
export class KeysUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `the registry's signing keys (${url}) are unreachable: ${cause instanceof Error ? cause.message || cause.name : String(cause)}`,
    );
    this.name = 'KeysUnavailableError';
  }
}

export interface JwksKeySourceOptions {
  /**
   * Longest a fetched key set is trusted (default 5 minutes): the next token after that waits for
   * a fresh fetch, so a key the registry stops publishing is refused at most this long after.
   */
  maxAgeMs?: number;
  /** Least time between two fetches caused by unknown key ids (default 1 s). */
  cooldownMs?: number;
  /** How long one fetch may take (default 3 s). */
  timeoutMs?: number;
}

export const DEFAULT_JWKS_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Public keys from the registry's JWKS endpoint through jose's remote key set. An unknown kid (a
 * rotated key) triggers a refetch, at most one per `cooldownMs`, so forged kids cannot hammer the
 * registry; a set older than `maxAgeMs` is fetched again before it is used. When that fetch fails
 * the keys are unavailable (fail closed): a key that may have been withdrawn is not trusted.
 */
export class JwksKeySource {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly url: string,
    options: JwksKeySourceOptions = {},
  ) {
    this.remote = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: options.maxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS,
      cooldownDuration: options.cooldownMs ?? 1000,
      timeoutDuration: options.timeoutMs ?? 3000,
    });
  }

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    try {
      return (await this.remote({ alg: 'EdDSA', kid })) as KeyObject;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) return undefined;
      // Two published keys with one kid: ambiguous, so neither is trusted.
      if (error instanceof errors.JWKSMultipleMatchingKeys) return undefined;
      throw new KeysUnavailableError(this.url, error);
    }
  }
}

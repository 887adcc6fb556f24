import type { KeyObject } from 'node:crypto';
import { keyFromJwk, type PublicJwk } from './jwt';

/**
 * Public keys from the registry's JWKS endpoint, cached; an unknown kid (a rotated key) triggers a
 * refresh, at most one every `minRefreshMs`, so forged kids cannot hammer the registry. A new key
 * is therefore accepted everywhere within about a second of its rotation.
 */
/** The registry's public keys could not be fetched: tokens cannot be checked right now. */
export class KeysUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `the registry's signing keys (${url}) are unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'KeysUnavailableError';
  }
}

export class JwksKeySource {
  private keys = new Map<string, KeyObject>();
  private lastFetch = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly minRefreshMs = 1000,
  ) {}

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    if (Date.now() - this.lastFetch < this.minRefreshMs && this.keys.size > 0) return undefined;
    await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        const response = await fetch(this.url, { signal: AbortSignal.timeout(3000) });
        if (!response.ok) throw new Error(`answered HTTP ${response.status}`);
        const body = (await response.json()) as { keys?: PublicJwk[] };
        this.keys = new Map((body.keys ?? []).map((jwk) => [jwk.kid, keyFromJwk(jwk)]));
        this.lastFetch = Date.now();
      } catch (error) {
        throw new KeysUnavailableError(this.url, error);
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

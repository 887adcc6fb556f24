import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeysUnavailableError, JwksKeySource } from './jwks-key-source';
import { TokenRejectedError, publicJwk, signToken, type PublicJwk } from './jwt';
import { JwksTokenVerifier } from './token-verifier';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JWKS endpoint on a real local HTTP server whose key list the test changes. */
class JwksEndpoint {
  keys: PublicJwk[] = [];
  fetches = 0;
  up = true;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.fetches += 1;
      if (!this.up) {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('JWKS keys over HTTP', () => {
  const endpoint = new JwksEndpoint();
  let url: string;
  const first = generateKeyPairSync('ed25519');
  const second = generateKeyPairSync('ed25519');
  const options = { issuer: 'ecomlog-registry', audience: 'ecomlog' };
  const claims = {
    iss: 'ecomlog-registry',
    aud: 'ecomlog',
    sub: 'courier-zto',
    kind: 'courier' as const,
    scope: 'scans:write carrier:ZTO',
    carrier: 'ZTO',
  };

  beforeAll(async () => {
    url = await endpoint.start();
  });
  afterAll(() => endpoint.stop());
  beforeEach(() => {
    endpoint.keys = [publicJwk(first.publicKey, 'k1')];
    endpoint.up = true;
  });

  it('refuses a key removed from the JWKS once the key set is older than its bound', async () => {
    const verifier = new JwksTokenVerifier(url, options, { maxAgeMs: 300, cooldownMs: 50 });
    const token = signToken(first.privateKey, 'k1', claims, 600).token;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'courier-zto' });
    endpoint.keys = [publicJwk(second.publicKey, 'k2')];
    // Within the bound the cached set still holds k1 …
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'courier-zto' });
    await sleep(350);
    // … past it the set is fetched again and k1 is gone.
    await expect(verifier.verify(token)).rejects.toEqual(
      new TokenRejectedError('the token was signed with a key the registry does not publish'),
    );
  });

  it('fetches again for an unknown key id (a rotation), at most once per cooldown', async () => {
    const keys = new JwksKeySource(url, { maxAgeMs: 60_000, cooldownMs: 200 });
    await expect(keys.keyFor('k1')).resolves.toBeDefined();
    endpoint.keys = [publicJwk(first.publicKey, 'k1'), publicJwk(second.publicKey, 'k2')];
    // Right after a fetch an unknown kid is not worth another one.
    const before = endpoint.fetches;
    await expect(keys.keyFor('k2')).resolves.toBeUndefined();
    expect(endpoint.fetches).toBe(before);
    await sleep(250);
    await expect(keys.keyFor('k2')).resolves.toBeDefined();
    expect(endpoint.fetches).toBe(before + 1);
    await expect(keys.keyFor('forged')).resolves.toBeUndefined();
    await expect(keys.keyFor('forged')).resolves.toBeUndefined();
    expect(endpoint.fetches).toBe(before + 1);
  });

  it('fails closed when the key set is stale and the registry does not answer', async () => {
    const keys = new JwksKeySource(url, { maxAgeMs: 200, cooldownMs: 50 });
    await expect(keys.keyFor('k1')).resolves.toBeDefined();
    endpoint.up = false;
    await sleep(250);
    await expect(keys.keyFor('k1')).rejects.toBeInstanceOf(KeysUnavailableError);
  });
});

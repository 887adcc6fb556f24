import { generateKeyPairSync } from 'node:crypto';
import { TokenRejectedError, keyFromJwk, publicJwk, signToken, verifyToken } from './jwt';
import { principalFromClaims } from './principal';
import { assertWithinRegion, isWithinRegion, noteRequestAccess } from './region';

describe('EdDSA JWTs', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const jwk = publicJwk(publicKey, 'k1');
  const keyFor = async (kid: string) => (kid === 'k1' ? keyFromJwk(jwk) : undefined);
  const options = { issuer: 'ecomlog-registry', audience: 'ecomlog' };
  const claims = {
    iss: 'ecomlog-registry',
    aud: 'ecomlog',
    sub: 'u1',
    kind: 'official' as const,
    scope: 'commerce',
    roles: ['commerce' as const],
    region: '640521',
  };

  it('round-trips claims through a JWKS public key', async () => {
    const { token } = signToken(privateKey, 'k1', claims, 600);
    const verified = await verifyToken(token, keyFor, options);
    expect(principalFromClaims(verified)).toEqual({
      subject: 'u1',
      kind: 'official',
      roles: ['commerce'],
      regionPrefix: '640521',
      carrierCode: undefined,
      platformCode: undefined,
      enterpriseId: undefined,
    });
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'k1', alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
  });

  it.each([
    [
      'a foreign signature',
      () => signToken(other.privateKey, 'k1', claims, 600).token,
      'the token signature is invalid',
    ],
    [
      'an unknown key',
      () => signToken(privateKey, 'k2', claims, 600).token,
      'the token was signed with a key the registry does not publish',
    ],
    [
      'an expired token',
      () => signToken(privateKey, 'k1', claims, 60, Date.now() - 3600_000).token,
      'the token has expired; request a new one',
    ],
    [
      'another issuer',
      () => signToken(privateKey, 'k1', { ...claims, iss: 'evil' }, 600).token,
      'token issuer evil is not trusted',
    ],
    ['garbage', () => 'abc.def', 'the bearer token is not a JWT'],
    [
      'a tampered payload',
      () => {
        const [h, , s] = signToken(privateKey, 'k1', claims, 600).token.split('.');
        const forged = Buffer.from(
          JSON.stringify({ ...claims, roles: ['admin'], exp: 9e9 }),
        ).toString('base64url');
        return `${h}.${forged}.${s}`;
      },
      'the token signature is invalid',
    ],
    [
      'a token not valid before a minute from now',
      () =>
        signToken(privateKey, 'k1', { ...claims, nbf: Math.floor(Date.now() / 1000) + 60 }, 600)
          .token,
      'the token is not valid yet (nbf is in the future)',
    ],
    [
      'another audience',
      () => signToken(privateKey, 'k1', { ...claims, aud: 'elsewhere' }, 600).token,
      'token audience elsewhere is not this platform',
    ],
    [
      'an audience list without this platform',
      () => signToken(privateKey, 'k1', { ...claims, aud: ['elsewhere', 'other'] }, 600).token,
      'token audience elsewhere, other is not this platform',
    ],
    [
      'a token issued in the future',
      () => signToken(privateKey, 'k1', claims, 600, Date.now() + 3600_000).token,
      'the token was issued in the future',
    ],
    [
      'an unsigned token',
      () => {
        const [, payload] = signToken(privateKey, 'k1', claims, 600).token.split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString(
          'base64url',
        );
        return `${header}.${payload}.`;
      },
      'token algorithm none is not accepted',
    ],
  ])('rejects %s with a reason', async (_name, make, reason) => {
    await expect(verifyToken(make(), keyFor, options)).rejects.toEqual(
      new TokenRejectedError(reason),
    );
  });

  it('accepts an audience list that contains this platform, and nbf already passed', async () => {
    const { token } = signToken(
      privateKey,
      'k1',
      { ...claims, aud: ['ecomlog-dashboard', 'ecomlog'], nbf: Math.floor(Date.now() / 1000) - 5 },
      600,
    );
    await expect(verifyToken(token, keyFor, options)).resolves.toMatchObject({
      sub: 'u1',
      aud: ['ecomlog-dashboard', 'ecomlog'],
    });
  });

  it('tolerates a few seconds of clock skew, not more', async () => {
    const soon = signToken(
      privateKey,
      'k1',
      { ...claims, nbf: Math.floor(Date.now() / 1000) + 3 },
      600,
    );
    await expect(verifyToken(soon.token, keyFor, options)).resolves.toMatchObject({ sub: 'u1' });
    const justExpired = signToken(privateKey, 'k1', claims, 60, Date.now() - 65_000);
    await expect(verifyToken(justExpired.token, keyFor, options)).resolves.toMatchObject({
      sub: 'u1',
    });
    const expired = signToken(privateKey, 'k1', claims, 60, Date.now() - 75_000);
    await expect(verifyToken(expired.token, keyFor, options)).rejects.toThrow(/expired/);
  });

  it('keeps officials inside their region', () => {
    const official = principalFromClaims({ ...claims, iat: 0, exp: 0, jti: 'x' });
    expect(isWithinRegion(official, '640521100200')).toBe(true);
    expect(isWithinRegion(official, '640522100200')).toBe(false);
    expect(() => assertWithinRegion(official, '640522100200')).toThrow(/outside your region/);
  });

  it('says whether reading or changing was refused outside the region', () => {
    const reader = principalFromClaims({ ...claims, iat: 0, exp: 0, jti: 'x' });
    noteRequestAccess(reader, 'GET');
    expect(() => assertWithinRegion(reader, '640522100200')).toThrow(/you may read only/);
    const writer = principalFromClaims({ ...claims, iat: 0, exp: 0, jti: 'y' });
    noteRequestAccess(writer, 'POST');
    expect(() => assertWithinRegion(writer, '640522100200')).toThrow(/you may change only/);
    expect(() => assertWithinRegion(writer, '640522100200', 'read')).toThrow(/you may read only/);
  });
});

import {
  createPublicKey,
  randomUUID,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { TokenClaims } from './principal';

/** Ed25519 (EdDSA) JWTs with Node's own crypto: small keys, fast verification, no extra library. */
export const JWT_ALGORITHM = 'EdDSA';

export class TokenRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signToken(
  privateKey: KeyObject,
  kid: string,
  claims: Omit<TokenClaims, 'iat' | 'exp' | 'jti'>,
  ttlSeconds: number,
  now = Date.now(),
): { token: string; expiresIn: number } {
  const iat = Math.floor(now / 1000);
  const header = encode({ alg: JWT_ALGORITHM, typ: 'JWT', kid });
  const payload = encode({ ...claims, iat, exp: iat + ttlSeconds, jti: randomUUID() });
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString(
    'base64url',
  );
  return { token: `${header}.${payload}.${signature}`, expiresIn: ttlSeconds };
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated between issuer and verifier. */
  leewaySeconds?: number;
  now?: number;
}

/** Verifies signature, algorithm, issuer, audience and lifetime; every refusal says why. */
export async function verifyToken(
  token: string,
  keyFor: (kid: string) => Promise<KeyObject | undefined>,
  options: VerifyOptions,
): Promise<TokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenRejectedError('the bearer token is not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts;
  let header: { alg?: string; kid?: string };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    throw new TokenRejectedError('the bearer token is not a readable JWT');
  }
  if (header.alg !== JWT_ALGORITHM)
    throw new TokenRejectedError(`token algorithm ${String(header.alg)} is not accepted`);
  const key = header.kid ? await keyFor(header.kid) : undefined;
  if (!key)
    throw new TokenRejectedError('the token was signed with a key the registry does not publish');
  const valid = verify(
    null,
    Buffer.from(`${headerPart}.${payloadPart}`),
    key,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) throw new TokenRejectedError('the token signature is invalid');
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const leeway = options.leewaySeconds ?? 30;
  if (claims.iss !== options.issuer)
    throw new TokenRejectedError(`token issuer ${claims.iss} is not trusted`);
  if (claims.aud !== options.audience)
    throw new TokenRejectedError(`token audience ${claims.aud} is not this platform`);
  if (typeof claims.exp !== 'number' || claims.exp + leeway < now)
    throw new TokenRejectedError('the token has expired; request a new one');
  if (typeof claims.iat === 'number' && claims.iat - leeway > now)
    throw new TokenRejectedError('the token was issued in the future');
  return claims;
}

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: typeof JWT_ALGORITHM;
  use: 'sig';
}

export function publicJwk(publicKey: KeyObject, kid: string): PublicJwk {
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: JWT_ALGORITHM, use: 'sig' };
}

export function keyFromJwk(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

import { createPublicKey, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { KeysUnavailableError } from './jwks-key-source';
import { PRINCIPAL_KINDS, type TokenClaims } from './principal';

/** Ed25519 (EdDSA) JWTs: small keys, fast verification. Verified with `jose`. */
export const JWT_ALGORITHM = 'EdDSA';

/** Seconds of clock skew tolerated between issuer and verifier unless a caller says otherwise. */
export const DEFAULT_LEEWAY_SECONDS = 10;

export class TokenRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS (RFC 7515) with `alg: EdDSA`, `typ: JWT` and the key id, signed with Node's own
 * Ed25519: synchronous, so the registry signs without an extra await, and standard, so `jose`
 * (and any other JOSE library) verifies it.
 */
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
  /** This service's audience: a token passes when its `aud` is, or contains, this value. */
  audience: string;
  /** Seconds of clock skew tolerated between issuer and verifier (exp, nbf, iat). */
  leewaySeconds?: number;
  now?: number;
}

/**
 * Verifies signature, algorithm, key id, issuer, audience and lifetime (exp, nbf, iat) with
 * `jose`; every refusal is a TokenRejectedError saying why. `keyFor` answers undefined for a key
 * id it does not know and may throw KeysUnavailableError when the keys cannot be fetched.
 */
export async function verifyToken(
  token: string,
  keyFor: (kid: string) => Promise<KeyObject | undefined>,
  options: VerifyOptions,
): Promise<TokenClaims> {
  if (token.split('.').length !== 3) throw new TokenRejectedError('the bearer token is not a JWT');
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  const currentDate = new Date(options.now ?? Date.now());
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        if (!header.kid) throw new TokenRejectedError('the token names no signing key (kid)');
        const key = await keyFor(header.kid);
        if (!key) {
          throw new TokenRejectedError(
            'the token was signed with a key the registry does not publish',
          );
        }
        return key;
      },
      {
        algorithms: [JWT_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: leeway,
        currentDate,
        requiredClaims: ['exp', 'sub'],
      },
    ));
  } catch (error) {
    throw rejectionOf(error, token);
  }
  const now = Math.floor(currentDate.getTime() / 1000);
  if (typeof payload.iat === 'number' && payload.iat - leeway > now)
    throw new TokenRejectedError('the token was issued in the future');
  const claims = payload as unknown as TokenClaims;
  if (!(PRINCIPAL_KINDS as readonly string[]).includes(claims.kind))
    throw new TokenRejectedError(`token kind ${String(claims.kind)} is not a known caller kind`);
  return claims;
}

/** Turns what jose throws into a refusal a caller can act on; key-source failures pass through. */
function rejectionOf(error: unknown, token: string): Error {
  if (error instanceof TokenRejectedError || error instanceof KeysUnavailableError) return error;
  if (error instanceof errors.JOSEAlgNotAllowed) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      alg = undefined;
    }
    return new TokenRejectedError(`token algorithm ${String(alg)} is not accepted`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenRejectedError('the token signature is invalid');
  if (error instanceof errors.JWTExpired)
    return new TokenRejectedError('the token has expired; request a new one');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const value: unknown = error.payload[error.claim];
    if (error.reason === 'missing')
      return new TokenRejectedError(`the token has no ${error.claim} claim`);
    switch (error.claim) {
      case 'iss':
        return new TokenRejectedError(`token issuer ${String(value)} is not trusted`);
      case 'aud':
        return new TokenRejectedError(
          `token audience ${Array.isArray(value) ? value.join(', ') : String(value)} is not this platform`,
        );
      case 'nbf':
        return new TokenRejectedError('the token is not valid yet (nbf is in the future)');
      default:
        return new TokenRejectedError(`the token's ${error.claim} claim is invalid`);
    }
  }
  if (error instanceof errors.JOSEError)
    return new TokenRejectedError('the bearer token is not a readable JWT');
  return error instanceof Error ? error : new Error(String(error));
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

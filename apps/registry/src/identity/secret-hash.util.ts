import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptParams & { maxmem: number },
) => Promise<Buffer>;

/**
 * Today's cost: N = 2^17, r = 8, p = 1 (OWASP's scrypt minimum), about 128 MiB and a few hundred
 * milliseconds per hash. A stored hash with lower parameters is replaced on its next successful use.
 */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
/** Stored parameters above these are refused rather than computed (a corrupted row, not a DoS). */
const MAX_PARAMS: Readonly<ScryptParams> = { N: 2 ** 20, r: 16, p: 4 };
const KEY_LENGTH = 32;

/** scrypt needs 128·N·r bytes; twice that leaves room for Node's own bookkeeping. */
const maxmemFor = ({ N, r, p }: ScryptParams): number => 2 * 128 * N * r * p;

/**
 * Secrets and passwords are stored only as salted scrypt hashes carrying their parameters:
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url).
 */
export async function hashSecret(
  secret: string,
  params: Readonly<ScryptParams> = SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, KEY_LENGTH, {
    ...params,
    maxmem: maxmemFor(params),
  });
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const sane =
    Object.values(params).every((value) => Number.isSafeInteger(value) && value >= 1) &&
    params.N <= MAX_PARAMS.N &&
    params.r <= MAX_PARAMS.r &&
    params.p <= MAX_PARAMS.p;
  return sane
    ? { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
    : undefined;
}

/** Whether a stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.params;
  return (
    N < SCRYPT_PARAMS.N ||
    r < SCRYPT_PARAMS.r ||
    p < SCRYPT_PARAMS.p ||
    parsed.hash.length < KEY_LENGTH
  );
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const actual = await scryptAsync(secret, parsed.salt, parsed.hash.length, {
    ...parsed.params,
    maxmem: maxmemFor(parsed.params),
  });
  return timingSafeEqual(actual, parsed.hash);
}

/**
 * Checks a secret and, when it matches a hash of older parameters, returns its replacement at
 * today's cost (the caller stores it in the same request): hashes get stronger as people log in.
 */
export async function verifySecretAndUpgrade(
  secret: string,
  stored: string,
): Promise<{ valid: boolean; upgradedHash?: string }> {
  if (!(await verifySecret(secret, stored))) return { valid: false };
  return needsRehash(stored)
    ? { valid: true, upgradedHash: await hashSecret(secret) }
    : { valid: true };
}

/** A new random secret, shown once to whoever created it. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

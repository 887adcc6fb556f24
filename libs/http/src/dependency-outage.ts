/** A request failed because a backing service could not be reached, not because of a bug. */
export interface DependencyOutage {
  dependency: 'database' | 'cache';
  /** A short, non-sensitive reason: an error code or the driver's summary. */
  reason: string;
}

/** Seconds a client is asked to wait before retrying during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Network failures of the socket itself (Node's error codes). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01–57P03
 * (admin shutdown, crash shutdown, cannot connect now: a restart), 53300 (too many connections).
 */
const POSTGRES_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** What node-postgres, pg-pool and TypeORM say when the connection is gone or never came. */
const DATABASE_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** ioredis: retries of a command exhausted, or the connection closed. */
const CACHE_NAMES = new Set(['MaxRetriesPerRequestError']);
const CACHE_MESSAGES = [/^Connection is closed\.?$/, /Stream isn't writeable/i];

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Whether `error` (or what it wraps: TypeORM's driverError, a cause, an AggregateError's errors)
 * says PostgreSQL or Redis is unreachable. Such a request answers 503 with Retry-After, not 500.
 */
export function dependencyOutageOf(error: unknown, depth = 0): DependencyOutage | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  if (code && POSTGRES_CODES.has(code)) return { dependency: 'database', reason: code };
  if (CACHE_NAMES.has(name) || CACHE_MESSAGES.some((pattern) => pattern.test(message)))
    return { dependency: 'cache', reason: message || name };
  if (DATABASE_MESSAGES.some((pattern) => pattern.test(message)))
    return { dependency: 'database', reason: message.split('\n')[0] };
  for (const inner of [
    e.driverError,
    e.cause,
    ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : []),
  ]) {
    const found = dependencyOutageOf(inner, depth + 1);
    if (found) return found;
  }
  // A bare socket error: the service's only outbound connections from a request are its database
  // and Redis, and Redis errors are recognised above.
  if (code && SOCKET_CODES.has(code)) return { dependency: 'database', reason: code };
  return undefined;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header that carries the correlation id on HTTP requests and responses. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** CloudEvents extension attribute (binary mode header) that carries it on Kafka messages. */
export const CORRELATION_EVENT_HEADER = 'ce_correlationid';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Who is acting in this request, once authenticated (set by the auth guard). */
export interface ScopeActor {
  subject: string;
  kind: string;
}

interface CorrelationScope {
  correlationId: string;
  actor?: ScopeActor;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** Accepts a caller's id when it is a sane token, otherwise starts a new one. */
export function normaliseCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && SAFE_ID.test(candidate) ? candidate : randomUUID();
}

export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Records the authenticated caller on the current request scope (logs and audit read it). */
export function setCurrentActor(actor: ScopeActor): void {
  const scope = storage.getStore();
  if (scope) scope.actor = actor;
}

export function currentActor(): ScopeActor | undefined {
  return storage.getStore()?.actor;
}

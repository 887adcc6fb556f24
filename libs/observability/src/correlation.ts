import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header that carries the correlation id on HTTP requests and responses. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** CloudEvents extension attribute (binary mode header) that carries it on Kafka messages. */
export const CORRELATION_EVENT_HEADER = 'ce_correlationid';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface CorrelationScope {
  correlationId: string;
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

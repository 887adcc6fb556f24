import { createHash } from 'node:crypto';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { Observable, from, lastValueFrom } from 'rxjs';
import { ProblemException } from './problem';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface StoredOutcome {
  state: 'in_progress' | 'done';
  fingerprint: string;
  status?: number;
  body?: unknown;
}

/**
 * `Idempotency-Key` on writes, backed by Redis: the first request with a key runs and its answer is
 * kept for `ttlSeconds`; a retry with the same key and body gets the same answer without running
 * again; the same key with another body, or while the first is still running, is refused.
 * Failed requests (any error) are not kept: they changed nothing, so the key may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlSeconds = 24 * 60 * 60,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (!WRITE_METHODS.has(request.method) || key === undefined) return next.handle();
    return from(this.run(key, request, context.switchToHttp().getResponse<Response>(), next));
  }

  private async run(
    key: string,
    request: Request,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ProblemException(
        400,
        'invalid-idempotency-key',
        'Invalid Idempotency-Key',
        'Idempotency-Key must be 8–128 characters of letters, digits and . _ : -',
      );
    }
    // Keys are per caller: two clients may happen to choose the same key.
    const caller =
      (request as Request & { principal?: { subject?: string } }).principal?.subject ?? 'anonymous';
    const storageKey = `idem:${this.namespace}:${caller}:${request.method}:${request.baseUrl}${request.path}:${key}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');

    const claimed = await this.redis.set(
      storageKey,
      JSON.stringify({ state: 'in_progress', fingerprint } satisfies StoredOutcome),
      'EX',
      this.ttlSeconds,
      'NX',
    );
    if (claimed !== 'OK') {
      const stored = JSON.parse(
        (await this.redis.get(storageKey)) ?? 'null',
      ) as StoredOutcome | null;
      if (stored === null) return this.run(key, request, response, next);
      if (stored.fingerprint !== fingerprint) {
        throw new ProblemException(
          422,
          'idempotency-key-reused',
          'Idempotency-Key reused',
          'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
        );
      }
      if (stored.state === 'in_progress') {
        throw new ProblemException(
          409,
          'idempotent-request-in-progress',
          'Request in progress',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        );
      }
      response.status(stored.status ?? 200);
      response.setHeader(REPLAYED_HEADER, 'true');
      return stored.body;
    }

    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.redis.set(
        storageKey,
        JSON.stringify({
          state: 'done',
          fingerprint,
          status: response.statusCode,
          body,
        } satisfies StoredOutcome),
        'EX',
        this.ttlSeconds,
      );
      return body;
    } catch (error) {
      // A failed request changed nothing, so its key is released for a corrected retry.
      await this.redis.del(storageKey);
      throw error;
    }
  }
}

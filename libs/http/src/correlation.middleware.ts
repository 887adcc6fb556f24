import type { NextFunction, Request, Response } from 'express';
import {
  CORRELATION_HEADER,
  httpRequestDuration,
  normaliseCorrelationId,
  runWithCorrelationId,
} from '@ecomlog/observability';

/** Gives every request a correlation id (the caller's, if sane), echoes it, and times the request. */
export function correlationMiddleware(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const correlationId = normaliseCorrelationId(request.header(CORRELATION_HEADER));
  response.setHeader(CORRELATION_HEADER, correlationId);
  const stopTimer = httpRequestDuration.startTimer({ method: request.method });
  response.on('finish', () => {
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    stopTimer({ route, status: String(response.statusCode) });
  });
  runWithCorrelationId(correlationId, next);
}

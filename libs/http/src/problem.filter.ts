import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  NotFoundException,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId, type AppLogger } from '@ecomlog/observability';
import { OUTAGE_RETRY_AFTER_SECONDS, dependencyOutageOf } from './dependency-outage';
import { allowedMethodsFor, methodNotAllowedProblem } from './method-not-allowed';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  ValidationProblemException,
  problemTypeUri,
  type ProblemDocument,
} from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Every error leaves as application/problem+json (RFC 9457), with the correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem =
      this.outage(exception, request, response) ??
      this.methodNotAllowed(exception, request, response) ??
      this.toProblem(exception, request);
    if (problem.status >= 500 && problem.status !== 503) {
      this.logger.error({ err: exception, path: request.url }, 'unhandled error');
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  /** PostgreSQL or Redis unreachable: 503 with Retry-After, so clients and balancers retry. */
  private outage(
    exception: unknown,
    request: Request,
    response: Response,
  ): ProblemDocument | undefined {
    if (exception instanceof HttpException) return undefined;
    const outage = dependencyOutageOf(exception);
    if (!outage) return undefined;
    this.logger.warn(
      { err: exception, path: request.url, dependency: outage.dependency },
      'dependency unavailable',
    );
    response.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    return {
      type: problemTypeUri('dependency-unavailable'),
      title: 'Service unavailable',
      status: 503,
      detail: `The ${outage.dependency === 'database' ? 'database' : 'cache (Redis)'} is unreachable right now (${outage.reason}); retry in ${OUTAGE_RETRY_AFTER_SECONDS} seconds (with the same Idempotency-Key for a write).`,
      dependency: outage.dependency,
      instance: request.originalUrl,
      correlationId: currentCorrelationId(),
    };
  }

  /** Nest answers an unmatched method with 404; when the path exists under other methods, 405. */
  private methodNotAllowed(
    exception: unknown,
    request: Request,
    response: Response,
  ): ProblemDocument | undefined {
    if (!(exception instanceof NotFoundException) || exception instanceof ProblemException)
      return undefined;
    const allowed = allowedMethodsFor(request);
    if (allowed.length === 0 || allowed.includes(request.method.toUpperCase())) return undefined;
    response.setHeader('Allow', allowed.join(', '));
    return methodNotAllowedProblem(request, allowed);
  }

  private toProblem(exception: unknown, request: Request): ProblemDocument {
    const base = { instance: request.originalUrl, correlationId: currentCorrelationId() };
    if (exception instanceof ProblemException) {
      return {
        type: problemTypeUri(exception.problemType),
        title: exception.title,
        status: exception.getStatus(),
        detail: exception.message,
        // Field problems carry `errors`; other problems their own extension members.
        ...(exception instanceof ValidationProblemException
          ? { errors: exception.errors }
          : exception.extensions),
        ...base,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        type: 'about:blank',
        title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
        status,
        detail: detailOf(exception),
        ...base,
      };
    }
    if (isUnstorableText(exception)) {
      return {
        type: problemTypeUri('unstorable-text'),
        title: 'Text cannot be stored',
        status: 422,
        detail:
          'A text field contains a character that cannot be stored (the NUL character U+0000 or an invalid sequence); remove it and send the request again.',
        ...base,
      };
    }
    return {
      type: 'about:blank',
      title: 'Internal server error',
      status: 500,
      detail:
        'The server failed to handle this request; quote the correlation id when reporting it.',
      ...base,
    };
  }
}

/**
 * PostgreSQL refuses NUL (U+0000) in text (22021 character_not_in_repertoire, 22P05
 * untranslatable_character): valid JSON that no column can hold, the client's to fix.
 */
function isUnstorableText(exception: unknown): boolean {
  const code =
    (exception as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ??
    (exception as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId, type AppLogger } from '@ecomlog/observability';
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
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, path: request.url }, 'unhandled error');
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDocument {
    const base = { instance: request.originalUrl, correlationId: currentCorrelationId() };
    if (exception instanceof ValidationProblemException) {
      return {
        type: problemTypeUri(exception.problemType),
        title: exception.title,
        status: exception.getStatus(),
        detail: exception.message,
        errors: exception.errors,
        ...base,
      };
    }
    if (exception instanceof ProblemException) {
      return {
        type: problemTypeUri(exception.problemType),
        title: exception.title,
        status: exception.getStatus(),
        detail: exception.message,
        ...exception.extensions,
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

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

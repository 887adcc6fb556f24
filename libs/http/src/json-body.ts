import { json, type ErrorRequestHandler, type RequestHandler } from 'express';
import { currentCorrelationId } from '@ecomlog/observability';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument } from './problem';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * JSON body parsing with a size bound, answering unreadable bodies with problem+json here:
 * past this point Nest would only see a bare "Unexpected end of JSON input".
 */
export function jsonBody(limit: string): [RequestHandler, ErrorRequestHandler] {
  const parser = json({ limit, type: ['application/json', 'application/*+json'] });
  const onError: ErrorRequestHandler = (error: BodyParserError, request, response, next) => {
    const known: Record<string, { status: number; title: string; detail: string }> = {
      'entity.parse.failed': {
        status: 400,
        title: 'Bad request',
        detail: `The request body is not valid JSON: ${error.message}`,
      },
      'entity.too.large': {
        status: 413,
        title: 'Payload too large',
        detail: `The request body is larger than the ${limit} this endpoint accepts`,
      },
      'encoding.unsupported': {
        status: 415,
        title: 'Unsupported media type',
        detail: 'The request body must be UTF-8 encoded JSON',
      },
      'charset.unsupported': {
        status: 415,
        title: 'Unsupported media type',
        detail: 'The request body must be UTF-8 encoded JSON',
      },
    };
    const problem = error.type ? known[error.type] : undefined;
    if (!problem) {
      next(error);
      return;
    }
    const body: ProblemDocument = {
      type: 'about:blank',
      ...problem,
      instance: request.originalUrl,
      correlationId: currentCorrelationId(),
    };
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  };
  return [parser, onError];
}

import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, PROBLEM_CONTENT_TYPE } from '@ecomlog/http';

type Operation = {
  parameters?: { in: string; name?: string; required?: boolean; schema?: unknown }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, unknown>;
};

/** RFC 9457 problem details as every service answers them (libs/http ProblemFilter). */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      description: 'URI of the problem type',
      example: 'https://ecomlog.cn/problems/validation-failed',
    },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What happened and what to do, for a person' },
    instance: { type: 'string', description: 'The request path' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Validation failures, one per field path',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  // Problem types may carry extension members (RFC 9457 §3.2).
  additionalProperties: true,
};

const REASONS: Record<number, string> = {
  400: 'The request does not match this document (field paths in `errors`)',
  401: 'No valid bearer token',
  403: "The token's roles, region or client scope do not allow this",
  404: 'No such resource',
  409: 'Conflicts with the current state (a duplicate, a concurrent change, a reused idempotency key)',
  413: 'The body is larger than this route accepts',
  415: 'The body is not application/json',
  422: 'Well formed, but refused by a rule of the domain (unknown division, state transition, check character, …)',
  429: 'Rate limit exceeded (Retry-After says when to try again)',
  503: 'A dependency (database, Kafka, Redis) is unavailable; retry later',
};

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

/** The problem statuses an operation can answer, from what it takes and who may call it. */
function problemStatuses(method: string, path: string, operation: Operation): number[] {
  const secured = (operation.security ?? []).length > 0;
  const hasBody = operation.requestBody !== undefined;
  const hasInput = hasBody || (operation.parameters ?? []).length > 0;
  const statuses = [429, 503];
  if (hasInput) statuses.push(400);
  if (secured) statuses.push(401, 403);
  if (path.includes('{') || secured) statuses.push(404);
  if (MUTATING.has(method)) statuses.push(409);
  if (hasInput) statuses.push(422);
  if (hasBody) statuses.push(413, 415);
  return statuses.sort();
}

/**
 * Every write takes an optional Idempotency-Key (libs/http IdempotencyInterceptor; a route that
 * insists declares it required): the document gives its shape, so a malformed key is a 400 a
 * client could have known about.
 */
function describeIdempotencyKey(operation: Operation): void {
  operation.parameters ??= [];
  let header = operation.parameters.find(
    (p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key',
  );
  if (!header) {
    header = { in: 'header', name: 'Idempotency-Key', required: false };
    operation.parameters.push(header);
  }
  Object.assign(header, {
    description:
      'Makes a retried write safe: the same key and body within 24 h answer the first result again',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
  });
}

/**
 * Declares on every operation the problem+json answers it can give (unless a route declared its
 * own), so a client and a contract test know every status in advance.
 */
export function declareProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = PROBLEM_SCHEMA;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value as Operation & { 'x-public'?: boolean };
      // @Public() routes need no token, whatever their controller's @ApiBearerAuth() says.
      if (operation['x-public']) {
        operation.security = [];
        delete operation['x-public'];
      }
      if (MUTATING.has(method)) describeIdempotencyKey(operation);
      for (const status of problemStatuses(method, path, operation)) {
        operation.responses[status] ??= { description: REASONS[status] };
      }
      // A problem a route declared itself (e.g. @ApiUnauthorizedResponse on a login) has the
      // same body as the rest.
      for (const [status, response] of Object.entries(operation.responses)) {
        const declared = response as { content?: unknown };
        if (Number(status) >= 400 && declared.content === undefined) {
          declared.content = {
            [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
          };
        }
      }
    }
  }
  return document;
}

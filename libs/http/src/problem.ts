import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '@ecomlog/contracts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://ecomlog.cn/problems/';

/** RFC 9457 problem details; `errors` lists field paths for validation failures. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/**
 * Throw this to answer with a specific problem type, e.g.
 * `throw new ProblemException(409, 'allocation-exceeds-source', 'Allocation exceeds source', '...')`.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly problemType: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail, status);
  }
}

/**
 * Field problems. Thrown by a service (a rule between fields or against stored state) it is 422:
 * the request matched the document. The validation pipe passes 400 for what the schema states.
 */
export class ValidationProblemException extends ProblemException {
  constructor(
    readonly errors: FieldProblem[],
    status: number = HttpStatus.UNPROCESSABLE_ENTITY,
  ) {
    super(
      status,
      'validation-failed',
      'Request validation failed',
      errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '),
    );
  }
}

export function problemTypeUri(slug: string): string {
  return slug.startsWith('http') || slug === 'about:blank' ? slug : `${PROBLEM_BASE}${slug}`;
}

import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export interface FieldProblem {
  /** Path of the failing field, e.g. `items[2].amountFen`. */
  path: string;
  message: string;
}

export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Flattens class-validator's nested errors into field paths a person can find in their input. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const path =
      parent === ''
        ? segment
        : segment.startsWith('[')
          ? `${parent}${segment}`
          : `${parent}.${segment}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Validates a plain object against a payload class. Producers are strict (unknown fields are an
 * error: they would be a silent contract change); consumers tolerate unknown fields so that
 * additive changes do not break older readers.
 */
export function validatePayload<T extends object>(
  payloadClass: new () => T,
  plain: unknown,
  mode: 'produce' | 'consume',
): PayloadCheck<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, problems: [{ path: '', message: 'payload must be a JSON object' }] };
  }
  const value = plainToInstance(payloadClass, plain);
  const errors = validateSync(value, {
    whitelist: mode === 'produce',
    forbidNonWhitelisted: mode === 'produce',
    forbidUnknownValues: true,
  });
  return errors.length === 0
    ? { ok: true, value }
    : { ok: false, problems: flattenValidationErrors(errors) };
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}

import { HttpStatus, ValidationPipe } from '@nestjs/common';
import { ValidationTypes, getMetadataStorage, type ValidationError } from 'class-validator';
import { CREDIT_CODE_SHAPE, flattenValidationErrors } from '@ecomlog/contracts';
import { CALENDAR_DAY_PATTERN } from '@ecomlog/kernel';
import { ValidationProblemException } from './problem';

/**
 * Rules a JSON schema cannot state (a check character, a comparison with another field, the
 * clock, a day that does not exist). A request that breaks only these matches the OpenAPI
 * document, so it is answered 422 (well formed, refused by a rule) rather than 400 (does not
 * match the document). Each rule says when its failure is beyond the schema: a lower-case credit
 * code breaks the documented pattern too, so it stays a 400.
 */
export const SEMANTIC_CONSTRAINTS: ReadonlyMap<string, (value: unknown) => boolean> = new Map([
  ['isCreditCode', (value: unknown) => typeof value === 'string' && CREDIT_CODE_SHAPE.test(value)],
  ['isAtMostProperty', () => true],
  [
    'isScanTime',
    (value: unknown) => typeof value === 'string' && Number.isFinite(Date.parse(value)),
  ],
  // A day of the right shape that does not exist (2023-02-30): the pattern cannot count days.
  ['isIso8601', (value: unknown) => typeof value === 'string' && CALENDAR_DAY_PATTERN.test(value)],
  // Unique by a key of the items (distinct dimension names); `uniqueItems` compares whole items.
  ['arrayUnique', () => true],
  // `multipleOf: 0.01` is stated, but binary floating point cannot hold it exactly: 0.57 reaches
  // the validator as 0.5700000000000001 from some generators.
  ['isNumber', (value: unknown) => typeof value === 'number' && nearlyTwoDecimals(value)],
]);

function nearlyTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/**
 * A field that `@ValidateIf` requires only because of another field (a courier client needs a
 * carrier code): missing, it breaks a rule between fields, not the field's schema.
 */
function missingConditionalField(error: ValidationError): boolean {
  if (error.value !== undefined || !error.target) return false;
  const storage = getMetadataStorage();
  return storage
    .getTargetValidationMetadatas(error.target.constructor, '', true, false)
    .some(
      (rule) =>
        rule.propertyName === error.property &&
        rule.type === ValidationTypes.CONDITIONAL_VALIDATION &&
        rule.name !== 'isOptional',
    );
}

/** Whether every failure of these errors is one a schema cannot state. */
function onlySemantic(errors: ValidationError[]): boolean {
  return errors.every(
    (error) =>
      (missingConditionalField(error) ||
        Object.keys(error.constraints ?? {}).every(
          (name) => SEMANTIC_CONSTRAINTS.get(name)?.(error.value) ?? false,
        )) &&
      onlySemantic(error.children ?? []),
  );
}

/** 422 when every failed rule is one the schema cannot state, else 400. */
export function validationStatus(errors: ValidationError[]): number {
  return errors.length > 0 && onlySemantic(errors)
    ? HttpStatus.UNPROCESSABLE_ENTITY
    : HttpStatus.BAD_REQUEST;
}

/** Whitelists DTO fields, refuses unknown ones, and reports every failing field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The errors keep their object, so a rule between fields can be told from a field's own.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) =>
      new ValidationProblemException(flattenValidationErrors(errors), validationStatus(errors)),
  });
}

/** PostgreSQL's SQLSTATE for a duplicate key (unique_violation). */
export const PG_UNIQUE_VIOLATION = '23505';

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
}

/**
 * True when `error` is PostgreSQL refusing a duplicate on `constraint` (on any unique constraint
 * when omitted): a TypeORM QueryFailedError (the pg error in `driverError`) or the pg error itself.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driverError = (error as { driverError?: unknown }).driverError;
  const fields = (
    typeof driverError === 'object' && driverError !== null ? driverError : error
  ) as PgErrorFields;
  return (
    fields.code === PG_UNIQUE_VIOLATION &&
    (constraint === undefined || fields.constraint === constraint)
  );
}

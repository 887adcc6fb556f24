import { ProblemException, checkedParam, uuidParamRule } from '@ecomlog/http';

/** A query id that must be a UUID (the same rule as the path ids); anything else is a 400. */
export function uuidParam(value: string, what: string): string {
  return checkedParam(value, uuidParamRule(what, 'invalid-id'));
}

export function notFound(what: string, id: string): ProblemException {
  return new ProblemException(
    404,
    `${what.replace(/ /g, '-')}-not-found`,
    `${what[0].toUpperCase()}${what.slice(1)} not found`,
    `No ${what} with id ${id} in your region.`,
  );
}

/**
 * Runs an UPDATE … RETURNING and gives its rows: TypeORM's PostgreSQL driver answers UPDATE and
 * DELETE with [rows, affectedCount] instead of the rows.
 */
export async function updateReturning<T>(
  tx: { query: (sql: string, parameters?: unknown[]) => Promise<unknown> },
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const result = await tx.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return result[0] as T[];
  }
  return result as T[];
}

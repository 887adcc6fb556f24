import { ProblemException } from '@ecomlog/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export function uuidParam(value: string, what: string): string {
  if (!UUID.test(value)) {
    throw new ProblemException(
      400,
      'invalid-id',
      'Invalid id',
      `"${value}" is not a ${what} id (a UUID such as 7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35).`,
    );
  }
  return value.toLowerCase();
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

import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemException } from './problem';

/** The page size of a list request that names none (PageQuery documents it as the default). */
export const DEFAULT_PAGE_LIMIT = 50;

/** Query parameters of every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor of this endpoint' })
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  keys: (keyof T)[],
): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && keys.every((k) => k in value))
      return value as T;
  } catch {
    // fall through to the problem below
  }
  throw invalidCursor();
}

/**
 * A cursor of the right shape that this endpoint did not issue: 422, since no schema can tell
 * (the shape itself is checked by PageQuery, 400).
 */
export function invalidCursor(): ProblemException {
  return new ProblemException(
    422,
    'invalid-cursor',
    'Invalid cursor',
    'The cursor is not one this endpoint issued; start again without a cursor.',
  );
}

/** Builds a page from `limit + 1` fetched rows, so the last page needs no extra count query. */
export function toPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => Record<string, string | number>,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(positionOf(items[items.length - 1])) };
}

/** A list answered whole (no cursor), in the `{ items }` envelope of every list. */
export async function itemsOf<T>(items: Promise<T[]>): Promise<{ items: T[] }> {
  return { items: await items };
}

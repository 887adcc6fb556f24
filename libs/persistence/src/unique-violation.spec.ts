import { QueryFailedError } from 'typeorm';
import { isUniqueViolation } from './unique-violation';

function pgError(code: string, constraint?: string): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint'), {
    code,
    constraint,
  });
}

describe('isUniqueViolation', () => {
  const duplicate = new QueryFailedError(
    'INSERT INTO site …',
    [],
    pgError('23505', 'site_name_unique'),
  );

  it('recognises a TypeORM QueryFailedError for a duplicate', () => {
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(isUniqueViolation(duplicate, 'site_name_unique')).toBe(true);
  });

  it('tells the constraint apart when one is named', () => {
    expect(isUniqueViolation(duplicate, 'site_code_unique')).toBe(false);
  });

  it('recognises the pg error itself (raw queries)', () => {
    expect(isUniqueViolation(pgError('23505', 'brand_name_unique'), 'brand_name_unique')).toBe(
      true,
    );
    expect(isUniqueViolation(pgError('23505', 'brand_name_unique'), 'other')).toBe(false);
  });

  it('is false for other errors', () => {
    expect(isUniqueViolation(new QueryFailedError('…', [], pgError('23503', 'fk')))).toBe(false);
    expect(isUniqueViolation(pgError('23514'))).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});

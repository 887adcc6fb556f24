import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Division history (append-only), the `amended` mark that keeps imports from overwriting an
 * official's changes, and the indexes of the descendant and name queries.
 */
export class DivisionHistory1732000300000 implements MigrationInterface {
  name = 'DivisionHistory1732000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Divisions that exist already were written through PUT, i.e. by an official.
    await queryRunner.query(
      'ALTER TABLE division ADD COLUMN amended boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query('UPDATE division SET amended = true');

    await queryRunner.query(`
      CREATE TABLE division_history (
        id bigserial PRIMARY KEY,
        code char(12) NOT NULL REFERENCES division (code),
        version int NOT NULL,
        change text NOT NULL CHECK (change IN
          ('baseline', 'imported', 'reimported', 'created', 'amended', 'renamed', 'retired', 'merged')),
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'retired')),
        replaced_by char(12),
        changed_at timestamptz NOT NULL,
        changed_by text,
        note text,
        effective_on date,
        CONSTRAINT division_history_code_version UNIQUE (code, version)
      )`);
    // The state every existing division is in when its history starts.
    await queryRunner.query(`
      INSERT INTO division_history (code, version, change, name, status, replaced_by, changed_at)
      SELECT code, version, 'baseline', name, status, replaced_by, changed_at FROM division`);
    await queryRunner.query(`
      CREATE FUNCTION division_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'division_history is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER division_history_append_only BEFORE UPDATE OR DELETE ON division_history
      FOR EACH ROW EXECUTE FUNCTION division_history_append_only()`);

    // Descendants at a level: equality on level, range on code (a code's prefix is its ancestry).
    await queryRunner.query('CREATE INDEX division_level_code ON division (level, code)');
    // Name search: trigram index for ILIKE '%fragment%' when pg_trgm can be installed; without
    // it the same query still works, scanning.
    await queryRunner.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%): division name search will scan', SQLERRM;
      END $$`);
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX division_name_trgm ON division USING gin (name gin_trgm_ops);
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS division_name_trgm');
    await queryRunner.query('DROP INDEX division_level_code');
    await queryRunner.query('DROP TABLE division_history');
    await queryRunner.query('DROP FUNCTION division_history_append_only()');
    await queryRunner.query('ALTER TABLE division DROP COLUMN amended');
  }
}

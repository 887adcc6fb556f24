import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log of every service database; UPDATE and DELETE are refused by a trigger. */
export class AuditLog1732000000500 implements MigrationInterface {
  name = 'AuditLog1732000000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_subject text NOT NULL,
        actor_kind text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        before jsonb,
        after jsonb,
        correlation_id text
      )`);
    await queryRunner.query(
      'CREATE INDEX audit_entry_entity ON audit_entry (entity_type, entity_id, id)',
    );
    await queryRunner.query('CREATE INDEX audit_entry_actor ON audit_entry (actor_subject, id)');
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_entry');
    await queryRunner.query('DROP FUNCTION audit_entry_append_only()');
  }
}

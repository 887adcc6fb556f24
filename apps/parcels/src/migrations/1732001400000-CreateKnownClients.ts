import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry's machine clients and whether they are active (registry.clients.v1). */
export class CreateKnownClients1732001400000 implements MigrationInterface {
  name = 'CreateKnownClients1732001400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_client (
        client_id text PRIMARY KEY,
        kind text NOT NULL,
        active boolean NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE known_client');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateKnownDivision1732000200000 implements MigrationInterface {
  name = 'CreateKnownDivision1732000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_division (
        code char(12) PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL,
        parent_code char(12),
        administrative_village boolean NOT NULL,
        status text NOT NULL,
        replaced_by char(12),
        version int NOT NULL,
        events_seen int NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX known_division_parent ON known_division (parent_code)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE known_division');
  }
}

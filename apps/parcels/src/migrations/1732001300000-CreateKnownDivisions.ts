import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * known_division: the divisions read model (latest DivisionChanged per code, from
 * registry.divisions.v1), so the order door can refuse division codes the registry does not know.
 */
export class CreateKnownDivisions1732001300000 implements MigrationInterface {
  name = 'CreateKnownDivisions1732001300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_division (
        code char(12) PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL,
        parent_code char(12),
        status text NOT NULL,
        replaced_by char(12),
        -- registry's version: older events never overwrite newer state
        version int NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE known_division');
  }
}

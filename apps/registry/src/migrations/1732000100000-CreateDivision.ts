import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDivision1732000100000 implements MigrationInterface {
  name = 'CreateDivision1732000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE division (
        code char(12) PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('province', 'city', 'county', 'town', 'village')),
        parent_code char(12) REFERENCES division (code),
        administrative_village boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        replaced_by char(12) REFERENCES division (code),
        version int NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX division_parent ON division (parent_code)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE division');
  }
}

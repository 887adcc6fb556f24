import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateKnownEnterprise1732000200100 implements MigrationInterface {
  name = 'CreateKnownEnterprise1732000200100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_enterprise (
        id uuid PRIMARY KEY,
        credit_code char(18) NOT NULL,
        name text NOT NULL,
        kinds text[] NOT NULL,
        carrier_code text,
        registered_division_code char(12) NOT NULL,
        status text NOT NULL,
        version int NOT NULL,
        state jsonb NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX known_enterprise_carrier ON known_enterprise (carrier_code)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE known_enterprise');
  }
}

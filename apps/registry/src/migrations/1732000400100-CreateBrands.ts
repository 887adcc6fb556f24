import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBrands1732000400100 implements MigrationInterface {
  name = 'CreateBrands1732000400100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE brand (
        id uuid PRIMARY KEY,
        name text NOT NULL CONSTRAINT brand_name_unique UNIQUE CHECK (length(btrim(name)) > 0),
        division_code char(12) NOT NULL REFERENCES division (code),
        description text,
        version int NOT NULL CHECK (version >= 1),
        changed_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE brand_authorisation (
        brand_id uuid NOT NULL REFERENCES brand (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        authorised_on date NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (brand_id, enterprise_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX brand_authorisation_enterprise ON brand_authorisation (enterprise_id)',
    );

    await queryRunner.query(`
      CREATE TABLE brand_product (
        traceability_code text PRIMARY KEY CHECK (traceability_code ~ '^[A-Za-z0-9._-]{4,64}$'),
        brand_id uuid NOT NULL,
        enterprise_id uuid NOT NULL,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        recorded_at timestamptz NOT NULL,
        -- only an enterprise authorised to use the brand may list products under it
        CONSTRAINT brand_product_authorised FOREIGN KEY (brand_id, enterprise_id)
          REFERENCES brand_authorisation (brand_id, enterprise_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX brand_product_brand_enterprise ON brand_product (brand_id, enterprise_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE brand_product');
    await queryRunner.query('DROP TABLE brand_authorisation');
    await queryRunner.query('DROP TABLE brand');
  }
}

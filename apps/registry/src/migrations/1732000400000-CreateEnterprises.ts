import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEnterprises1732000400000 implements MigrationInterface {
  name = 'CreateEnterprises1732000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE enterprise (
        id uuid PRIMARY KEY,
        credit_code char(18) NOT NULL
          CONSTRAINT enterprise_credit_code_unique UNIQUE
          CONSTRAINT enterprise_credit_code_format
            CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        kinds text[] NOT NULL CONSTRAINT enterprise_kinds_known CHECK (
          cardinality(kinds) > 0
          AND kinds <@ ARRAY['ecommerce_retailer', 'courier', 'logistics', 'platform', 'mcn',
                             'cooperative', 'service_contractor', 'warehouse_operator',
                             'livestreamer']::text[]),
        carrier_code text CHECK (carrier_code ~ '^[A-Z][A-Z0-9]{1,9}$'),
        logistics_rating text CHECK (logistics_rating IN ('1A', '2A', '3A', '4A', '5A')),
        registered_division_code char(12) NOT NULL REFERENCES division (code),
        registered_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'suspended', 'deregistered')),
        tax_registered_locally boolean NOT NULL,
        independent_legal_entity boolean NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL,
        -- a courier carries its express-brand code, and only a courier does
        CONSTRAINT enterprise_courier_carrier_code
          CHECK (('courier' = ANY (kinds)) = (carrier_code IS NOT NULL)),
        -- an A-level rating (物流企业综合评估) only on a logistics enterprise
        CONSTRAINT enterprise_rating_needs_logistics
          CHECK (logistics_rating IS NULL OR 'logistics' = ANY (kinds))
      )`);
    await queryRunner.query(
      'CREATE INDEX enterprise_division ON enterprise (registered_division_code bpchar_pattern_ops)',
    );
    await queryRunner.query('CREATE INDEX enterprise_kinds ON enterprise USING gin (kinds)');

    await queryRunner.query(`
      CREATE TABLE enterprise_status_change (
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        effective_from date NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'suspended', 'deregistered')),
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (enterprise_id, effective_from)
      )`);

    await queryRunner.query(`
      CREATE TABLE enterprise_blacklist_period (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        starts_on date NOT NULL,
        ends_on date,
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT enterprise_blacklist_period_order CHECK (ends_on IS NULL OR ends_on > starts_on)
      )`);
    await queryRunner.query(
      'CREATE INDEX enterprise_blacklist_period_enterprise ON enterprise_blacklist_period (enterprise_id)',
    );

    await queryRunner.query(`
      CREATE TABLE enterprise_designation (
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        level text NOT NULL CHECK (level IN ('national', 'provincial', 'municipal')),
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        title text,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (enterprise_id, level, year)
      )`);
    await queryRunner.query(
      'CREATE INDEX enterprise_designation_level_year ON enterprise_designation (level, year)',
    );

    await queryRunner.query(`
      CREATE TABLE shop (
        platform text NOT NULL CHECK (platform ~ '^[a-z][a-z0-9_-]{1,31}$'),
        shop_id text NOT NULL CHECK (shop_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        registered_at timestamptz NOT NULL,
        CONSTRAINT shop_platform_shop_id PRIMARY KEY (platform, shop_id)
      )`);
    await queryRunner.query('CREATE INDEX shop_enterprise ON shop (enterprise_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE shop');
    await queryRunner.query('DROP TABLE enterprise_designation');
    await queryRunner.query('DROP TABLE enterprise_blacklist_period');
    await queryRunner.query('DROP TABLE enterprise_status_change');
    await queryRunner.query('DROP TABLE enterprise');
  }
}

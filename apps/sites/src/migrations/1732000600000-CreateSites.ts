import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSites1732000600000 implements MigrationInterface {
  name = 'CreateSites1732000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('county_service_center', 'town_service_station',
          'village_service_point', 'county_sorting_center', 'warehouse', 'pickup_point',
          'parcel_locker', 'rural_supermarket', 'ecommerce_park', 'livestream_base')),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        operator_enterprise_id uuid NOT NULL,
        carriers text[] NOT NULL DEFAULT '{}',
        services text[] NOT NULL DEFAULT '{}',
        daily_capacity int CHECK (daily_capacity >= 0),
        address text,
        latitude double precision CHECK (latitude BETWEEN 3.8 AND 53.6),
        longitude double precision CHECK (longitude BETWEEN 73.5 AND 135.1),
        cold_chain boolean NOT NULL DEFAULT false,
        cloud_warehouse boolean NOT NULL DEFAULT false,
        version int NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL,
        CONSTRAINT site_location_pair CHECK ((latitude IS NULL) = (longitude IS NULL)),
        CONSTRAINT site_flags_warehouse_only
          CHECK (kind = 'warehouse' OR (NOT cold_chain AND NOT cloud_warehouse))
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX site_name_unique ON site (division_code, kind, name)',
    );
    // Region and divisionPrefix filters are prefix matches on the division code.
    await queryRunner.query(
      'CREATE INDEX site_division_prefix ON site (division_code bpchar_pattern_ops, id)',
    );
    await queryRunner.query('CREATE INDEX site_operator ON site (operator_enterprise_id)');
    await queryRunner.query('CREATE INDEX site_carriers ON site USING gin (carriers)');
    await queryRunner.query(`
      CREATE TABLE site_status_entry (
        site_id uuid NOT NULL REFERENCES site (id),
        effective_from date NOT NULL,
        status text NOT NULL CHECK (status IN ('planned', 'under_construction', 'operating',
          'suspended', 'closed')),
        note text,
        recorded_at timestamptz NOT NULL,
        recorded_by text,
        PRIMARY KEY (site_id, effective_from)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE site_status_entry');
    await queryRunner.query('DROP TABLE site');
  }
}

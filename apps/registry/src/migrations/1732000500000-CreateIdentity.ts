import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1732000500000 implements MigrationInterface {
  name = 'CreateIdentity1732000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE signing_key (
        kid text PRIMARY KEY,
        private_key_pem text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE api_client (
        client_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('courier', 'platform')),
        enterprise_id text NOT NULL,
        carrier_code text,
        platform_code text,
        secret_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        secret_rotated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'courier') = (carrier_code IS NOT NULL)),
        CHECK ((kind = 'platform') = (platform_code IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE official_user (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0
          AND roles <@ ARRAY['admin', 'commerce', 'postal', 'auditor', 'viewer']::text[]),
        region_prefix text NOT NULL CHECK (region_prefix ~ '^[0-9]{0,12}$'),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE official_user');
    await queryRunner.query('DROP TABLE api_client');
    await queryRunner.query('DROP TABLE signing_key');
  }
}

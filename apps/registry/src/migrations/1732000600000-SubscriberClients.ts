import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicator subscribers (e.g. a provincial big-data centre) are machine clients too; they need not
 * be an enterprise of the registry, so their enterprise is optional. Clients get a version: their
 * state is published on registry.clients.v1 (ClientChanged) for the services they call.
 */
export class SubscriberClients1732000600000 implements MigrationInterface {
  name = 'SubscriberClients1732000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_client DROP CONSTRAINT api_client_kind_check`);
    await queryRunner.query(`
      ALTER TABLE api_client
        ADD CONSTRAINT api_client_kind_check CHECK (kind IN ('courier', 'platform', 'subscriber')),
        ALTER COLUMN enterprise_id DROP NOT NULL,
        ADD CONSTRAINT api_client_enterprise_check CHECK (kind = 'subscriber' OR enterprise_id IS NOT NULL),
        ADD COLUMN version integer NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM api_client WHERE kind = 'subscriber'`);
    await queryRunner.query(`
      ALTER TABLE api_client
        DROP COLUMN version,
        DROP CONSTRAINT api_client_enterprise_check,
        DROP CONSTRAINT api_client_kind_check,
        ALTER COLUMN enterprise_id SET NOT NULL,
        ADD CONSTRAINT api_client_kind_check CHECK (kind IN ('courier', 'platform'))`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and consumer offsets: every service database has both. */
export class MessagingTables1732000000000 implements MigrationInterface {
  name = 'MessagingTables1732000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_event (
        sequence bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(
      'CREATE INDEX outbox_event_unpublished ON outbox_event (sequence) WHERE published_at IS NULL',
    );
    await queryRunner.query(`
      CREATE TABLE consumer_offset (
        consumer_group text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        next_offset bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, topic, partition)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE consumer_offset');
    await queryRunner.query('DROP TABLE outbox_event');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a cell was first marked: the publisher takes the oldest marks first (no mark waits behind a
 * steady stream of new ones), and the lag report shows how stale the oldest unpublished change is.
 * mark_seq changes whenever a consumer marks the cell again, so the publisher can compute without
 * locking the marks and clear only those nobody touched meanwhile.
 */
export class DirtyCellAge1732001200000 implements MigrationInterface {
  name = 'DirtyCellAge1732001200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SEQUENCE dirty_cell_mark_seq');
    await queryRunner.query(
      `ALTER TABLE dirty_cell
         ADD COLUMN marked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         ADD COLUMN mark_seq bigint NOT NULL DEFAULT nextval('dirty_cell_mark_seq')`,
    );
    await queryRunner.query('CREATE INDEX dirty_cell_by_age ON dirty_cell (marked_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dirty_cell DROP COLUMN marked_at, DROP COLUMN mark_seq');
    await queryRunner.query('DROP SEQUENCE dirty_cell_mark_seq');
  }
}

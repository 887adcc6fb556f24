import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scan history (partitioned by Asia/Shanghai calendar month of the event time; partitions are
 * created on demand by the scan consumer) and the latest derived state of every parcel.
 */
export class CreateScansAndParcels1732000800000 implements MigrationInterface {
  name = 'CreateScansAndParcels1732000800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scan (
        carrier text NOT NULL,
        waybill_no text NOT NULL,
        scan_id text NOT NULL,
        -- normalised status, and the code the courier sent
        status text NOT NULL,
        status_code text NOT NULL,
        occurred_at timestamptz NOT NULL,
        -- the event time exactly as sent (with its offset)
        occurred_at_text text NOT NULL,
        site_id uuid,
        division_code char(12),
        origin char(12),
        destination char(12),
        weight_grams int,
        handover_to uuid,
        note text,
        source_partition int NOT NULL,
        source_offset bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (carrier, waybill_no, occurred_at, scan_id),
        CONSTRAINT scan_same_status_same_time UNIQUE (carrier, waybill_no, status, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await queryRunner.query('CREATE INDEX scan_by_scan_id ON scan (carrier, waybill_no, scan_id)');
    await queryRunner.query(`
      CREATE TABLE parcel (
        carrier text NOT NULL,
        waybill_no text NOT NULL,
        status text NOT NULL,
        status_at timestamptz NOT NULL,
        origin_division_code char(12),
        destination_division_code char(12),
        -- the full derived state (ParcelState), compared to decide whether it changed
        state jsonb NOT NULL,
        scan_count int NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (carrier, waybill_no)
      )`);
    await queryRunner.query('CREATE INDEX parcel_by_waybill ON parcel (waybill_no)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parcel');
    await queryRunner.query('DROP TABLE scan');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry read model orders are checked against (enterprises and their shops), the latest
 * revision of every order, and the waybills that link orders to parcels.
 */
export class CreateOrdersAndKnownEnterprises1732000900000 implements MigrationInterface {
  name = 'CreateOrdersAndKnownEnterprises1732000900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_enterprise (
        id uuid PRIMARY KEY,
        credit_code char(18) NOT NULL,
        name text NOT NULL,
        registered_division_code char(12) NOT NULL,
        status text NOT NULL,
        -- registry's version: older events never overwrite newer state
        version int NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX known_enterprise_by_credit_code ON known_enterprise (credit_code)',
    );
    await queryRunner.query(`
      CREATE TABLE known_shop (
        platform text NOT NULL,
        shop_id text NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES known_enterprise (id) ON DELETE CASCADE,
        name text NOT NULL,
        -- the owning enterprise's registered division
        division_code char(12) NOT NULL,
        PRIMARY KEY (platform, shop_id)
      )`);
    await queryRunner.query('CREATE INDEX known_shop_by_enterprise ON known_shop (enterprise_id)');
    await queryRunner.query(`
      CREATE TABLE sales_order (
        platform text NOT NULL,
        order_no text NOT NULL,
        revision int NOT NULL,
        shop_id text,
        seller_credit_code char(18),
        enterprise_id uuid,
        seller_division_code char(12) NOT NULL,
        buyer_division_code char(12),
        status text NOT NULL,
        placed_at timestamptz NOT NULL,
        paid_at timestamptz,
        refunded_at timestamptz,
        amount_fen bigint NOT NULL,
        agricultural_amount_fen bigint NOT NULL,
        refunded_amount_fen bigint NOT NULL,
        -- the revision exactly as posted (times with their offsets), to compare the next one with
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, order_no)
      )`);
    await queryRunner.query(
      'CREATE INDEX sales_order_by_seller_division ON sales_order (seller_division_code)',
    );
    await queryRunner.query(`
      CREATE TABLE order_waybill (
        platform text NOT NULL,
        order_no text NOT NULL,
        carrier text NOT NULL,
        waybill_no text NOT NULL,
        PRIMARY KEY (platform, order_no, carrier, waybill_no),
        FOREIGN KEY (platform, order_no) REFERENCES sales_order (platform, order_no) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      'CREATE INDEX order_waybill_by_parcel ON order_waybill (carrier, waybill_no)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE order_waybill');
    await queryRunner.query('DROP TABLE sales_order');
    await queryRunner.query('DROP TABLE known_shop');
    await queryRunner.query('DROP TABLE known_enterprise');
  }
}

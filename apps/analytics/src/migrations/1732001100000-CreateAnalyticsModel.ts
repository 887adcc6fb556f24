import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analytics model. Reference data (divisions, enterprises, sites, trainings, funds movements)
 * is kept as read models and evaluated at query time; high-volume facts (orders, parcels) are
 * summed into day × finest-division aggregates by SQL increments in the same transaction as the
 * consumed offsets. Division codes are `text COLLATE "C"` so `LIKE 'prefix%'` can use the btree
 * indexes: every roll-up is a code-prefix match.
 */
export class CreateAnalyticsModel1732001100000 implements MigrationInterface {
  name = 'CreateAnalyticsModel1732001100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE target, published_cell, dirty_cell, funds_movement, training, site, enterprise,
                  division, hub_day, delivery_minutes_day, delivery_day, pickup_day, parcel,
                  seller_sales_day, sales_day, counted_order_fact`,
    );
  }
}

const UP = [
  // ---- reference data (latest version per aggregate wins)
  `CREATE TABLE division (
     code text COLLATE "C" PRIMARY KEY,
     name text NOT NULL,
     level text NOT NULL,
     parent_code text COLLATE "C",
     administrative_village boolean NOT NULL,
     status text NOT NULL,
     version int NOT NULL
   )`,
  'CREATE INDEX division_by_parent ON division (parent_code)',
  `CREATE TABLE enterprise (
     id uuid PRIMARY KEY,
     kinds text[] NOT NULL,
     registered_division_code text COLLATE "C" NOT NULL,
     registered_on date NOT NULL,
     -- [{status, effectiveFrom}], oldest first
     status_history jsonb NOT NULL,
     version int NOT NULL
   )`,
  'CREATE INDEX enterprise_by_division ON enterprise (registered_division_code)',
  `CREATE TABLE site (
     id uuid PRIMARY KEY,
     kind text NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     operator_enterprise_id uuid NOT NULL,
     carriers text[] NOT NULL,
     -- [{status, effectiveFrom, note}], oldest first
     status_history jsonb NOT NULL,
     version int NOT NULL
   )`,
  'CREATE INDEX site_by_division ON site (division_code)',
  `CREATE TABLE training (
     id uuid PRIMARY KEY,
     site_id uuid NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     held_on date NOT NULL,
     attendees int NOT NULL
   )`,
  'CREATE INDEX training_by_day ON training (held_on, division_code)',
  // One row per (journal entry, source share): Σ over rows = Σ of entries.
  `CREATE TABLE funds_movement (
     entry_id uuid NOT NULL,
     source_id uuid NOT NULL,
     kind text NOT NULL,
     program_id uuid NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     amount_fen bigint NOT NULL,
     PRIMARY KEY (entry_id, source_id)
   )`,
  'CREATE INDEX funds_movement_by_division ON funds_movement (division_code, day)',

  // ---- retail sales (parcels.orders.v1)
  // Facts counted so far: the outbox may publish a fact twice, a fact id is counted once.
  'CREATE TABLE counted_order_fact (fact_id text PRIMARY KEY)',
  `CREATE TABLE sales_day (
     division_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     platform text NOT NULL,
     paid_fen bigint NOT NULL DEFAULT 0,
     refunded_fen bigint NOT NULL DEFAULT 0,
     agricultural_paid_fen bigint NOT NULL DEFAULT 0,
     agricultural_refunded_fen bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (division_code, day, platform)
   )`,
  'CREATE INDEX sales_day_by_day ON sales_day (day)',
  // Net sales per seller (enterprise id, else the shop or credit code) for 头部企业 thresholds.
  `CREATE TABLE seller_sales_day (
     -- enterprise:<uuid> when the registry knows the seller, else shop:<platform>:<id> / credit:<code>
     seller text NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     net_fen bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (seller, division_code, day)
   )`,
  'CREATE INDEX seller_sales_day_by_division ON seller_sales_day (division_code, day)',

  // ---- parcels (parcels.lifecycle.v1)
  // What each parcel currently contributes to the aggregates, so a later state (a corrected
  // pickup time, a destination learnt late) moves its contribution instead of adding a second one.
  `CREATE TABLE parcel (
     carrier text NOT NULL,
     waybill_no text NOT NULL,
     version int NOT NULL,
     picked_up_day date,
     origin_code text COLLATE "C",
     destination_code text COLLATE "C",
     delivered_day date,
     delivery_minutes int,
     jointly_distributed boolean NOT NULL,
     -- distinct "siteId|YYYY-MM-DD" of at_hub states seen
     hub_visits text[] NOT NULL DEFAULT '{}',
     PRIMARY KEY (carrier, waybill_no)
   )`,
  // destination_code '' = not known (yet): counted in volume, in no direction but 'unknown'.
  `CREATE TABLE pickup_day (
     origin_code text COLLATE "C" NOT NULL,
     destination_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     carrier text NOT NULL,
     parcels bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (origin_code, day, carrier, destination_code)
   )`,
  'CREATE INDEX pickup_day_by_destination ON pickup_day (destination_code, day)',
  `CREATE TABLE delivery_day (
     destination_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     carrier text NOT NULL,
     parcels bigint NOT NULL DEFAULT 0,
     joint_parcels bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (destination_code, day, carrier)
   )`,
  // Histogram of pickup→delivery durations in whole minutes: exact percentiles by any prefix.
  `CREATE TABLE delivery_minutes_day (
     destination_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     minutes int NOT NULL,
     parcels bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (destination_code, day, minutes)
   )`,
  `CREATE TABLE hub_day (
     site_id uuid NOT NULL,
     day date NOT NULL,
     parcels bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (site_id, day)
   )`,

  // ---- publishing analytics.indicators.v1
  // Divisions × days whose indicators of `source` may have changed since the last publication.
  `CREATE TABLE dirty_cell (
     source text NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     day date NOT NULL,
     scope text NOT NULL DEFAULT '',
     PRIMARY KEY (source, division_code, day, scope)
   )`,
  `CREATE TABLE published_cell (
     cell_key text PRIMARY KEY,
     value numeric,
     numerator numeric,
     denominator numeric,
     version int NOT NULL,
     published_at timestamptz NOT NULL DEFAULT now()
   )`,

  // ---- targets
  `CREATE TABLE target (
     indicator text NOT NULL,
     division_code text COLLATE "C" NOT NULL,
     period text NOT NULL,
     value numeric,
     base_value numeric,
     base_period text,
     annual_growth numeric,
     set_by text NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (indicator, division_code, period),
     CHECK ((value IS NOT NULL) <> (base_value IS NOT NULL))
   )`,
];

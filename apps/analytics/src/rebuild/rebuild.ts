import type { DataSource } from 'typeorm';

/** Everything derived from the topics; targets, published versions and the audit log stay. */
export const DERIVED_TABLES = [
  'division',
  'enterprise',
  'site',
  'training',
  'funds_movement',
  'counted_order_fact',
  'sales_day',
  'seller_sales_day',
  'parcel',
  'pickup_day',
  'delivery_day',
  'delivery_minutes_day',
  'hub_day',
  'dirty_cell',
] as const;

/**
 * Drops every aggregate and read model and forgets the consumed offsets of `groupPrefix`
 * analytics consumers, in one transaction: the next start replays every topic from offset 0.
 * published_cell is kept on purpose, so the replay republishes only cells whose value differs
 * and subscribers never see a version go backwards. Run it with the analytics consumers stopped.
 */
export async function resetDerivedState(
  dataSource: DataSource,
  groupPrefix: string,
): Promise<void> {
  await dataSource.transaction(async (tx) => {
    await tx.query(`TRUNCATE ${DERIVED_TABLES.join(', ')}`);
    await tx.query(`DELETE FROM consumer_offset WHERE consumer_group LIKE $1 || 'analytics.%'`, [
      groupPrefix,
    ]);
  });
}

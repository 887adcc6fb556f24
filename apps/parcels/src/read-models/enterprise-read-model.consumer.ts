import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import {
  ENTERPRISE_COLUMNS,
  defineSnapshotTable,
  pickColumns,
  type SnapshotChunk,
} from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

export const ENTERPRISE_READ_MODEL_GROUP = 'parcels.enterprise-read-model';

const KNOWN_ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'known_enterprise',
  key: ['id'],
  columns: pickColumns(ENTERPRISE_COLUMNS, [
    'id',
    'credit_code',
    'name',
    'registered_division_code',
    'status',
    'version',
  ]),
});

/**
 * Keeps known_enterprise and known_shop in step with registry.enterprises.v1, so orders can name
 * a shop without calling the registry. The latest version wins; an enterprise's shops are replaced
 * with those of its newest event (a shop that moved to another enterprise follows it).
 */
@Injectable()
export class ParcelsEnterpriseReadModelConsumer extends SnapshotReadModel(KNOWN_ENTERPRISE, {
  group: ENTERPRISE_READ_MODEL_GROUP,
  events: [EnterpriseChanged],
}) {
  /** The shops of the enterprises whose newer version was just written replace their old ones. */
  protected override async afterUpsert(
    tx: EntityManager,
    { written }: SnapshotChunk<EnterpriseChangedV1>,
  ): Promise<void> {
    if (written.length === 0) return;
    await tx.query('DELETE FROM known_shop WHERE enterprise_id = ANY($1::uuid[])', [
      written.map((e) => e.id),
    ]);
    // One row per shop; if two changed enterprises claim one shop, the newer event keeps it.
    const shops = new Map<
      string,
      { platform: string; shopId: string; name: string; owner: EnterpriseChangedV1 }
    >();
    for (const owner of [...written].sort((a, b) => a.changedAt.localeCompare(b.changedAt))) {
      for (const shop of owner.shops) {
        shops.set(`${shop.platform}\u0000${shop.shopId}`, { ...shop, owner });
      }
    }
    const list = [...shops.values()];
    if (list.length === 0) return;
    await tx.query(
      `INSERT INTO known_shop (platform, shop_id, enterprise_id, name, division_code)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::char(12)[])
       ON CONFLICT (platform, shop_id) DO UPDATE SET
         enterprise_id = EXCLUDED.enterprise_id, name = EXCLUDED.name,
         division_code = EXCLUDED.division_code`,
      [
        list.map((s) => s.platform),
        list.map((s) => s.shopId),
        list.map((s) => s.owner.id),
        list.map((s) => s.name),
        list.map((s) => s.owner.registeredDivisionCode),
      ],
    );
  }
}

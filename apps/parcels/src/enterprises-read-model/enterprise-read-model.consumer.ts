import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

export const ENTERPRISE_READ_MODEL_GROUP = 'parcels.enterprise-read-model';

/**
 * Keeps known_enterprise and known_shop in step with registry.enterprises.v1, so orders can name
 * a shop without calling the registry. The latest version wins; an enterprise's shops are replaced
 * with those of its newest event (a shop that moved to another enterprise follows it).
 */
@Injectable()
@RunsAsEventConsumer()
export class ParcelsEnterpriseReadModelConsumer implements EventConsumer<EnterpriseChangedV1> {
  readonly groupId = ENTERPRISE_READ_MODEL_GROUP;
  readonly events = [EnterpriseChanged];

  async handle(events: ConsumedEvent<EnterpriseChangedV1>[], tx: EntityManager): Promise<void> {
    // Latest version per enterprise: ON CONFLICT cannot touch one row twice in a statement.
    const latest = new Map<string, EnterpriseChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.id);
      if (!current || payload.version > current.version) latest.set(payload.id, payload);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    const changed = await tx.query<{ id: string }[]>(
      `INSERT INTO known_enterprise AS e (id, credit_code, name, registered_division_code, status, version)
       SELECT * FROM unnest($1::uuid[], $2::char(18)[], $3::text[], $4::char(12)[], $5::text[], $6::int[])
       ON CONFLICT (id) DO UPDATE SET
         credit_code = EXCLUDED.credit_code, name = EXCLUDED.name,
         registered_division_code = EXCLUDED.registered_division_code,
         status = EXCLUDED.status, version = EXCLUDED.version
       WHERE EXCLUDED.version > e.version
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.creditCode),
        rows.map((r) => r.name),
        rows.map((r) => r.registeredDivisionCode),
        rows.map((r) => r.status),
        rows.map((r) => r.version),
      ],
    );
    if (changed.length === 0) return;
    const ids = changed.map((r) => r.id);
    await tx.query('DELETE FROM known_shop WHERE enterprise_id = ANY($1::uuid[])', [ids]);
    // One row per shop; if two changed enterprises claim one shop, the newer event keeps it.
    const shops = new Map<
      string,
      { platform: string; shopId: string; name: string; owner: EnterpriseChangedV1 }
    >();
    const changedIds = new Set(ids);
    for (const owner of rows
      .filter((r) => changedIds.has(r.id))
      .sort((a, b) => a.changedAt.localeCompare(b.changedAt))) {
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

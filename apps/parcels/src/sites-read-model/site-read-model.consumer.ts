import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';
import { lockSiteLinksExclusive } from './site-links';

/**
 * Keeps known_site in step with sites.sites.v1 (highest version wins, one statement per chunk),
 * then links the scans that named one of these sites before it was known: their division is
 * taken from the site.
 */
@Injectable()
@RunsAsEventConsumer()
export class SiteReadModelConsumer implements EventConsumer<SiteChangedV1> {
  readonly groupId = 'parcels.site-read-model';
  readonly events = [SiteChanged];

  async handle(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    // Latest version per site: ON CONFLICT cannot touch one row twice in a statement.
    const latest = new Map<string, SiteChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.id);
      if (!current || payload.version > current.version) latest.set(payload.id, payload);
    }
    const rows = [...latest.values()];
    await lockSiteLinksExclusive(tx);
    await tx.query(
      `INSERT INTO known_site AS k (id, name, kind, division_code, operator_enterprise_id, carriers,
                                    status_history, version, changed_at)
       SELECT id, name, kind, division_code, operator, string_to_array(carriers, ','), history, version,
              changed_at::timestamptz
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::char(12)[], $5::uuid[], $6::text[],
                   $7::jsonb[], $8::int[], $9::text[])
         AS t(id, name, kind, division_code, operator, carriers, history, version, changed_at)
       ON CONFLICT (id) DO UPDATE SET
         name = EXCLUDED.name, kind = EXCLUDED.kind, division_code = EXCLUDED.division_code,
         operator_enterprise_id = EXCLUDED.operator_enterprise_id, carriers = EXCLUDED.carriers,
         status_history = EXCLUDED.status_history, version = EXCLUDED.version,
         changed_at = EXCLUDED.changed_at, updated_at = now()
       WHERE EXCLUDED.version > k.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.name),
        rows.map((r) => r.kind),
        rows.map((r) => r.divisionCode),
        rows.map((r) => r.operatorEnterpriseId),
        rows.map((r) => r.carriers.join(',')),
        rows.map((r) => JSON.stringify(r.statusHistory)),
        rows.map((r) => r.version),
        rows.map((r) => r.changedAt),
      ],
    );
    // Scans stored before their site was known: linked now, with the site's current division.
    await tx.query(
      `UPDATE scan s SET division_code = k.division_code
       FROM known_site k
       WHERE k.id = ANY($1::uuid[]) AND s.site_id = k.id
         AND s.site_id IS NOT NULL AND s.division_code IS NULL`,
      [rows.map((r) => r.id)],
    );
  }
}

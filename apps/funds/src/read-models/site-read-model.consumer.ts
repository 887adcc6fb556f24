import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

/**
 * known_site from sites.sites.v1 (latest version wins): kind, operator and dated status history,
 * so milestone conditions ("≥ 20 town stations of this operator operating") are decided as of a day.
 */
@Injectable()
@RunsAsEventConsumer()
export class FundsSiteReadModelConsumer implements EventConsumer<SiteChangedV1> {
  readonly groupId = 'funds.site-read-model';
  readonly events = [SiteChanged];

  async handle(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    const latest = new Map<string, SiteChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.id);
      if (!current || payload.version > current.version) latest.set(payload.id, payload);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO known_site AS k (id, kind, division_code, operator_enterprise_id, status_history, version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::char(12)[], $4::uuid[], $5::jsonb[], $6::int[])
       ON CONFLICT (id) DO UPDATE SET
         kind = EXCLUDED.kind, division_code = EXCLUDED.division_code,
         operator_enterprise_id = EXCLUDED.operator_enterprise_id,
         status_history = EXCLUDED.status_history, version = EXCLUDED.version
       WHERE EXCLUDED.version > k.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.kind),
        rows.map((r) => r.divisionCode),
        rows.map((r) => r.operatorEnterpriseId),
        rows.map((r) => JSON.stringify(r.statusHistory)),
        rows.map((r) => r.version),
      ],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
  type SnapshotChunk,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { lockSiteLinksExclusive } from './site-links';

const KNOWN_SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'known_site',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (s) => s.id },
    name: { type: 'text', from: (s) => s.name },
    kind: { type: 'text', from: (s) => s.kind },
    division_code: { type: 'char(12)', from: (s) => s.divisionCode },
    operator_enterprise_id: { type: 'uuid', from: (s) => s.operatorEnterpriseId },
    carriers: { type: 'text[]', from: (s) => s.carriers },
    status_history: { type: 'jsonb', from: (s) => s.statusHistory },
    version: { type: 'int', from: (s) => s.version },
    changed_at: { type: 'timestamptz', from: (s) => s.changedAt },
  },
  touchedOnUpdate: ['updated_at'],
});

/**
 * Keeps known_site in step with sites.sites.v1 (highest version wins, one statement per chunk),
 * then links the scans that named one of these sites before it was known: their division is
 * taken from the site.
 */
@Injectable()
export class SiteReadModelConsumer extends SnapshotReadModelConsumer<SiteChangedV1> {
  protected readonly snapshots = KNOWN_SITE;

  @ConsumesEvents({ group: 'parcels.site-read-model', events: [SiteChanged] })
  onSiteChanged(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }

  protected override async beforeUpsert(tx: EntityManager): Promise<void> {
    await lockSiteLinksExclusive(tx);
  }

  /** Scans stored before their site was known: linked now, with the site's current division. */
  protected override async afterUpsert(
    tx: EntityManager,
    { latest }: SnapshotChunk<SiteChangedV1>,
  ): Promise<void> {
    await tx.query(
      `UPDATE scan s SET division_code = k.division_code
       FROM known_site k
       WHERE k.id = ANY($1::uuid[]) AND s.site_id = k.id
         AND s.site_id IS NOT NULL AND s.division_code IS NULL`,
      [latest.map((r) => r.id)],
    );
  }
}

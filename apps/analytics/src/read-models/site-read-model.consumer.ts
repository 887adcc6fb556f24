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
import { shanghaiDay } from '../calendar/period';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

const SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'site',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (s) => s.id },
    kind: { type: 'text', from: (s) => s.kind },
    division_code: { type: 'text', from: (s) => s.divisionCode },
    operator_enterprise_id: { type: 'uuid', from: (s) => s.operatorEnterpriseId },
    carriers: { type: 'text[]', from: (s) => s.carriers },
    status_history: { type: 'jsonb', from: (s) => s.statusHistory },
    version: { type: 'int', from: (s) => s.version },
  },
});

/** sites.sites.v1 → site (coverage at any period end, hub divisions). */
@Injectable()
export class SitesConsumer extends SnapshotReadModelConsumer<SiteChangedV1> {
  protected readonly snapshots = SITE;

  // Low volume: one partition at a time leaves the pool to the fact consumers.
  @ConsumesEvents({
    group: 'analytics.sites',
    events: [SiteChanged],
    partitionsConsumedConcurrently: 1,
  })
  onSiteChanged(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }

  protected override async afterUpsert(
    tx: EntityManager,
    { latest }: SnapshotChunk<SiteChangedV1>,
  ): Promise<void> {
    const today = shanghaiDay();
    await markDirty(
      tx,
      latest.flatMap((r): DirtyMark[] => [
        { source: 'coverage', divisionCode: r.divisionCode, day: today },
        { source: 'hubs', divisionCode: r.divisionCode, day: today },
        ...r.statusHistory
          .filter((entry) => entry.effectiveFrom <= today)
          .map((entry): DirtyMark => ({
            source: 'coverage',
            divisionCode: r.divisionCode,
            day: entry.effectiveFrom,
          })),
      ]),
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';

const KNOWN_SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'known_site',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (s) => s.id },
    kind: { type: 'text', from: (s) => s.kind },
    division_code: { type: 'char(12)', from: (s) => s.divisionCode },
    operator_enterprise_id: { type: 'uuid', from: (s) => s.operatorEnterpriseId },
    status_history: { type: 'jsonb', from: (s) => s.statusHistory },
    version: { type: 'int', from: (s) => s.version },
  },
});

/**
 * known_site from sites.sites.v1 (latest version wins): kind, operator and dated status history,
 * so milestone conditions ("≥ 20 town stations of this operator operating") are decided as of a day.
 */
@Injectable()
export class FundsSiteReadModelConsumer extends SnapshotReadModelConsumer<SiteChangedV1> {
  protected readonly snapshots = KNOWN_SITE;

  @ConsumesEvents({ group: 'funds.site-read-model', events: [SiteChanged] })
  onSiteChanged(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }
}

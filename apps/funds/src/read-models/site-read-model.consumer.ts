import { Injectable } from '@nestjs/common';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import { SnapshotReadModelConsumer, defineSnapshotTable } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

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
@RunsAsEventConsumer()
export class FundsSiteReadModelConsumer extends SnapshotReadModelConsumer<SiteChangedV1> {
  readonly groupId = 'funds.site-read-model';
  readonly events = [SiteChanged];
  protected readonly snapshots = KNOWN_SITE;
}

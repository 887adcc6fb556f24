import { Injectable } from '@nestjs/common';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import { SITE_COLUMNS, defineSnapshotTable, omitColumns } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

const KNOWN_SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'known_site',
  key: ['id'],
  columns: omitColumns(SITE_COLUMNS, ['name', 'carriers', 'changed_at']),
});

/**
 * known_site from sites.sites.v1 (latest version wins): kind, operator and dated status history,
 * so milestone conditions ("≥ 20 town stations of this operator operating") are decided as of a day.
 */
@Injectable()
export class FundsSiteReadModelConsumer extends SnapshotReadModel(KNOWN_SITE, {
  group: 'funds.site-read-model',
  events: [SiteChanged],
}) {}

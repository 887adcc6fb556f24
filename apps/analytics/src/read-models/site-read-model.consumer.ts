import { Injectable } from '@nestjs/common';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import { SITE_COLUMNS, defineSnapshotTable, omitColumns } from '@ecomlog/messaging';
import type { DirtyMark } from '../publishing/dirty-cells';
import { DirtyMarkingReadModel } from './dirty-marking-read-model';

const SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'site',
  key: ['id'],
  columns: omitColumns(SITE_COLUMNS, ['name', 'changed_at'], { division_code: 'text' }),
});

/** sites.sites.v1 → site (coverage at any period end, hub divisions). */
@Injectable()
export class SitesConsumer extends DirtyMarkingReadModel(
  SITE,
  { group: 'analytics.sites', events: [SiteChanged] },
  (r, today): DirtyMark[] => [
    { source: 'coverage', divisionCode: r.divisionCode, day: today },
    { source: 'hubs', divisionCode: r.divisionCode, day: today },
    ...r.statusHistory
      .filter((entry) => entry.effectiveFrom <= today)
      .map((entry): DirtyMark => ({
        source: 'coverage',
        divisionCode: r.divisionCode,
        day: entry.effectiveFrom,
      })),
  ],
) {}

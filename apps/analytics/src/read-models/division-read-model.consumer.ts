import { Injectable } from '@nestjs/common';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import { DIVISION_COLUMNS, defineSnapshotTable, omitColumns } from '@ecomlog/messaging';
import { DirtyMarkingReadModel } from './dirty-marking-read-model';

const DIVISION = defineSnapshotTable<DivisionChangedV1>({
  table: 'division',
  key: ['code'],
  // Division codes as text COLLATE "C", as the rest of the analytics model keys them.
  columns: omitColumns(DIVISION_COLUMNS, ['replaced_by'], { code: 'text', parent_code: 'text' }),
});

/** registry.divisions.v1 → division (the denominators of coverage and the siblings of ranks). */
@Injectable()
export class DivisionsConsumer extends DirtyMarkingReadModel(
  DIVISION,
  { group: 'analytics.divisions', events: [DivisionChanged], chunkSize: 2000 },
  (r, today) => [{ source: 'coverage', divisionCode: r.code, day: today }],
) {}

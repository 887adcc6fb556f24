import { Injectable } from '@nestjs/common';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import { ENTERPRISE_COLUMNS, defineSnapshotTable, pickColumns } from '@ecomlog/messaging';
import type { DirtyMark } from '../publishing/dirty-cells';
import { DirtyMarkingReadModel } from './dirty-marking-read-model';

const ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'enterprise',
  key: ['id'],
  columns: pickColumns(
    ENTERPRISE_COLUMNS,
    ['id', 'kinds', 'registered_division_code', 'registered_on', 'status_history', 'version'],
    { registered_division_code: 'text' },
  ),
});

/** registry.enterprises.v1 → enterprise (网络零售企业数 at any period end). */
@Injectable()
export class EnterprisesConsumer extends DirtyMarkingReadModel(
  ENTERPRISE,
  { group: 'analytics.enterprises', events: [EnterpriseChanged] },
  (r, today): DirtyMark[] => [
    { source: 'enterprises', divisionCode: r.registeredDivisionCode, day: today },
    { source: 'enterprises', divisionCode: r.registeredDivisionCode, day: r.registeredOn },
    ...r.statusHistory.map((entry): DirtyMark => ({
      source: 'enterprises',
      divisionCode: r.registeredDivisionCode,
      day: entry.effectiveFrom,
    })),
  ],
) {}

import { Injectable } from '@nestjs/common';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import { ENTERPRISE_COLUMNS, defineSnapshotTable, pickColumns } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

const KNOWN_ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'known_enterprise',
  key: ['id'],
  columns: {
    ...pickColumns(ENTERPRISE_COLUMNS, [
      'id',
      'credit_code',
      'name',
      'kinds',
      'carrier_code',
      'registered_division_code',
      'status',
      'version',
    ]),
    // The whole latest event, for rules that need the dated histories.
    state: { type: 'jsonb', from: (e) => e },
  },
});

/** Keeps known_enterprise in step with registry.enterprises.v1, one statement per chunk. */
@Injectable()
export class EnterpriseReadModelConsumer extends SnapshotReadModel(KNOWN_ENTERPRISE, {
  group: 'sites.enterprise-read-model',
  events: [EnterpriseChanged],
}) {}

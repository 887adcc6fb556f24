import { Injectable } from '@nestjs/common';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import { ENTERPRISE_COLUMNS, defineSnapshotTable, omitColumns } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

const KNOWN_ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'known_enterprise',
  key: ['id'],
  columns: omitColumns(ENTERPRISE_COLUMNS, ['credit_code', 'carrier_code']),
});

/**
 * known_enterprise from registry.enterprises.v1 (latest version wins): what contracts (active
 * service_contractor) and subsidy eligibility rules (jurisdiction, local tax, legal entity, kinds,
 * dated status and blacklist periods) are checked against.
 */
@Injectable()
export class FundsEnterpriseReadModelConsumer extends SnapshotReadModel(KNOWN_ENTERPRISE, {
  group: 'funds.enterprise-read-model',
  events: [EnterpriseChanged],
}) {}

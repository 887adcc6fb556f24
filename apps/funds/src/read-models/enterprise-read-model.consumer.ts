import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';

const KNOWN_ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'known_enterprise',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (e) => e.id },
    name: { type: 'text', from: (e) => e.name },
    kinds: { type: 'text[]', from: (e) => e.kinds },
    registered_division_code: { type: 'char(12)', from: (e) => e.registeredDivisionCode },
    registered_on: { type: 'date', from: (e) => e.registeredOn },
    status: { type: 'text', from: (e) => e.status },
    status_history: { type: 'jsonb', from: (e) => e.statusHistory },
    tax_registered_locally: { type: 'boolean', from: (e) => e.taxRegisteredLocally },
    independent_legal_entity: { type: 'boolean', from: (e) => e.independentLegalEntity },
    credit_status: { type: 'text', from: (e) => e.creditStatus },
    blacklist_periods: { type: 'jsonb', from: (e) => e.blacklistPeriods },
    version: { type: 'int', from: (e) => e.version },
  },
});

/**
 * known_enterprise from registry.enterprises.v1 (latest version wins): what contracts (active
 * service_contractor) and subsidy eligibility rules (jurisdiction, local tax, legal entity, kinds,
 * dated status and blacklist periods) are checked against.
 */
@Injectable()
export class FundsEnterpriseReadModelConsumer extends SnapshotReadModelConsumer<EnterpriseChangedV1> {
  protected readonly snapshots = KNOWN_ENTERPRISE;

  @ConsumesEvents({ group: 'funds.enterprise-read-model', events: [EnterpriseChanged] })
  onEnterpriseChanged(
    events: ConsumedEvent<EnterpriseChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    return this.upsert(events, tx);
  }
}

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
    credit_code: { type: 'char(18)', from: (e) => e.creditCode },
    name: { type: 'text', from: (e) => e.name },
    kinds: { type: 'text[]', from: (e) => e.kinds },
    carrier_code: { type: 'text', from: (e) => e.carrierCode },
    registered_division_code: { type: 'char(12)', from: (e) => e.registeredDivisionCode },
    status: { type: 'text', from: (e) => e.status },
    version: { type: 'int', from: (e) => e.version },
    // The whole latest event, for rules that need the dated histories.
    state: { type: 'jsonb', from: (e) => e },
  },
});

/** Keeps known_enterprise in step with registry.enterprises.v1, one statement per chunk. */
@Injectable()
export class EnterpriseReadModelConsumer extends SnapshotReadModelConsumer<EnterpriseChangedV1> {
  protected readonly snapshots = KNOWN_ENTERPRISE;

  @ConsumesEvents({ group: 'sites.enterprise-read-model', events: [EnterpriseChanged] })
  onEnterpriseChanged(
    events: ConsumedEvent<EnterpriseChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    return this.upsert(events, tx);
  }
}

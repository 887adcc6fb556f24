import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClientChanged, type ClientChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';

const KNOWN_CLIENT = defineSnapshotTable<ClientChangedV1>({
  table: 'known_client',
  key: ['client_id'],
  columns: {
    client_id: { type: 'text', from: (c) => c.clientId },
    kind: { type: 'text', from: (c) => c.kind },
    active: { type: 'boolean', from: (c) => c.active },
    version: { type: 'int', from: (c) => c.version },
  },
  touchedOnUpdate: ['updated_at'],
});

/** Keeps known_client in step with registry.clients.v1; the latest version of a client wins. */
@Injectable()
export class ParcelsClientReadModelConsumer extends SnapshotReadModelConsumer<ClientChangedV1> {
  protected readonly snapshots = KNOWN_CLIENT;

  @ConsumesEvents({ group: 'parcels.client-read-model', events: [ClientChanged] })
  onClientChanged(events: ConsumedEvent<ClientChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }
}

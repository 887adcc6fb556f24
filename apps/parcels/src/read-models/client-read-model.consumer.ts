import { Injectable } from '@nestjs/common';
import { ClientChanged, type ClientChangedV1 } from '@ecomlog/contracts';
import { defineSnapshotTable, fieldColumns } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

const KNOWN_CLIENT = defineSnapshotTable<ClientChangedV1>({
  table: 'known_client',
  key: ['client_id'],
  columns: fieldColumns<ClientChangedV1>()({
    client_id: 'text',
    kind: 'text',
    active: 'boolean',
    version: 'int',
  }),
  touchedOnUpdate: ['updated_at'],
});

/** Keeps known_client in step with registry.clients.v1; the latest version of a client wins. */
@Injectable()
export class ParcelsClientReadModelConsumer extends SnapshotReadModel(KNOWN_CLIENT, {
  group: 'parcels.client-read-model',
  events: [ClientChanged],
}) {}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClientChanged, type ClientChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

/** Keeps known_client in step with registry.clients.v1; the latest version of a client wins. */
@Injectable()
@RunsAsEventConsumer()
export class ParcelsClientReadModelConsumer implements EventConsumer<ClientChangedV1> {
  readonly groupId = 'parcels.client-read-model';
  readonly events = [ClientChanged];

  async handle(events: ConsumedEvent<ClientChangedV1>[], tx: EntityManager): Promise<void> {
    const latest = new Map<string, ClientChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.clientId);
      if (!current || payload.version > current.version) latest.set(payload.clientId, payload);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO known_client AS c (client_id, kind, active, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::int[])
       ON CONFLICT (client_id) DO UPDATE SET
         kind = EXCLUDED.kind, active = EXCLUDED.active, version = EXCLUDED.version, updated_at = now()
       WHERE EXCLUDED.version > c.version`,
      [
        rows.map((r) => r.clientId),
        rows.map((r) => r.kind),
        rows.map((r) => r.active),
        rows.map((r) => r.version),
      ],
    );
  }
}

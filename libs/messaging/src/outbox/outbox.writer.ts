import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { describeProblems, validatePayload, type EventDefinition } from '@ecomlog/contracts';
import { currentCorrelationId } from '@ecomlog/observability';
import { encodeHeaders } from '../cloud-events.codec';

/** Wakes every relay listening on this database when the writing transaction commits. */
export const OUTBOX_CHANNEL = 'outbox_event';

export class InvalidEventError extends Error {
  constructor(type: string, detail: string) {
    super(`Refusing to publish ${type}: ${detail}`);
    this.name = 'InvalidEventError';
  }
}

export interface AppendOptions {
  /** Defaults to the correlation id of the request or event being handled. */
  correlationId?: string;
  /** Defaults to now. */
  time?: Date;
}

/**
 * The only way a service publishes: it appends events to the outbox inside the transaction that
 * changes its state, so an event exists if and only if the change was committed.
 */
export class OutboxWriter {
  constructor(private readonly source: string) {}

  async append<T extends object>(
    tx: EntityManager,
    definition: EventDefinition<T>,
    payloads: T[],
    options: AppendOptions = {},
  ): Promise<void> {
    if (payloads.length === 0) return;
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside a database transaction');
    }
    const time = (options.time ?? new Date()).toISOString();
    const correlationId = options.correlationId ?? currentCorrelationId();
    const rows = payloads.map((payload) => {
      const check = validatePayload(definition.payload, payload, 'produce');
      if (!check.ok) throw new InvalidEventError(definition.type, describeProblems(check.problems));
      const eventId = randomUUID();
      return {
        eventId,
        topic: definition.topic.name,
        messageKey: definition.key(payload),
        eventType: definition.type,
        payload: { ...payload },
        headers: encodeHeaders({
          id: eventId,
          source: this.source,
          type: definition.type,
          specversion: '1.0',
          time,
          subject: definition.subject(payload),
          correlationId,
        }),
      };
    });
    // One set-based insert per call; chunked to stay under PostgreSQL's bind-parameter limit.
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await tx.query(
        `INSERT INTO outbox_event (event_id, topic, message_key, event_type, payload, headers)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [
          chunk.map((r) => r.eventId),
          chunk.map((r) => r.topic),
          chunk.map((r) => r.messageKey),
          chunk.map((r) => r.eventType),
          chunk.map((r) => JSON.stringify(r.payload)),
          chunk.map((r) => JSON.stringify(r.headers)),
        ],
      );
    }
    await tx.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, definition.topic.name]);
  }
}

import type { EntityManager } from 'typeorm';
import type { EventDefinition } from '@ecomlog/contracts';
import type { CloudEventAttributes } from '../cloud-events.codec';

export interface ConsumedEvent<T> {
  payload: T;
  attributes: CloudEventAttributes;
  key: string | null;
  topic: string;
  partition: number;
  offset: string;
}

/** A message the handler refuses for a reason that retrying cannot fix; it goes to the DLQ. */
export interface EventRejection {
  offset: string;
  reason: string;
}

/**
 * How message values are read. `cloudevents`: CloudEvents 1.0 binary mode (`ce_*` headers, JSON
 * value) — every topic the platform produces, validated tolerantly (added fields pass).
 * `plain-json`: the value is the bare JSON payload of the consumer's one event type — external
 * topics written by other organisations' clients (e.g. couriers' scan doors), validated strictly
 * like the HTTP doors (unknown fields refused). Both dead-letter what fails.
 */
export type MessageEnvelope = 'cloudevents' | 'plain-json';

/**
 * What a service declares to consume a topic. The platform runs it in batches: every message is
 * decoded and validated first (invalid ones go to `<topic>.dlq`), then `handle` receives the valid
 * events of a chunk inside one database transaction that also stores the consumed offsets.
 */
export interface EventConsumer<T extends object = object> {
  readonly groupId: string;
  readonly events: readonly EventDefinition<T>[];
  /** Messages per transaction; one transaction per chunk keeps heartbeats flowing. */
  readonly chunkSize?: number;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Defaults to `cloudevents`. With `plain-json`, `events` holds one event type, one definition per
   * topic read: its payload class validates every value, and its type names the attributes.
   */
  readonly envelope?: MessageEnvelope;
  handle(events: ConsumedEvent<T>[], tx: EntityManager): Promise<EventRejection[] | void>;
}

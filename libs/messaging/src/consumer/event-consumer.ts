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
 * What reading an event needs of its definition: the type, the topic and the payload class. Unlike
 * `EventDefinition<T>` (whose `key` and `subject` take a `T`), it is covariant in `T`, so a list of
 * definitions of different payloads is a list of `ConsumableEvent<A | B>` without a cast.
 */
export type ConsumableEvent<T extends object> = Pick<
  EventDefinition<T>,
  'type' | 'topic' | 'payload'
>;

/** The payload type of an event definition; of a union of definitions, the union of payloads. */
export type PayloadOf<D> = D extends { readonly payload: new () => infer P } ? P : never;

/**
 * Handles the valid events of one chunk inside the transaction that also stores the chunk's next
 * offsets; what it returns are the events it refuses (they go to the DLQ, the offsets move on).
 */
export type ChunkHandler<T> = (
  events: ConsumedEvent<T>[],
  tx: EntityManager,
) => Promise<EventRejection[] | void>;

/** How a consumer group is run, besides what it reads. */
export interface ConsumerSettings {
  /** Messages per transaction (default 500); one transaction per chunk keeps heartbeats flowing. */
  readonly chunkSize?: number;
  /** Partitions handled at once (default 3). */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Defaults to `cloudevents`. With `plain-json`, `events` holds one event type, one definition per
   * topic read: its payload class validates every value, and its type names the attributes.
   */
  readonly envelope?: MessageEnvelope;
}

/**
 * One consumer group as `BatchConsumerRunner` runs it: every message of the events' topics is
 * decoded and validated first (invalid ones go to `<topic>.dlq`), then `handle` receives the valid
 * events of a chunk inside one database transaction that also stores the consumed offsets.
 *
 * Services do not write these: they decorate a handler method with `@ConsumesEvents` (platform),
 * which builds one per method.
 */
export interface BatchConsumer<T extends object = object> extends ConsumerSettings {
  /** The stored offsets belong to the group: renaming it replays its topics from the start. */
  readonly groupId: string;
  readonly events: readonly ConsumableEvent<T>[];
  readonly handle: ChunkHandler<T>;
}

/**
 * Whether a consumed event is of this definition (by its CloudEvents type), narrowing the payload
 * of a handler that reads several events: `events.filter((e) => isEventOf(e, TrainingHeld))`.
 * Sound because the event was validated against the definition of that type when decoded.
 */
export function isEventOf<P extends object>(
  event: ConsumedEvent<object>,
  definition: ConsumableEvent<P>,
): event is ConsumedEvent<P> {
  return event.attributes.type === definition.type;
}

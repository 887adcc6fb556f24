import { describeProblems, validatePayload, type EventDefinition } from '@ecomlog/contracts';
import { CORRELATION_EVENT_HEADER } from '@ecomlog/observability';
import { decodeCloudEvent, parseJson, type CloudEventAttributes } from '../cloud-events.codec';
import type { IncomingRecord } from '../kafka/kafka-gateway';
import type { ConsumedEvent, MessageEnvelope } from './event-consumer';

export type DecodedRecord<T> =
  { ok: true; event: ConsumedEvent<T> } | { ok: false; record: IncomingRecord; reason: string };

/**
 * Turns one Kafka record into a validated event, or a reason a person can act on.
 *
 * - `cloudevents` (default): a CloudEvent in binary mode whose `ce_type` is one of `definitions`.
 * - `plain-json`: the value is the JSON payload of the single definition (external producers such
 *   as couriers, who send no CloudEvents headers). Attributes are synthesised from the record:
 *   id `<topic>/<partition>/<offset>`, source `kafka:<topic>`, the definition's type, the record's
 *   timestamp as time, the key as subject, and `ce_correlationid` when a producer sent one.
 */
export function decodeRecord<T extends object>(
  record: IncomingRecord,
  definitions: readonly EventDefinition<T>[],
  envelope: MessageEnvelope = 'cloudevents',
): DecodedRecord<T> {
  let attributes: CloudEventAttributes;
  let data: unknown;
  let definition: EventDefinition<T> | undefined;
  if (envelope === 'plain-json') {
    definition = singleDefinition(definitions);
    const parsed = parseJson(record.value);
    if (!parsed.ok) return { ok: false, record, reason: parsed.reason };
    data = parsed.value;
    const millis = Number(record.timestamp);
    attributes = {
      id: `${record.topic}/${record.partition}/${record.offset}`,
      source: `kafka:${record.topic}`,
      type: definition.type,
      specversion: '1.0',
      time: Number.isFinite(millis) && millis > 0 ? new Date(millis).toISOString() : '',
      subject: record.key?.toString('utf8'),
      correlationId: record.headers[CORRELATION_EVENT_HEADER],
    };
  } else {
    const decoded = decodeCloudEvent(record.headers, record.value);
    if (!decoded.ok) return { ok: false, record, reason: decoded.reason };
    attributes = decoded.attributes;
    data = decoded.data;
    definition = definitions.find((d) => d.type === attributes.type);
    if (!definition) {
      return {
        ok: false,
        record,
        reason: `event type ${attributes.type} is not one this consumer understands (expected ${definitions.map((d) => d.type).join(', ')})`,
      };
    }
  }
  const check = validatePayload(definition.payload, data, 'consume');
  if (!check.ok) {
    return {
      ok: false,
      record,
      reason: `invalid ${definition.type}: ${describeProblems(check.problems)}`,
    };
  }
  return {
    ok: true,
    event: {
      payload: check.value,
      attributes,
      key: record.key?.toString('utf8') ?? null,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    },
  };
}

/** A plain-JSON consumer reads one kind of payload: which one would otherwise be a guess. */
export function singleDefinition<T extends object>(
  definitions: readonly EventDefinition<T>[],
): EventDefinition<T> {
  if (definitions.length !== 1) {
    throw new Error(
      `a plain-json consumer declares exactly one event definition (got ${definitions.length}: ${definitions.map((d) => d.type).join(', ')})`,
    );
  }
  return definitions[0];
}

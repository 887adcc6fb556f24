import { describeProblems, validatePayload } from '@ecomlog/contracts';
import { CORRELATION_EVENT_HEADER } from '@ecomlog/observability';
import { decodeCloudEvent, parseJson, type CloudEventAttributes } from '../cloud-events.codec';
import type { IncomingRecord } from '../kafka/kafka-gateway';
import type { ConsumableEvent, ConsumedEvent, MessageEnvelope } from './event-consumer';

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
  definitions: readonly ConsumableEvent<T>[],
  envelope: MessageEnvelope = 'cloudevents',
): DecodedRecord<T> {
  let attributes: CloudEventAttributes;
  let data: unknown;
  let definition: ConsumableEvent<T> | undefined;
  if (envelope === 'plain-json') {
    definition = plainJsonDefinitionOf(record.topic, definitions);
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
  // A plain-JSON door is other organisations' input, held to the same strict rule set as the
  // HTTP door (unknown fields refused); the platform's own CloudEvents tolerate added fields.
  const check = validatePayload(
    definition.payload,
    data,
    envelope === 'plain-json' ? 'produce' : 'consume',
  );
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

/**
 * A plain-JSON consumer reads one kind of payload (a single event type) from one or more topics,
 * one definition per topic: which definition a value is would otherwise be a guess.
 */
export function checkPlainJsonDefinitions<T extends object>(
  definitions: readonly ConsumableEvent<T>[],
): void {
  const types = new Set(definitions.map((d) => d.type));
  const topics = new Set(definitions.map((d) => d.topic.name));
  if (definitions.length === 0 || types.size !== 1 || topics.size !== definitions.length) {
    throw new Error(
      `a plain-json consumer declares one event type with one definition per topic (got ${definitions.map((d) => `${d.type} on ${d.topic.name}`).join(', ') || 'none'})`,
    );
  }
}

function plainJsonDefinitionOf<T extends object>(
  topic: string,
  definitions: readonly ConsumableEvent<T>[],
): ConsumableEvent<T> {
  checkPlainJsonDefinitions(definitions);
  return definitions.find((d) => d.topic.name === topic) ?? definitions[0];
}

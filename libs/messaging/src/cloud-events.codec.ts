import { CORRELATION_EVENT_HEADER } from '@ecomlog/observability';

/** CloudEvents 1.0 attributes as carried in Kafka binary content mode (`ce_*` headers). */
export interface CloudEventAttributes {
  id: string;
  source: string;
  type: string;
  specversion: '1.0';
  time: string;
  subject?: string;
  correlationId?: string;
}

export const CONTENT_TYPE_JSON = 'application/json';

export function encodeHeaders(attributes: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    ce_id: attributes.id,
    ce_source: attributes.source,
    ce_type: attributes.type,
    ce_specversion: attributes.specversion,
    ce_time: attributes.time,
    'content-type': CONTENT_TYPE_JSON,
  };
  if (attributes.subject) headers.ce_subject = attributes.subject;
  if (attributes.correlationId) headers[CORRELATION_EVENT_HEADER] = attributes.correlationId;
  return headers;
}

export type DecodedCloudEvent =
  { ok: true; attributes: CloudEventAttributes; data: unknown } | { ok: false; reason: string };

const REQUIRED = ['ce_id', 'ce_source', 'ce_type', 'ce_specversion'] as const;

/** Reads a binary-mode CloudEvent; every refusal says what a producer must fix. */
export function decodeCloudEvent(
  headers: Record<string, string>,
  value: Buffer | null,
): DecodedCloudEvent {
  const missing = REQUIRED.filter((name) => !headers[name]);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `not a CloudEvent in binary mode: header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`,
    };
  }
  if (headers.ce_specversion !== '1.0') {
    return {
      ok: false,
      reason: `unsupported CloudEvents specversion ${headers.ce_specversion} (expected 1.0)`,
    };
  }
  const contentType = headers['content-type'];
  if (contentType && !contentType.startsWith(CONTENT_TYPE_JSON)) {
    return {
      ok: false,
      reason: `content-type ${contentType} is not supported (expected ${CONTENT_TYPE_JSON})`,
    };
  }
  const data = parseJson(value);
  if (!data.ok) return data;
  return {
    ok: true,
    data: data.value,
    attributes: {
      id: headers.ce_id,
      source: headers.ce_source,
      type: headers.ce_type,
      specversion: '1.0',
      time: headers.ce_time ?? '',
      subject: headers.ce_subject,
      correlationId: headers[CORRELATION_EVENT_HEADER],
    },
  };
}

export function parseJson(
  value: Buffer | null,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null || value.length === 0)
    return { ok: false, reason: 'message value is empty (expected a JSON object)' };
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `message value is not valid JSON: ${(error as Error).message}` };
  }
}

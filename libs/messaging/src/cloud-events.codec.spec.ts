import { decodeCloudEvent, encodeHeaders } from './cloud-events.codec';

describe('CloudEvents binary mode codec', () => {
  const attributes = {
    id: 'e1',
    source: 'registry',
    type: 'cn.ecomlog.registry.division-changed.v1',
    specversion: '1.0' as const,
    time: '2024-08-01T01:30:00.000Z',
    subject: 'divisions/640521000000',
    correlationId: 'req-1',
  };

  it('round-trips attributes through ce_* headers', () => {
    const headers = encodeHeaders(attributes);
    expect(headers).toMatchObject({
      ce_id: 'e1',
      ce_specversion: '1.0',
      'content-type': 'application/json',
      ce_correlationid: 'req-1',
    });
    const decoded = decodeCloudEvent(headers, Buffer.from('{"a":1}'));
    expect(decoded).toEqual({ ok: true, attributes, data: { a: 1 } });
  });

  it('names the missing headers', () => {
    expect(decodeCloudEvent({ ce_id: 'x' }, Buffer.from('{}'))).toEqual({
      ok: false,
      reason: 'not a CloudEvent in binary mode: headers ce_source, ce_type, ce_specversion missing',
    });
  });

  it('refuses malformed JSON and empty values with the reason', () => {
    const headers = encodeHeaders(attributes);
    const bad = decodeCloudEvent(headers, Buffer.from('{"a":'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^message value is not valid JSON/);
    expect(decodeCloudEvent(headers, null)).toEqual({
      ok: false,
      reason: 'message value is empty (expected a JSON object)',
    });
  });

  it('refuses other spec versions and content types', () => {
    expect(
      decodeCloudEvent({ ...encodeHeaders(attributes), ce_specversion: '0.3' }, Buffer.from('{}')),
    ).toMatchObject({ ok: false });
    expect(
      decodeCloudEvent(
        { ...encodeHeaders(attributes), 'content-type': 'application/avro' },
        Buffer.from('{}'),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'content-type application/avro is not supported (expected application/json)',
    });
  });
});

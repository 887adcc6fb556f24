import { IsInt, IsString, Min } from 'class-validator';
import { testEvent } from '@ecomlog/testing';
import { encodeHeaders } from '../cloud-events.codec';
import type { IncomingRecord } from '../kafka/kafka-gateway';
import { checkPlainJsonDefinitions, decodeRecord } from './decode-record';

class PingV1 {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

const Ping = testEvent('ping', PingV1, (p) => p.name, { name: 'a', count: 1 });

const Pong = { ...Ping, type: 'cn.ecomlog.parcels.pong-test.v1' };

function record(value: string | null, headers: Record<string, string> = {}): IncomingRecord {
  return {
    topic: 'parcels.scans.v1',
    partition: 4,
    offset: '17',
    key: Buffer.from('YT7000000001'),
    value: value === null ? null : Buffer.from(value),
    headers,
    timestamp: String(Date.UTC(2024, 7, 1, 2, 0, 0)),
  };
}

describe('decodeRecord', () => {
  describe('plain-json envelope', () => {
    it('takes the JSON value as the payload of the single definition, with synthesised attributes', () => {
      const decoded = decodeRecord(
        record('{"name":"a","count":2}', { ce_correlationid: 'corr-1' }),
        [Ping],
        'plain-json',
      );
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      expect(decoded.event.payload).toBeInstanceOf(PingV1);
      expect(decoded.event.payload).toMatchObject({ name: 'a', count: 2 });
      expect(decoded.event.attributes).toEqual({
        id: 'parcels.scans.v1/4/17',
        source: 'kafka:parcels.scans.v1',
        type: Ping.type,
        specversion: '1.0',
        time: '2024-08-01T02:00:00.000Z',
        subject: 'YT7000000001',
        correlationId: 'corr-1',
      });
      expect(decoded.event).toMatchObject({ key: 'YT7000000001', partition: 4, offset: '17' });
    });

    it('needs no CloudEvents headers and ignores them when present', () => {
      const headers = encodeHeaders({
        id: 'x',
        source: 's',
        type: 'cn.ecomlog.other.thing.v1',
        specversion: '1.0',
        time: '',
      });
      const decoded = decodeRecord(record('{"name":"a","count":1}', headers), [Ping], 'plain-json');
      expect(decoded.ok && decoded.event.attributes.type).toBe(Ping.type);
    });

    it('refuses bad JSON, empty values and non-objects with a reason', () => {
      expect(decodeRecord(record('{"name":'), [Ping], 'plain-json')).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^message value is not valid JSON/) as unknown,
      });
      expect(decodeRecord(record(null), [Ping], 'plain-json')).toMatchObject({
        ok: false,
        reason: 'message value is empty (expected a JSON object)',
      });
      expect(decodeRecord(record('[1,2]'), [Ping], 'plain-json')).toMatchObject({
        ok: false,
        reason: `invalid ${Ping.type}: payload must be a JSON object`,
      });
    });

    it('validates the payload class and names the failing fields', () => {
      const decoded = decodeRecord(record('{"name":3,"count":0}'), [Ping], 'plain-json');
      expect(decoded.ok).toBe(false);
      if (decoded.ok) return;
      expect(decoded.reason).toMatch(/^invalid cn\.ecomlog\.parcels\.ping-test\.v1: /);
      expect(decoded.reason).toContain('name: name must be a string');
      expect(decoded.reason).toContain('count: count must not be less than 1');
    });

    it('refuses unknown fields, as the HTTP doors do', () => {
      const decoded = decodeRecord(
        record('{"name":"a","count":1,"extra":true}'),
        [Ping],
        'plain-json',
      );
      expect(decoded).toMatchObject({ ok: false });
      expect(!decoded.ok && decoded.reason).toContain('property extra should not exist');
    });

    it('reads one event type, one definition per topic', () => {
      const door = { ...Ping, topic: { ...Ping.topic, name: 'parcels.scans.zto.v1' } };
      const decoded = decodeRecord(
        { ...record('{"name":"a","count":1}'), topic: 'parcels.scans.zto.v1' },
        [Ping, door],
        'plain-json',
      );
      expect(decoded.ok && decoded.event.attributes.source).toBe('kafka:parcels.scans.zto.v1');
      expect(() => checkPlainJsonDefinitions([Ping, Pong])).toThrow(
        /one event type with one definition per topic/,
      );
      expect(() => checkPlainJsonDefinitions([Ping, Ping])).toThrow(/one definition per topic/);
      expect(() => decodeRecord(record('{}'), [], 'plain-json')).toThrow(/got none/);
    });
  });

  describe('cloudevents envelope (default)', () => {
    const headers = encodeHeaders({
      id: 'e1',
      source: 'parcels',
      type: Ping.type,
      specversion: '1.0',
      time: '2024-08-01T02:00:00.000Z',
    });

    it('decodes a binary-mode CloudEvent of a declared type', () => {
      const decoded = decodeRecord(record('{"name":"a","count":1}', headers), [Ping, Pong]);
      expect(decoded.ok && decoded.event.attributes).toMatchObject({ id: 'e1', type: Ping.type });
    });

    it('refuses plain JSON without CloudEvents headers', () => {
      expect(decodeRecord(record('{"name":"a","count":1}'), [Ping])).toMatchObject({
        ok: false,
        reason:
          'not a CloudEvent in binary mode: headers ce_id, ce_source, ce_type, ce_specversion missing',
      });
    });

    it('refuses types the consumer does not declare', () => {
      expect(decodeRecord(record('{"name":"a","count":1}', headers), [Pong])).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/is not one this consumer understands/) as unknown,
      });
    });
  });
});

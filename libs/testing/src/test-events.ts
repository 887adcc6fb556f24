import { TOPICS, defineEvent, type EventDefinition } from '@ecomlog/contracts';

/**
 * A made-up event `cn.ecomlog.parcels.<name>-test.v1` on parcels.scans.v1 for the unit tests of
 * the consumer plumbing (never produced): keyed by `keyOf`, its subject `<name>s/<key>`.
 */
export function testEvent<T extends object>(
  name: string,
  payload: new () => T,
  keyOf: (payload: T) => string,
  example: T,
): EventDefinition<T> {
  return defineEvent<T>({
    type: `cn.ecomlog.parcels.${name}-test.v1`,
    topic: TOPICS.parcelScans,
    payload,
    key: keyOf,
    subject: (p) => `${name}s/${keyOf(p)}`,
    summary: 'test only',
    example,
  });
}

/** Two made-up events for the unit tests of the consumer plumbing (never produced). */
export class PingV1 {
  ping!: string;
}

export class PongV1 {
  pong!: number;
}

export const Ping = testEvent('ping', PingV1, (p) => p.ping, { ping: 'a' });

export const Pong = testEvent('pong', PongV1, (p) => String(p.pong), { pong: 1 });

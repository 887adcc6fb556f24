import { TOPICS, defineEvent } from '@ecomlog/contracts';

/** Two made-up events for the unit tests of the consumer plumbing (never produced). */
export class PingV1 {
  ping!: string;
}

export class PongV1 {
  pong!: number;
}

export const Ping = defineEvent<PingV1>({
  type: 'cn.ecomlog.parcels.ping-test.v1',
  topic: TOPICS.parcelScans,
  payload: PingV1,
  key: (p) => p.ping,
  subject: (p) => `pings/${p.ping}`,
  summary: 'test only',
  example: { ping: 'a' },
});

export const Pong = defineEvent<PongV1>({
  type: 'cn.ecomlog.parcels.pong-test.v1',
  topic: TOPICS.parcelScans,
  payload: PongV1,
  key: (p) => String(p.pong),
  subject: (p) => `pongs/${p.pong}`,
  summary: 'test only',
  example: { pong: 1 },
});

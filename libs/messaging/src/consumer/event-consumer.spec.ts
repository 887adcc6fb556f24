import { TOPICS, defineEvent } from '@ecomlog/contracts';
import { isEventOf, type ConsumedEvent, type PayloadOf } from './event-consumer';

class PingV1 {
  ping!: string;
}
class PongV1 {
  pong!: number;
}

const Ping = defineEvent<PingV1>({
  type: 'cn.ecomlog.parcels.ping-test.v1',
  topic: TOPICS.parcelScans,
  payload: PingV1,
  key: (p) => p.ping,
  subject: (p) => `pings/${p.ping}`,
  summary: 'test only',
  example: { ping: 'a' },
});
const Pong = defineEvent<PongV1>({
  type: 'cn.ecomlog.parcels.pong-test.v1',
  topic: TOPICS.parcelScans,
  payload: PongV1,
  key: (p) => String(p.pong),
  subject: (p) => `pongs/${p.pong}`,
  summary: 'test only',
  example: { pong: 1 },
});

function consumed<P>(type: string, payload: P): ConsumedEvent<P> {
  return { payload, attributes: { type } } as ConsumedEvent<P>;
}

describe('isEventOf', () => {
  it('tells the events of a several-event handler apart by their CloudEvents type', () => {
    const events: ConsumedEvent<PayloadOf<typeof Ping | typeof Pong>>[] = [
      consumed(Ping.type, { ping: 'a' }),
      consumed(Pong.type, { pong: 2 }),
      consumed(Ping.type, { ping: 'b' }),
    ];
    // Narrowed without a cast: `ping` exists on PingV1 only.
    const pings = events.filter((e) => isEventOf(e, Ping)).map((e) => e.payload.ping);
    const pongs = events.filter((e) => isEventOf(e, Pong)).map((e) => e.payload.pong);
    expect(pings).toEqual(['a', 'b']);
    expect(pongs).toEqual([2]);
  });
});

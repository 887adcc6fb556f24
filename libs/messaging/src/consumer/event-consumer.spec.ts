import { Ping, Pong } from '@ecomlog/testing';
import { isEventOf, type ConsumedEvent, type PayloadOf } from './event-consumer';

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

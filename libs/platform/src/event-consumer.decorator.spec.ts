import type { EntityManager } from 'typeorm';
import type { EventDefinition } from '@ecomlog/contracts';
import { Ping, Pong, type PingV1, type PongV1 } from '@ecomlog/testing';
import { isEventOf, type ConsumedEvent, type EventRejection } from '@ecomlog/messaging';
import { ConsumesEvents, discoverEventHandlers } from './event-consumer.decorator';

const tx = {} as EntityManager;

function consumed<P>(type: string, payload: P, offset = '0'): ConsumedEvent<P> {
  return { payload, attributes: { type }, offset } as ConsumedEvent<P>;
}

class GameConsumer {
  readonly seen: string[] = [];

  @ConsumesEvents({ group: 'test.pings', events: [Ping], chunkSize: 10 })
  async onPings(events: ConsumedEvent<PingV1>[], _tx: EntityManager): Promise<void> {
    this.seen.push(...events.map((e) => e.payload.ping));
  }

  @ConsumesEvents({ group: 'test.game', events: [Ping, Pong], partitionsConsumedConcurrently: 1 })
  async onGame(events: ConsumedEvent<PingV1 | PongV1>[], _tx: EntityManager): Promise<void> {
    for (const event of events) {
      if (isEventOf(event, Ping)) this.seen.push(event.payload.ping);
      if (isEventOf(event, Pong)) this.seen.push(String(event.payload.pong));
    }
  }

  /** Not a handler. */
  async helper(): Promise<void> {
    // nothing
  }
}

/** Events decided at start-up: the topic is a setting. */
class ConfiguredConsumer {
  private readonly pings: EventDefinition<PingV1>[];

  constructor(topic: string) {
    this.pings = [{ ...Ping, topic: { ...Ping.topic, name: topic } }];
  }

  @ConsumesEvents({
    group: 'test.configured',
    events: (consumer: ConfiguredConsumer) => consumer.pings,
    envelope: 'plain-json',
  })
  async onPings(events: ConsumedEvent<PingV1>[]): Promise<EventRejection[]> {
    return events.map((e) => ({ offset: e.offset, reason: `refused ${e.payload.ping}` }));
  }
}

abstract class Base {
  readonly seen: string[] = [];

  @ConsumesEvents({ group: 'test.inherited', events: [Ping] })
  async onPings(events: ConsumedEvent<PingV1>[]): Promise<void> {
    this.seen.push(`${this.constructor.name}:${events.length}`);
  }
}
class Derived extends Base {}

describe('@ConsumesEvents and discoverEventHandlers', () => {
  it('finds every decorated method with its group, events and settings, bound to its instance', async () => {
    const game = new GameConsumer();
    const found = discoverEventHandlers([game, { unrelated: true }]);
    expect(found.map((h) => h.declaredAt)).toEqual(['GameConsumer.onPings', 'GameConsumer.onGame']);
    const [pings, both] = found.map((h) => h.consumer);
    expect(pings).toMatchObject({ groupId: 'test.pings', events: [Ping], chunkSize: 10 });
    expect(both).toMatchObject({
      groupId: 'test.game',
      events: [Ping, Pong],
      partitionsConsumedConcurrently: 1,
    });
    await pings.handle([consumed(Ping.type, { ping: 'a' })], tx);
    await both.handle([consumed(Ping.type, { ping: 'b' }), consumed(Pong.type, { pong: 3 })], tx);
    expect(game.seen).toEqual(['a', 'b', '3']);
  });

  it('takes events from the instance when they depend on configuration, and passes rejections on', async () => {
    const [{ consumer }] = discoverEventHandlers([new ConfiguredConsumer('parcels.scans.test.v1')]);
    expect(consumer.envelope).toBe('plain-json');
    expect(consumer.events.map((e) => e.topic.name)).toEqual(['parcels.scans.test.v1']);
    expect(await consumer.handle([consumed(Ping.type, { ping: 'x' }, '7')], tx)).toEqual([
      { offset: '7', reason: 'refused x' },
    ]);
  });

  it('finds inherited handlers on the subclass instance', async () => {
    const derived = new Derived();
    const [{ consumer, declaredAt }] = discoverEventHandlers([derived]);
    expect(declaredAt).toBe('Derived.onPings');
    await consumer.handle([consumed(Ping.type, { ping: 'a' })], tx);
    expect(derived.seen).toEqual(['Derived:1']);
  });

  it('refuses one group handled twice', () => {
    expect(() => discoverEventHandlers([new Derived(), new Derived()])).toThrow(
      'consumer group test.inherited is handled twice (Derived.onPings and Derived.onPings)',
    );
  });

  it('types a handler by the payloads of its events', () => {
    class Mistyped {
      // @ts-expect-error -- given Ping and Pong, the handler must accept both payloads.
      @ConsumesEvents({ group: 'test.narrow', events: [Ping, Pong] })
      async onPings(_events: ConsumedEvent<PingV1>[], _tx: EntityManager): Promise<void> {
        // never run
      }

      // @ts-expect-error -- given Ping, a handler of Pong payloads is wrong.
      @ConsumesEvents({ group: 'test.wrong', events: [Ping] })
      async onPongs(_events: ConsumedEvent<PongV1>[], _tx: EntityManager): Promise<void> {
        // never run
      }
    }
    expect(discoverEventHandlers([new Mistyped()])).toHaveLength(2);
  });
});

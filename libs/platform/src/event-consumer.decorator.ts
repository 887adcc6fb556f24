import type {
  BatchConsumer,
  ChunkHandler,
  ConsumableEvent,
  ConsumerSettings,
  PayloadOf,
} from '@ecomlog/messaging';

const EVENTS_HANDLER_METADATA = 'ecomlog:consumes-events';

/** What `@ConsumesEvents` declares: a consumer group, the events it reads, how it is run. */
export interface ConsumesEventsOptions<
  D extends readonly ConsumableEvent<object>[],
  C extends object = object,
> extends ConsumerSettings {
  /** The consumer group. Its offsets are stored with its effects: renaming it replays its topics. */
  readonly group: string;
  /**
   * The events read (their topics are subscribed to). When they depend on configuration (a topic
   * named by the environment, doors switched on or off), a function of the consumer instance,
   * called once at start-up: `events: (consumer: ScanIngestConsumer) => consumer.doors`.
   */
  readonly events: D | ((consumer: C) => D);
}

/**
 * Put on a method of a Nest provider: the platform runs it as one consumer group, in chunks of
 * valid events with the chunk's offsets stored in the same transaction as its effects, and stops
 * it gracefully on SIGTERM (the chunk in hand commits).
 *
 * The method is `(events: ConsumedEvent<P>[], tx: EntityManager) => Promise<void>` (or returns the
 * `EventRejection`s it refuses), where `P` is the union of the listed events' payloads: a handler
 * of several events takes `ConsumedEvent<A | B>[]` and tells them apart with `isEventOf`, and a
 * handler typed for fewer events than it is given does not compile. One class may hold several
 * handlers, one group each.
 */
export function ConsumesEvents<
  const D extends readonly ConsumableEvent<object>[],
  C extends object = object,
>(options: ConsumesEventsOptions<D, C>) {
  return <M extends ChunkHandler<PayloadOf<D[number]>>>(
    _consumer: C,
    _method: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    if (typeof descriptor.value !== 'function') {
      throw new Error('@ConsumesEvents() decorates a method');
    }
    Reflect.defineMetadata(EVENTS_HANDLER_METADATA, options, descriptor.value);
  };
}

/** A discovered handler: the consumer group it runs as and where it was declared (for messages). */
export interface DiscoveredHandler {
  readonly consumer: BatchConsumer;
  /** `Class.method`. */
  readonly declaredAt: string;
}

/**
 * The `@ConsumesEvents` methods of some provider instances (their own and inherited ones), each as
 * the consumer group the runner runs, bound to its instance. Two handlers of one group are refused:
 * they would share its partitions and its stored offsets.
 */
export function discoverEventHandlers(instances: Iterable<object>): DiscoveredHandler[] {
  const handlers: DiscoveredHandler[] = [];
  for (const instance of new Set(instances)) {
    for (const name of methodNames(instance)) {
      const method: unknown = Reflect.get(instance, name);
      if (typeof method !== 'function') continue;
      const options = Reflect.getMetadata(EVENTS_HANDLER_METADATA, method) as
        ConsumesEventsOptions<readonly ConsumableEvent<object>[]> | undefined;
      if (!options) continue;
      const declaredAt = `${instance.constructor.name}.${name}`;
      const taken = handlers.find((handler) => handler.consumer.groupId === options.group);
      if (taken) {
        throw new Error(
          `consumer group ${options.group} is handled twice (${taken.declaredAt} and ${declaredAt}); give each handler its own group`,
        );
      }
      const { group, events, ...settings } = options;
      const handle = method as ChunkHandler<object>;
      handlers.push({
        declaredAt,
        consumer: {
          ...settings,
          groupId: group,
          events: typeof events === 'function' ? events(instance) : events,
          handle: (chunk, tx) => handle.call(instance, chunk, tx),
        },
      });
    }
  }
  return handlers;
}

/** The method names of an instance's class and its ancestors (nearest first, each name once). */
function methodNames(instance: object): string[] {
  const names = new Set<string>();
  for (
    let prototype: object | null = Object.getPrototypeOf(instance) as object | null;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      // Accessors are skipped: reading one would run it.
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

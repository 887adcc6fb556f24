import type { EntityManager } from 'typeorm';
import {
  SnapshotReadModelConsumer,
  type ConsumableEvent,
  type ConsumedEvent,
  type SnapshotTable,
} from '@ecomlog/messaging';
import { ConsumesEvents, type ConsumesEventsOptions } from './event-consumer.decorator';

/**
 * The base of a read model whose one consumer group writes every chunk to a snapshot table: its
 * handler (`onEvents`, run as `consumes` declares) hands the chunk to `upsert`. A subclass is the
 * Nest provider and adds only what its table needs besides, through the hooks of
 * `SnapshotReadModelConsumer` (`accepts`, `beforeUpsert`, `afterUpsert`):
 *
 * ```ts
 * @Injectable()
 * export class FundsSiteReadModelConsumer extends SnapshotReadModel(KNOWN_SITE, {
 *   group: 'funds.site-read-model',
 *   events: [SiteChanged],
 * }) {}
 * ```
 *
 * Events that depend on configuration are a function of the instance, as for `@ConsumesEvents`
 * (called at start-up, after the subclass's constructor).
 */
export function SnapshotReadModel<P extends object, C extends object = object>(
  snapshots: SnapshotTable<P>,
  consumes: ConsumesEventsOptions<readonly ConsumableEvent<P>[], C>,
) {
  abstract class SnapshotReadModelOf extends SnapshotReadModelConsumer<P> {
    protected readonly snapshots = snapshots;

    @ConsumesEvents(consumes as ConsumesEventsOptions<readonly ConsumableEvent<P>[]>)
    onEvents(events: ConsumedEvent<P>[], tx: EntityManager): Promise<void> {
      return this.upsert(events, tx);
    }
  }
  return SnapshotReadModelOf;
}

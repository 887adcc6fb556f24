import type { EntityManager } from 'typeorm';
import type { EventDefinition } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '../consumer/event-consumer';
import type { SnapshotTable } from './snapshot-table';

/** What one chunk did to a snapshot table, for `afterUpsert`. */
export interface SnapshotChunk<P> {
  /** The newest payload per key in the chunk (whether or not the table already had newer). */
  readonly latest: P[];
  /** Those of `latest` that were inserted or replaced an older version. */
  readonly written: P[];
}

/**
 * A local read model of another service's (compacted) topic that keeps the latest version of each
 * thing: the chunk is folded to the newest payload per key and written with one set-based upsert
 * (see `defineSnapshotTable`), newer versions win, equal or older ones change nothing.
 *
 * A subclass stays a Nest provider marked `@RunsAsEventConsumer()` with its own `groupId` and
 * `events` (the stored offsets belong to the group) and names its table in `snapshots`. The hooks
 * cover what some read models do besides: skip payloads (`accepts`), take a lock before writing
 * (`beforeUpsert`), or write history or derived rows after it (`afterUpsert`), all in the chunk's
 * transaction.
 */
export abstract class SnapshotReadModelConsumer<P extends object> implements EventConsumer<P> {
  abstract readonly groupId: string;
  abstract readonly events: readonly EventDefinition<P>[];
  protected abstract readonly snapshots: SnapshotTable<P>;

  async handle(events: ConsumedEvent<P>[], tx: EntityManager): Promise<void> {
    const latest = this.snapshots.latest(
      events.map((event) => event.payload).filter((payload) => this.accepts(payload)),
    );
    if (latest.length === 0) return;
    await this.beforeUpsert?.(tx, latest);
    const returned = await tx.query<Record<string, unknown>[]>(
      this.snapshots.sql,
      this.snapshots.parameters(latest),
    );
    await this.afterUpsert?.(tx, { latest, written: this.snapshots.written(latest, returned) });
  }

  /** Whether a payload belongs in this read model at all; every one does unless overridden. */
  protected accepts(_payload: P): boolean {
    return true;
  }

  /** Runs before the upsert, in the chunk's transaction (e.g. a lock other writers respect). */
  protected beforeUpsert?(tx: EntityManager, latest: P[]): Promise<void>;

  /** Runs after the upsert, in the chunk's transaction (history, derived rows, dirty marks). */
  protected afterUpsert?(tx: EntityManager, chunk: SnapshotChunk<P>): Promise<void>;
}

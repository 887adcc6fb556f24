import type { EntityManager } from 'typeorm';
import type { ConsumedEvent } from '../consumer/event-consumer';
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
 * A subclass is a Nest provider that names its table in `snapshots` and hands each chunk to
 * `upsert` from its own handler method, decorated like every consumer's with its group and events
 * (the stored offsets belong to the group):
 *
 * ```ts
 * @ConsumesEvents({ group: 'funds.site-read-model', events: [SiteChanged] })
 * onSiteChanged(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
 *   return this.upsert(events, tx);
 * }
 * ```
 *
 * (`SnapshotReadModel` of @ecomlog/platform is that subclass, given the table and the group.)
 * The columns of a table of a shared topic are best picked from `ENTERPRISE_COLUMNS`,
 * `SITE_COLUMNS` or `DIVISION_COLUMNS` (`pickColumns`, `omitColumns`); `fieldColumns` derives
 * others from the payload's field names.
 *
 * The hooks cover what some read models do besides: skip payloads (`accepts`), take a lock before
 * writing (`beforeUpsert`), or write history or derived rows after it (`afterUpsert`), all in the
 * chunk's transaction.
 */
export abstract class SnapshotReadModelConsumer<P extends object> {
  protected abstract readonly snapshots: SnapshotTable<P>;

  /** Writes the chunk's newest accepted version of each thing, between the hooks. */
  protected async upsert(events: ConsumedEvent<P>[], tx: EntityManager): Promise<void> {
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

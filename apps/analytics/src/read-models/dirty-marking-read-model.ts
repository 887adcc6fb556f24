import type { EntityManager } from 'typeorm';
import type { ConsumableEvent, SnapshotChunk, SnapshotTable } from '@ecomlog/messaging';
import { SnapshotReadModel, type ConsumesEventsOptions } from '@ecomlog/platform';
import { shanghaiDay } from '@ecomlog/kernel';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

/**
 * The base of an analytics read model of reference data (divisions, enterprises, sites): a
 * snapshot table of the topic that, for every thing in a chunk, marks dirty the cells its change
 * may move (`marks`, given the thing's newest version and today's Asia/Shanghai day).
 *
 * Low volume: one partition at a time (unless `consumes` says otherwise) leaves the pool to the
 * fact consumers.
 */
export function DirtyMarkingReadModel<P extends object>(
  snapshots: SnapshotTable<P>,
  consumes: ConsumesEventsOptions<readonly ConsumableEvent<P>[]>,
  marks: (latest: P, today: string) => DirtyMark[],
) {
  abstract class DirtyMarkingReadModelOf extends SnapshotReadModel(snapshots, {
    partitionsConsumedConcurrently: 1,
    ...consumes,
  }) {
    protected override async afterUpsert(
      tx: EntityManager,
      { latest }: SnapshotChunk<P>,
    ): Promise<void> {
      const today = shanghaiDay();
      await markDirty(
        tx,
        latest.flatMap((row) => marks(row, today)),
      );
    }
  }
  return DirtyMarkingReadModelOf;
}

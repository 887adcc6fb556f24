import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
  type SnapshotChunk,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { shanghaiDay } from '../calendar/period';
import { markDirty } from '../publishing/dirty-cells';

const DIVISION = defineSnapshotTable<DivisionChangedV1>({
  table: 'division',
  key: ['code'],
  columns: {
    code: { type: 'text', from: (d) => d.code },
    name: { type: 'text', from: (d) => d.name },
    level: { type: 'text', from: (d) => d.level },
    parent_code: { type: 'text', from: (d) => d.parentCode },
    administrative_village: { type: 'boolean', from: (d) => d.administrativeVillage },
    status: { type: 'text', from: (d) => d.status },
    version: { type: 'int', from: (d) => d.version },
  },
});

/** registry.divisions.v1 → division (the denominators of coverage and the siblings of ranks). */
@Injectable()
export class DivisionsConsumer extends SnapshotReadModelConsumer<DivisionChangedV1> {
  protected readonly snapshots = DIVISION;

  // Low volume: one partition at a time leaves the pool to the fact consumers.
  @ConsumesEvents({
    group: 'analytics.divisions',
    events: [DivisionChanged],
    chunkSize: 2000,
    partitionsConsumedConcurrently: 1,
  })
  onDivisionChanged(events: ConsumedEvent<DivisionChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }

  protected override async afterUpsert(
    tx: EntityManager,
    { latest }: SnapshotChunk<DivisionChangedV1>,
  ): Promise<void> {
    const today = shanghaiDay();
    await markDirty(
      tx,
      latest.map((r) => ({ source: 'coverage', divisionCode: r.code, day: today })),
    );
  }
}

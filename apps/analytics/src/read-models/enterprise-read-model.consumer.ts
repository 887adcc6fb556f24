import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
  type SnapshotChunk,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { shanghaiDay } from '../calendar/period';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

const ENTERPRISE = defineSnapshotTable<EnterpriseChangedV1>({
  table: 'enterprise',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (e) => e.id },
    kinds: { type: 'text[]', from: (e) => e.kinds },
    registered_division_code: { type: 'text', from: (e) => e.registeredDivisionCode },
    registered_on: { type: 'date', from: (e) => e.registeredOn },
    status_history: { type: 'jsonb', from: (e) => e.statusHistory },
    version: { type: 'int', from: (e) => e.version },
  },
});

/** registry.enterprises.v1 → enterprise (网络零售企业数 at any period end). */
@Injectable()
export class EnterprisesConsumer extends SnapshotReadModelConsumer<EnterpriseChangedV1> {
  protected readonly snapshots = ENTERPRISE;

  // Low volume: one partition at a time leaves the pool to the fact consumers.
  @ConsumesEvents({
    group: 'analytics.enterprises',
    events: [EnterpriseChanged],
    partitionsConsumedConcurrently: 1,
  })
  onEnterpriseChanged(
    events: ConsumedEvent<EnterpriseChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    return this.upsert(events, tx);
  }

  protected override async afterUpsert(
    tx: EntityManager,
    { latest }: SnapshotChunk<EnterpriseChangedV1>,
  ): Promise<void> {
    const today = shanghaiDay();
    await markDirty(
      tx,
      latest.flatMap((r): DirtyMark[] => [
        { source: 'enterprises', divisionCode: r.registeredDivisionCode, day: today },
        { source: 'enterprises', divisionCode: r.registeredDivisionCode, day: r.registeredOn },
        ...r.statusHistory.map((entry): DirtyMark => ({
          source: 'enterprises',
          divisionCode: r.registeredDivisionCode,
          day: entry.effectiveFrom,
        })),
      ]),
    );
  }
}

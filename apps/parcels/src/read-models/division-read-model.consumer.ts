import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import {
  SnapshotReadModelConsumer,
  defineSnapshotTable,
  type ConsumedEvent,
} from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';

export const DIVISION_READ_MODEL_GROUP = 'parcels.division-read-model';

const KNOWN_DIVISION = defineSnapshotTable<DivisionChangedV1>({
  table: 'known_division',
  key: ['code'],
  columns: {
    code: { type: 'char(12)', from: (d) => d.code },
    name: { type: 'text', from: (d) => d.name },
    level: { type: 'text', from: (d) => d.level },
    parent_code: { type: 'char(12)', from: (d) => d.parentCode },
    status: { type: 'text', from: (d) => d.status },
    replaced_by: { type: 'char(12)', from: (d) => d.replacedBy },
    version: { type: 'int', from: (d) => d.version },
  },
});

/**
 * Keeps known_division in step with registry.divisions.v1, one statement per chunk: orders naming
 * a division code the registry does not know are refused (SPEC 10.1). The highest version wins.
 */
@Injectable()
export class ParcelsDivisionReadModelConsumer extends SnapshotReadModelConsumer<DivisionChangedV1> {
  protected readonly snapshots = KNOWN_DIVISION;

  @ConsumesEvents({ group: DIVISION_READ_MODEL_GROUP, events: [DivisionChanged], chunkSize: 2000 })
  onDivisionChanged(events: ConsumedEvent<DivisionChangedV1>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }
}

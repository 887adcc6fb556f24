import { Injectable } from '@nestjs/common';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import { SnapshotReadModelConsumer, defineSnapshotTable } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

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
@RunsAsEventConsumer()
export class ParcelsDivisionReadModelConsumer extends SnapshotReadModelConsumer<DivisionChangedV1> {
  readonly groupId = DIVISION_READ_MODEL_GROUP;
  readonly events = [DivisionChanged];
  readonly chunkSize = 2000;
  protected readonly snapshots = KNOWN_DIVISION;
}

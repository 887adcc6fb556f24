import { Injectable } from '@nestjs/common';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import { DIVISION_COLUMNS, defineSnapshotTable, omitColumns } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';

export const DIVISION_READ_MODEL_GROUP = 'parcels.division-read-model';

const KNOWN_DIVISION = defineSnapshotTable<DivisionChangedV1>({
  table: 'known_division',
  key: ['code'],
  columns: omitColumns(DIVISION_COLUMNS, ['administrative_village']),
});

/**
 * Keeps known_division in step with registry.divisions.v1, one statement per chunk: orders naming
 * a division code the registry does not know are refused (SPEC 10.1). The highest version wins.
 */
@Injectable()
export class ParcelsDivisionReadModelConsumer extends SnapshotReadModel(KNOWN_DIVISION, {
  group: DIVISION_READ_MODEL_GROUP,
  events: [DivisionChanged],
  chunkSize: 2000,
}) {}

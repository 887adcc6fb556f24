import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

export const DIVISION_READ_MODEL_GROUP = 'parcels.division-read-model';

/**
 * Keeps known_division in step with registry.divisions.v1, one statement per chunk: orders naming
 * a division code the registry does not know are refused (SPEC 10.1). The highest version wins.
 */
@Injectable()
@RunsAsEventConsumer()
export class ParcelsDivisionReadModelConsumer implements EventConsumer<DivisionChangedV1> {
  readonly groupId = DIVISION_READ_MODEL_GROUP;
  readonly events = [DivisionChanged];
  readonly chunkSize = 2000;

  async handle(events: ConsumedEvent<DivisionChangedV1>[], tx: EntityManager): Promise<void> {
    // Latest version per code: ON CONFLICT cannot touch one row twice in a statement.
    const latest = new Map<string, DivisionChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.code);
      if (!current || payload.version > current.version) latest.set(payload.code, payload);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO known_division AS d (code, name, level, parent_code, status, replaced_by, version)
       SELECT * FROM unnest($1::char(12)[], $2::text[], $3::text[], $4::char(12)[], $5::text[], $6::char(12)[], $7::int[])
       ON CONFLICT (code) DO UPDATE SET
         name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code,
         status = EXCLUDED.status, replaced_by = EXCLUDED.replaced_by, version = EXCLUDED.version
       WHERE EXCLUDED.version > d.version`,
      [
        rows.map((r) => r.code),
        rows.map((r) => r.name),
        rows.map((r) => r.level),
        rows.map((r) => r.parentCode),
        rows.map((r) => r.status),
        rows.map((r) => r.replacedBy),
        rows.map((r) => r.version),
      ],
    );
  }
}

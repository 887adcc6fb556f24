import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';

/**
 * Keeps known_division in step with registry.divisions.v1, one statement per chunk. Not a
 * SnapshotReadModelConsumer: besides the newest version it counts every event delivered
 * (events_seen, served by GET /v1/known-divisions), so an equal or older version still updates
 * the row.
 */
@Injectable()
export class DivisionReadModelConsumer {
  @ConsumesEvents({ group: 'sites.division-read-model', events: [DivisionChanged] })
  async onDivisionChanged(
    events: ConsumedEvent<DivisionChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    // Fold the chunk per code first: ON CONFLICT cannot touch the same row twice in one statement.
    const latest = new Map<string, { division: DivisionChangedV1; seen: number }>();
    for (const { payload } of events) {
      const current = latest.get(payload.code);
      latest.set(payload.code, {
        division:
          current && current.division.version > payload.version ? current.division : payload,
        seen: (current?.seen ?? 0) + 1,
      });
    }
    const rows = [...latest.values()];
    await tx.query(
      `INSERT INTO known_division AS d (code, name, level, parent_code, administrative_village, status, replaced_by, version, events_seen)
       SELECT * FROM unnest($1::char(12)[], $2::text[], $3::text[], $4::char(12)[], $5::boolean[], $6::text[], $7::char(12)[], $8::int[], $9::int[])
       ON CONFLICT (code) DO UPDATE SET
         name = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.name ELSE d.name END,
         level = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.level ELSE d.level END,
         parent_code = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.parent_code ELSE d.parent_code END,
         administrative_village = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.administrative_village ELSE d.administrative_village END,
         status = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.status ELSE d.status END,
         replaced_by = CASE WHEN EXCLUDED.version > d.version THEN EXCLUDED.replaced_by ELSE d.replaced_by END,
         version = GREATEST(d.version, EXCLUDED.version),
         events_seen = d.events_seen + EXCLUDED.events_seen`,
      [
        rows.map((r) => r.division.code),
        rows.map((r) => r.division.name),
        rows.map((r) => r.division.level),
        rows.map((r) => r.division.parentCode),
        rows.map((r) => r.division.administrativeVillage),
        rows.map((r) => r.division.status),
        rows.map((r) => r.division.replacedBy),
        rows.map((r) => r.division.version),
        rows.map((r) => r.seen),
      ],
    );
  }
}

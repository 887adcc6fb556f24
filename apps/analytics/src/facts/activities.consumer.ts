import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  SiteAssessed,
  TrainingHeld,
  type SiteAssessedV1,
  type TrainingHeldV1,
} from '@ecomlog/contracts';
import { isEventOf, type ConsumedEvent } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

/** sites.activities.v1 → training (培训人次); assessments carry no indicator yet. */
@Injectable()
export class ActivitiesConsumer {
  // Two event types on one topic; assessments are read (not dead-lettered) and skipped.
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  @ConsumesEvents({
    group: 'analytics.activities',
    events: [TrainingHeld, SiteAssessed],
    partitionsConsumedConcurrently: 1,
  })
  async onActivities(
    events: ConsumedEvent<TrainingHeldV1 | SiteAssessedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    const trainings = new Map<string, TrainingHeldV1>();
    for (const event of events) {
      if (isEventOf(event, TrainingHeld)) trainings.set(event.payload.id, event.payload);
    }
    const rows = [...trainings.values()];
    if (rows.length === 0) return;
    // A training re-published with the same id replaces the earlier record (a correction).
    const previous = await tx.query<{ division_code: string; held_on: string }[]>(
      `SELECT division_code, to_char(held_on, 'YYYY-MM-DD') AS held_on FROM training WHERE id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
    await tx.query(
      `INSERT INTO training (id, site_id, division_code, held_on, attendees)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::int[])
       ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id,
         division_code = EXCLUDED.division_code, held_on = EXCLUDED.held_on,
         attendees = EXCLUDED.attendees`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.siteId),
        rows.map((r) => r.divisionCode),
        rows.map((r) => r.heldOn),
        rows.map((r) => r.attendees),
      ],
    );
    await markDirty(tx, [
      ...rows.map((r): DirtyMark => ({
        source: 'trainings',
        divisionCode: r.divisionCode,
        day: r.heldOn,
      })),
      ...previous.map((r): DirtyMark => ({
        source: 'trainings',
        divisionCode: r.division_code,
        day: r.held_on,
      })),
    ]);
  }
}

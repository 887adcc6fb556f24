import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DivisionChanged,
  EnterpriseChanged,
  FundsJournalPosted,
  FundsStateChanged,
  SiteAssessed,
  SiteChanged,
  TrainingHeld,
  type DivisionChangedV1,
  type EnterpriseChangedV1,
  type EventDefinition,
  type FundsJournalPostedV1,
  type SiteChangedV1,
  type TrainingHeldV1,
} from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';
import { shanghaiDay } from '../calendar/period';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

/** Highest version per id: ON CONFLICT cannot touch one row twice in a statement. */
function latestBy<T extends { version: number }>(
  events: ConsumedEvent<T>[],
  id: (p: T) => string,
): T[] {
  const latest = new Map<string, T>();
  for (const { payload } of events) {
    const current = latest.get(id(payload));
    if (!current || payload.version > current.version) latest.set(id(payload), payload);
  }
  return [...latest.values()];
}

/** registry.divisions.v1 → division (the denominators of coverage and the siblings of ranks). */
@Injectable()
@RunsAsEventConsumer()
export class DivisionsConsumer implements EventConsumer<DivisionChangedV1> {
  readonly groupId = 'analytics.divisions';
  readonly events = [DivisionChanged];
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  readonly partitionsConsumedConcurrently = 1;
  readonly chunkSize = 2000;

  async handle(events: ConsumedEvent<DivisionChangedV1>[], tx: EntityManager): Promise<void> {
    const rows = latestBy(events, (d) => d.code);
    await tx.query(
      `INSERT INTO division AS d (code, name, level, parent_code, administrative_village, status, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::int[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
         parent_code = EXCLUDED.parent_code, administrative_village = EXCLUDED.administrative_village,
         status = EXCLUDED.status, version = EXCLUDED.version
       WHERE EXCLUDED.version > d.version`,
      [
        rows.map((r) => r.code),
        rows.map((r) => r.name),
        rows.map((r) => r.level),
        rows.map((r) => r.parentCode),
        rows.map((r) => r.administrativeVillage),
        rows.map((r) => r.status),
        rows.map((r) => r.version),
      ],
    );
    const today = shanghaiDay();
    await markDirty(
      tx,
      rows.map((r) => ({ source: 'coverage', divisionCode: r.code, day: today })),
    );
  }
}

/** registry.enterprises.v1 → enterprise (网络零售企业数 at any period end). */
@Injectable()
@RunsAsEventConsumer()
export class EnterprisesConsumer implements EventConsumer<EnterpriseChangedV1> {
  readonly groupId = 'analytics.enterprises';
  readonly events = [EnterpriseChanged];
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  readonly partitionsConsumedConcurrently = 1;

  async handle(events: ConsumedEvent<EnterpriseChangedV1>[], tx: EntityManager): Promise<void> {
    const rows = latestBy(events, (e) => e.id);
    await tx.query(
      `INSERT INTO enterprise AS e (id, kinds, registered_division_code, registered_on, status_history, version)
       SELECT id, string_to_array(kinds, ','), division, registered_on, history, version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::jsonb[], $6::int[])
         AS t(id, kinds, division, registered_on, history, version)
       ON CONFLICT (id) DO UPDATE SET kinds = EXCLUDED.kinds,
         registered_division_code = EXCLUDED.registered_division_code,
         registered_on = EXCLUDED.registered_on, status_history = EXCLUDED.status_history,
         version = EXCLUDED.version
       WHERE EXCLUDED.version > e.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.kinds.join(',')),
        rows.map((r) => r.registeredDivisionCode),
        rows.map((r) => r.registeredOn),
        rows.map((r) => JSON.stringify(r.statusHistory)),
        rows.map((r) => r.version),
      ],
    );
    const today = shanghaiDay();
    await markDirty(
      tx,
      rows.flatMap((r): DirtyMark[] => [
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

/** sites.sites.v1 → site (coverage at any period end, hub divisions). */
@Injectable()
@RunsAsEventConsumer()
export class SitesConsumer implements EventConsumer<SiteChangedV1> {
  readonly groupId = 'analytics.sites';
  readonly events = [SiteChanged];
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  readonly partitionsConsumedConcurrently = 1;

  async handle(events: ConsumedEvent<SiteChangedV1>[], tx: EntityManager): Promise<void> {
    const rows = latestBy(events, (s) => s.id);
    await tx.query(
      `INSERT INTO site AS s (id, kind, division_code, operator_enterprise_id, carriers, status_history, version)
       SELECT id, kind, division, operator, string_to_array(carriers, ','), history, version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::jsonb[], $7::int[])
         AS t(id, kind, division, operator, carriers, history, version)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, division_code = EXCLUDED.division_code,
         operator_enterprise_id = EXCLUDED.operator_enterprise_id, carriers = EXCLUDED.carriers,
         status_history = EXCLUDED.status_history, version = EXCLUDED.version
       WHERE EXCLUDED.version > s.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.kind),
        rows.map((r) => r.divisionCode),
        rows.map((r) => r.operatorEnterpriseId),
        rows.map((r) => r.carriers.join(',')),
        rows.map((r) => JSON.stringify(r.statusHistory)),
        rows.map((r) => r.version),
      ],
    );
    const today = shanghaiDay();
    await markDirty(
      tx,
      rows.flatMap((r): DirtyMark[] => [
        { source: 'coverage', divisionCode: r.divisionCode, day: today },
        { source: 'hubs', divisionCode: r.divisionCode, day: today },
        ...r.statusHistory
          .filter((entry) => entry.effectiveFrom <= today)
          .map((entry): DirtyMark => ({
            source: 'coverage',
            divisionCode: r.divisionCode,
            day: entry.effectiveFrom,
          })),
      ]),
    );
  }
}

/** sites.activities.v1 → training (培训人次); assessments carry no indicator yet. */
@Injectable()
@RunsAsEventConsumer()
export class ActivitiesConsumer implements EventConsumer<object> {
  readonly groupId = 'analytics.activities';
  // Two event types on one topic; the handler tells them apart by CloudEvents type.
  readonly events = [TrainingHeld, SiteAssessed] as unknown as EventDefinition<object>[];
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  readonly partitionsConsumedConcurrently = 1;

  async handle(events: ConsumedEvent<object>[], tx: EntityManager): Promise<void> {
    const trainings = new Map<string, TrainingHeldV1>();
    for (const event of events) {
      if (event.attributes.type !== TrainingHeld.type) continue;
      const training = event.payload as TrainingHeldV1;
      trainings.set(training.id, training);
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

/** funds.ledger.v1 → funds_movement (资金拨付: allocated and disbursed, by program and source). */
@Injectable()
@RunsAsEventConsumer()
export class LedgerConsumer implements EventConsumer<object> {
  readonly groupId = 'analytics.funds';
  readonly events = [FundsJournalPosted, FundsStateChanged] as unknown as EventDefinition<object>[];
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  readonly partitionsConsumedConcurrently = 1;

  async handle(events: ConsumedEvent<object>[], tx: EntityManager): Promise<void> {
    const entries = events
      .filter((e) => e.attributes.type === FundsJournalPosted.type)
      .map((e) => e.payload as FundsJournalPostedV1);
    const shares = entries.flatMap((entry) =>
      entry.sourceShares.map((share) => ({ entry, share, day: shanghaiDay(entry.postedAt) })),
    );
    if (shares.length === 0) return;
    // An entry id is posted once: a redelivered or re-published entry inserts nothing.
    const inserted = await tx.query<{ entry_id: string; source_id: string }[]>(
      `INSERT INTO funds_movement (entry_id, source_id, kind, program_id, division_code, day, amount_fen)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::date[], $7::bigint[])
       ON CONFLICT DO NOTHING
       RETURNING entry_id, source_id`,
      [
        shares.map((s) => s.entry.entryId),
        shares.map((s) => s.share.sourceId),
        shares.map((s) => s.entry.kind),
        shares.map((s) => s.entry.programId),
        shares.map((s) => s.entry.divisionCode),
        shares.map((s) => s.day),
        shares.map((s) => s.share.amountFen),
      ],
    );
    const fresh = new Set(inserted.map((r) => `${r.entry_id}|${r.source_id}`));
    await markDirty(
      tx,
      shares
        .filter((s) => fresh.has(`${s.entry.entryId}|${s.share.sourceId}`))
        .flatMap(({ entry, share, day }): DirtyMark[] => [
          { source: 'funds', divisionCode: entry.divisionCode, day },
          {
            source: 'funds',
            divisionCode: entry.divisionCode,
            day,
            scope: `program:${entry.programId}`,
          },
          {
            source: 'funds',
            divisionCode: entry.divisionCode,
            day,
            scope: `source:${share.sourceId}`,
          },
        ]),
    );
  }
}

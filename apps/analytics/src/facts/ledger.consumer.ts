import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  FundsJournalPosted,
  FundsStateChanged,
  type FundsJournalPostedV1,
  type FundsStateChangedV1,
} from '@ecomlog/contracts';
import { isEventOf, type ConsumedEvent } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { shanghaiDay } from '@ecomlog/kernel';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';

/** funds.ledger.v1 → funds_movement (资金拨付: allocated and disbursed, by program and source). */
@Injectable()
export class LedgerConsumer {
  // Both event types of the topic are read; state changes carry no movement and are skipped.
  // Low volume: one partition at a time leaves the pool to the fact consumers.
  @ConsumesEvents({
    group: 'analytics.funds',
    events: [FundsJournalPosted, FundsStateChanged],
    partitionsConsumedConcurrently: 1,
  })
  async onLedger(
    events: ConsumedEvent<FundsJournalPostedV1 | FundsStateChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    const entries = events.filter((e) => isEventOf(e, FundsJournalPosted)).map((e) => e.payload);
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

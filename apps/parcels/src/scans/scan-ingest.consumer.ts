import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ParcelStatusChanged,
  SCAN_MAX_FUTURE_MS,
  carrierOfDoor,
  type EventDefinition,
  type ParcelStatusChangedV1,
  type ScanV1,
} from '@ecomlog/contracts';
import { shanghaiMonth } from '@ecomlog/kernel';
import { OutboxWriter, type ConsumedEvent, type EventRejection } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { ParcelsEnv } from '../config';
import { dedupeKeys, parcelState, type ParcelState, type ScanFact } from '../domain/parcel-state';
import { normaliseStatus } from '../domain/status-tables';
import { siteDivisions } from '../read-models/site-links';
import { ensureScanPartitions } from './scan-partitions';
import { loadScanFacts, parcelKey } from './scan-store';
import { carrierDoorScanDefinitions, scanDefinitionOn } from './scan-topic';

interface NewScan {
  fact: ScanFact;
  scan: ScanV1;
  partition: number;
  offset: string;
}

interface StoredParcel {
  carrier: string;
  waybill_no: string;
  state: Omit<ParcelState, 'scanCount'> & { scanCount?: number };
  version: number;
}

/**
 * Both doors' scans (plain JSON from couriers' Kafka clients, and POST /v1/scans) land here. Per
 * chunk: normalise, drop duplicates, insert the new scans in one statement, recompute the touched
 * parcels from their distinct scans, upsert them, and emit ParcelStatusChanged where the state
 * changed — all in the transaction that stores the offsets.
 */
@Injectable()
export class ScanIngestConsumer {
  /** The HTTP door's topic and, when enabled, every carrier's Kafka door: one definition each. */
  private readonly doors: EventDefinition<ScanV1>[];

  constructor(
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    env: ParcelsEnv,
  ) {
    this.doors = [
      scanDefinitionOn(env.SCANS_TOPIC),
      ...(env.CARRIER_DOORS_ENABLED ? carrierDoorScanDefinitions() : []),
    ];
  }

  @ConsumesEvents({
    group: 'parcels.scan-ingest',
    events: (consumer: ScanIngestConsumer) => consumer.doors,
    envelope: 'plain-json',
    chunkSize: 2000,
    partitionsConsumedConcurrently: 3,
  })
  async onScans(events: ConsumedEvent<ScanV1>[], tx: EntityManager): Promise<EventRejection[]> {
    const rejections: EventRejection[] = [];
    const candidates: NewScan[] = [];
    for (const event of events) {
      const problem = this.problemOf(event);
      if (problem) {
        rejections.push({ offset: event.offset, reason: problem });
        continue;
      }
      const scan = event.payload;
      const normalised = normaliseStatus(scan.carrier, scan.status);
      if (!normalised.ok) {
        rejections.push({ offset: event.offset, reason: normalised.reason });
        continue;
      }
      candidates.push({
        scan,
        partition: event.partition,
        offset: event.offset,
        fact: {
          scanId: scan.scanId,
          carrier: scan.carrier,
          waybillNo: scan.waybillNo,
          status: normalised.status,
          occurredAt: scan.occurredAt,
          siteId: scan.siteId ?? null,
          divisionCode: scan.divisionCode ?? null,
          origin: scan.origin ?? null,
          destination: scan.destination ?? null,
          handoverTo: scan.handoverTo ?? null,
        },
      });
    }
    if (candidates.length === 0) return rejections;

    // A scan that gives only its site takes the site's division (see read-models/site-links). A
    // site not known yet leaves the division empty; its first SiteChanged links the scan later.
    const sites = await siteDivisions(
      tx,
      candidates.flatMap((c) => (c.fact.siteId && !c.fact.divisionCode ? [c.fact.siteId] : [])),
    );
    for (const { fact } of candidates) {
      if (fact.siteId && !fact.divisionCode) fact.divisionCode = sites.get(fact.siteId) ?? null;
    }

    // Partitions first, before this transaction touches `scan` (see ensureScanPartitions).
    await ensureScanPartitions(
      tx,
      candidates.map((c) => shanghaiMonth(c.fact.occurredAt)),
    );
    const keys = [...new Map(candidates.map((c) => [parcelKey(c.fact), c.fact])).values()];
    const stored = await loadScanFacts(tx, keys);

    // Drop duplicates of stored scans and of earlier scans in this chunk.
    const seen = new Map<string, Set<string>>();
    for (const [key, facts] of stored) seen.set(key, new Set(facts.flatMap(dedupeKeys)));
    const fresh: NewScan[] = [];
    for (const candidate of candidates) {
      const key = parcelKey(candidate.fact);
      const known = seen.get(key) ?? new Set<string>();
      seen.set(key, known);
      const own = dedupeKeys(candidate.fact);
      if (own.some((k) => known.has(k))) continue;
      own.forEach((k) => known.add(k));
      fresh.push(candidate);
    }
    if (fresh.length === 0) return rejections;
    await this.insertScans(tx, fresh);

    const touched = new Set(fresh.map((f) => parcelKey(f.fact)));
    const all = new Map<string, ScanFact[]>();
    for (const key of touched) all.set(key, [...(stored.get(key) ?? [])]);
    for (const { fact } of fresh) all.get(parcelKey(fact))?.push(fact);
    await this.updateParcels(tx, all);
    return rejections;
  }

  /**
   * What the payload class cannot check: the door (a courier writes only its own carrier's door,
   * the broker's ACLs see to that, so a scan of another carrier there is forged or misrouted),
   * the key, and the future measured against the record.
   */
  private problemOf(event: ConsumedEvent<ScanV1>): string | null {
    const scan = event.payload;
    const doorCarrier = carrierOfDoor(event.topic);
    if (doorCarrier !== undefined && scan.carrier !== doorCarrier) {
      return `other-carrier: scan ${scan.scanId} claims carrier ${scan.carrier} but came through ${doorCarrier}'s door ${event.topic}; a courier writes only the scans of its own carrier`;
    }
    if (event.key !== scan.waybillNo) {
      return `carrier ${scan.carrier}: message key "${event.key ?? ''}" must be the waybill number ${scan.waybillNo} (per-parcel order depends on it)`;
    }
    // Measured against the record's time, not the clock, so a replay decides the same way.
    const producedAt = Date.parse(event.attributes.time);
    if (
      Number.isFinite(producedAt) &&
      Date.parse(scan.occurredAt) - producedAt > SCAN_MAX_FUTURE_MS
    ) {
      return `carrier ${scan.carrier}: scan ${scan.scanId} occurredAt ${scan.occurredAt} is more than 15 minutes after it was produced (${event.attributes.time})`;
    }
    return null;
  }

  private async insertScans(tx: EntityManager, fresh: NewScan[]): Promise<void> {
    await tx.query(
      `INSERT INTO scan (carrier, waybill_no, scan_id, status, status_code, occurred_at, occurred_at_text,
                         site_id, division_code, origin, destination, weight_grams, handover_to, note,
                         source_partition, source_offset)
       SELECT c, w, i, s, sc, t::timestamptz, t, site, dc, o, d, wg, h, n, p, off
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                   $8::char(12)[], $9::char(12)[], $10::char(12)[], $11::int[], $12::uuid[], $13::text[],
                   $14::int[], $15::bigint[])
            AS u(c, w, i, s, sc, t, site, dc, o, d, wg, h, n, p, off)
       ON CONFLICT DO NOTHING`,
      [
        fresh.map((f) => f.fact.carrier),
        fresh.map((f) => f.fact.waybillNo),
        fresh.map((f) => f.fact.scanId),
        fresh.map((f) => f.fact.status),
        fresh.map((f) => f.scan.status),
        fresh.map((f) => f.fact.occurredAt),
        fresh.map((f) => f.fact.siteId),
        fresh.map((f) => f.fact.divisionCode),
        fresh.map((f) => f.fact.origin),
        fresh.map((f) => f.fact.destination),
        fresh.map((f) => f.scan.weightGrams ?? null),
        fresh.map((f) => f.fact.handoverTo),
        fresh.map((f) => f.scan.note ?? null),
        fresh.map((f) => f.partition),
        fresh.map((f) => f.offset),
      ],
    );
  }

  private async updateParcels(tx: EntityManager, all: Map<string, ScanFact[]>): Promise<void> {
    const keys = [...all.values()].map((facts) => facts[0]);
    const rows = await tx.query<StoredParcel[]>(
      `SELECT p.carrier, p.waybill_no, p.state, p.version FROM parcel p
       JOIN unnest($1::text[], $2::text[]) AS k(carrier, waybill_no) USING (carrier, waybill_no)
       FOR UPDATE OF p`,
      [keys.map((k) => k.carrier), keys.map((k) => k.waybillNo)],
    );
    const previous = new Map(rows.map((row) => [`${row.carrier}|${row.waybill_no}`, row]));
    const upserts: { fact: ScanFact; state: ParcelState; version: number }[] = [];
    const changes: ParcelStatusChangedV1[] = [];
    for (const [key, facts] of all) {
      const state = parcelState(facts);
      if (!state) continue;
      const before = previous.get(key);
      const changed = !before || !sameFacts(before.state, state);
      const version = (before?.version ?? 0) + (changed ? 1 : 0);
      upserts.push({ fact: facts[0], state, version });
      if (changed) {
        changes.push({
          carrier: facts[0].carrier,
          waybillNo: facts[0].waybillNo,
          status: state.status,
          previousStatus: before?.state.status ?? null,
          statusAt: state.statusAt,
          pickedUpAt: state.pickedUpAt,
          deliveredAt: state.deliveredAt,
          originDivisionCode: state.originDivisionCode,
          destinationDivisionCode: state.destinationDivisionCode,
          jointlyDistributed: state.jointlyDistributed,
          siteId: state.siteId,
          version,
        });
      }
    }
    await tx.query(
      `INSERT INTO parcel AS p (carrier, waybill_no, status, status_at, origin_division_code,
                                destination_division_code, state, scan_count, version)
       SELECT c, w, s, t::timestamptz, o, d, st, n, v
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::char(12)[], $6::char(12)[],
                   $7::jsonb[], $8::int[], $9::int[]) AS u(c, w, s, t, o, d, st, n, v)
       ON CONFLICT (carrier, waybill_no) DO UPDATE SET
         status = EXCLUDED.status, status_at = EXCLUDED.status_at,
         origin_division_code = EXCLUDED.origin_division_code,
         destination_division_code = EXCLUDED.destination_division_code,
         state = EXCLUDED.state, scan_count = EXCLUDED.scan_count, version = EXCLUDED.version,
         updated_at = now()`,
      [
        upserts.map((u) => u.fact.carrier),
        upserts.map((u) => u.fact.waybillNo),
        upserts.map((u) => u.state.status),
        upserts.map((u) => u.state.statusAt),
        upserts.map((u) => u.state.originDivisionCode),
        upserts.map((u) => u.state.destinationDivisionCode),
        upserts.map((u) => JSON.stringify(u.state)),
        upserts.map((u) => u.state.scanCount),
        upserts.map((u) => u.version),
      ],
    );
    await this.outbox.append(tx, ParcelStatusChanged, changes);
  }
}

/** The state without the scan count: a duplicate-free extra scan that changes nothing is quiet. */
function sameFacts(before: StoredParcel['state'], after: ParcelState): boolean {
  const strip = ({ scanCount: _count, ...facts }: { scanCount?: number }): string =>
    JSON.stringify(Object.entries(facts).sort(([a], [b]) => (a < b ? -1 : 1)));
  return strip(before) === strip(after);
}

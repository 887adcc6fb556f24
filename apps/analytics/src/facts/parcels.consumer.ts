import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ParcelStatusChanged, type ParcelStatusChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent } from '@ecomlog/messaging';
import { ConsumesEvents } from '@ecomlog/platform';
import { markDirty, type DirtyMark } from '../publishing/dirty-cells';
import { defineAggregate } from './increments';
import {
  contributionOf,
  deltaOf,
  hubVisitOf,
  type AggregateDelta,
  type ParcelContribution,
} from './parcel-contribution';

const PICKUP_DAY = defineAggregate(
  'pickup_day',
  { origin_code: 'text', day: 'date', carrier: 'text', destination_code: 'text' },
  ['parcels'],
);
const DELIVERY_DAY = defineAggregate(
  'delivery_day',
  { destination_code: 'text', day: 'date', carrier: 'text' },
  ['parcels', 'joint_parcels'],
);
const DELIVERY_MINUTES_DAY = defineAggregate(
  'delivery_minutes_day',
  { destination_code: 'text', day: 'date', minutes: 'int' },
  ['parcels'],
);
const HUB_DAY = defineAggregate('hub_day', { site_id: 'uuid', day: 'date' }, ['parcels']);

interface StoredParcel {
  carrier: string;
  waybill_no: string;
  version: number;
  picked_up_day: string | null;
  origin_code: string | null;
  destination_code: string | null;
  delivered_day: string | null;
  delivery_minutes: number | null;
  jointly_distributed: boolean;
  hub_visits: string[];
}

function storedContribution(row: StoredParcel): ParcelContribution {
  return {
    carrier: row.carrier,
    pickup:
      row.picked_up_day && row.origin_code
        ? {
            originCode: row.origin_code,
            destinationCode: row.destination_code ?? '',
            day: row.picked_up_day,
          }
        : null,
    delivery:
      row.delivered_day && row.destination_code
        ? {
            destinationCode: row.destination_code,
            day: row.delivered_day,
            jointly: row.jointly_distributed,
          }
        : null,
    deliveryMinutes: row.delivery_minutes,
  };
}

/**
 * parcels.lifecycle.v1 → 快递业务量, 派送量, 时效, 共配比例, 日分拣量. Each parcel's latest state (by
 * version) decides what it contributes; a newer state moves the contribution (−old +new), an older
 * or repeated one changes nothing. Hub visits are a set per parcel, so each counts once.
 */
@Injectable()
export class ParcelsConsumer {
  @ConsumesEvents({ group: 'analytics.parcels', events: [ParcelStatusChanged], chunkSize: 2000 })
  async onParcelStatusChanged(
    events: ConsumedEvent<ParcelStatusChangedV1>[],
    tx: EntityManager,
  ): Promise<void> {
    const latest = new Map<string, ParcelStatusChangedV1>();
    const visits = new Map<string, Set<string>>();
    for (const { payload } of events) {
      const id = `${payload.carrier}|${payload.waybillNo}`;
      const current = latest.get(id);
      if (!current || payload.version > current.version) latest.set(id, payload);
      const visit = hubVisitOf(payload);
      if (visit) visits.set(id, (visits.get(id) ?? new Set()).add(visit));
    }
    const parcels = [...latest.values()];
    const stored = await tx.query<StoredParcel[]>(
      `SELECT carrier, waybill_no, version, to_char(picked_up_day, 'YYYY-MM-DD') AS picked_up_day,
              origin_code, destination_code, to_char(delivered_day, 'YYYY-MM-DD') AS delivered_day,
              delivery_minutes, jointly_distributed, hub_visits
       FROM parcel p JOIN unnest($1::text[], $2::text[]) AS k(carrier, waybill_no)
         USING (carrier, waybill_no)
       FOR UPDATE OF p`,
      [parcels.map((p) => p.carrier), parcels.map((p) => p.waybillNo)],
    );
    const storedById = new Map(stored.map((row) => [`${row.carrier}|${row.waybill_no}`, row]));

    const delta: AggregateDelta = { pickup: [], delivery: [], minutes: [] };
    const add = (d: AggregateDelta): void => {
      delta.pickup.push(...d.pickup);
      delta.delivery.push(...d.delivery);
      delta.minutes.push(...d.minutes);
    };
    const marks: DirtyMark[] = [];
    const markContribution = (c: ParcelContribution): void => {
      if (c.pickup)
        marks.push({ source: 'parcels', divisionCode: c.pickup.originCode, day: c.pickup.day });
      if (c.delivery)
        marks.push({
          source: 'parcels',
          divisionCode: c.delivery.destinationCode,
          day: c.delivery.day,
        });
    };
    const upserts: {
      state: ParcelStatusChangedV1;
      contribution: ParcelContribution;
      visits: string[];
    }[] = [];
    const newVisits: string[] = [];

    for (const state of parcels) {
      const id = `${state.carrier}|${state.waybillNo}`;
      const row = storedById.get(id);
      const known = new Set(row?.hub_visits ?? []);
      const added = [...(visits.get(id) ?? [])].filter((visit) => !known.has(visit));
      newVisits.push(...added);
      if (row && state.version <= row.version) {
        // An older or repeated state: only its hub visit (if new) counts.
        if (added.length > 0) {
          upserts.push({
            state: stateOf(row),
            contribution: storedContribution(row),
            visits: [...known, ...added],
          });
        }
        continue;
      }
      const after = contributionOf(state);
      if (row) {
        const before = storedContribution(row);
        add(deltaOf(before, -1));
        markContribution(before);
      }
      add(deltaOf(after, 1));
      markContribution(after);
      upserts.push({
        state,
        contribution: after,
        visits: [...known, ...added],
      });
    }

    await tx.query(
      `INSERT INTO parcel AS p (carrier, waybill_no, version, picked_up_day, origin_code, destination_code,
                                delivered_day, delivery_minutes, jointly_distributed, hub_visits)
       SELECT carrier, waybill_no, version, picked_up_day, origin_code, destination_code, delivered_day,
              delivery_minutes, jointly, string_to_array(visits, ',')
       FROM unnest($1::text[], $2::text[], $3::int[], $4::date[], $5::text[], $6::text[], $7::date[],
                   $8::int[], $9::boolean[], $10::text[])
         AS t(carrier, waybill_no, version, picked_up_day, origin_code, destination_code, delivered_day,
              delivery_minutes, jointly, visits)
       ON CONFLICT (carrier, waybill_no) DO UPDATE SET version = EXCLUDED.version,
         picked_up_day = EXCLUDED.picked_up_day, origin_code = EXCLUDED.origin_code,
         destination_code = EXCLUDED.destination_code, delivered_day = EXCLUDED.delivered_day,
         delivery_minutes = EXCLUDED.delivery_minutes,
         jointly_distributed = EXCLUDED.jointly_distributed, hub_visits = EXCLUDED.hub_visits`,
      [
        upserts.map((u) => u.state.carrier),
        upserts.map((u) => u.state.waybillNo),
        upserts.map((u) => u.state.version),
        upserts.map((u) => u.contribution.pickup?.day ?? null),
        upserts.map((u) => u.state.originDivisionCode),
        upserts.map((u) => u.state.destinationDivisionCode),
        upserts.map((u) => u.contribution.delivery?.day ?? null),
        upserts.map((u) => u.contribution.deliveryMinutes),
        upserts.map((u) => u.state.jointlyDistributed),
        upserts.map((u) => u.visits.join(',')),
      ],
    );

    await PICKUP_DAY.add(tx, delta.pickup);
    await DELIVERY_DAY.add(tx, delta.delivery);
    await DELIVERY_MINUTES_DAY.add(tx, delta.minutes);
    await this.countHubVisits(tx, newVisits, marks);
    await markDirty(tx, marks);
  }

  private async countHubVisits(
    tx: EntityManager,
    visits: string[],
    marks: DirtyMark[],
  ): Promise<void> {
    if (visits.length === 0) return;
    const parsed = visits.map((visit) => {
      const [siteId, day] = visit.split('|');
      return { siteId, day };
    });
    await HUB_DAY.add(
      tx,
      parsed.map((v) => ({ key: [v.siteId, v.day], values: [1] })),
    );
    // The site's division is where the hub's count rolls up; a site not yet known is marked when it arrives.
    const sites = await tx.query<{ id: string; division_code: string }[]>(
      'SELECT id, division_code FROM site WHERE id = ANY($1::uuid[])',
      [[...new Set(parsed.map((v) => v.siteId))]],
    );
    const divisionOf = new Map(sites.map((s) => [s.id, s.division_code]));
    for (const { siteId, day } of parsed) {
      const divisionCode = divisionOf.get(siteId);
      if (divisionCode) marks.push({ source: 'hubs', divisionCode, day });
    }
  }
}

/** A stored row as a state, for rows whose only change is a new hub visit. */
function stateOf(row: StoredParcel): ParcelStatusChangedV1 {
  return {
    carrier: row.carrier,
    waybillNo: row.waybill_no,
    version: row.version,
    originDivisionCode: row.origin_code,
    destinationDivisionCode: row.destination_code,
    jointlyDistributed: row.jointly_distributed,
  } as ParcelStatusChangedV1;
}

import type { ParcelStatusChangedV1 } from '@ecomlog/contracts';
import { shanghaiDay } from '@ecomlog/kernel';

/**
 * What one parcel adds to the parcel aggregates, derived from its latest state alone. Applying
 * `-old +new` whenever the state changes keeps every aggregate equal to the sum over the parcels'
 * current states, whatever order and however often the changes arrive.
 */
export interface ParcelContribution {
  carrier: string;
  /** 快递业务量: picked up on this day at this origin (destination '' when not known). */
  pickup: { originCode: string; destinationCode: string; day: string } | null;
  /** 派送量 / 共配比例: delivered on this day at this destination. */
  delivery: { destinationCode: string; day: string; jointly: boolean } | null;
  /** 时效: whole minutes from pickup to delivery, counted at the delivery's destination and day. */
  deliveryMinutes: number | null;
}

export function contributionOf(state: ParcelStatusChangedV1): ParcelContribution {
  const pickup =
    state.pickedUpAt && state.originDivisionCode
      ? {
          originCode: state.originDivisionCode,
          destinationCode: state.destinationDivisionCode ?? '',
          day: shanghaiDay(state.pickedUpAt),
        }
      : null;
  const delivery =
    state.deliveredAt && state.destinationDivisionCode
      ? {
          destinationCode: state.destinationDivisionCode,
          day: shanghaiDay(state.deliveredAt),
          jointly: state.jointlyDistributed,
        }
      : null;
  let deliveryMinutes: number | null = null;
  if (delivery && state.pickedUpAt && state.deliveredAt) {
    const minutes = Math.round(
      (Date.parse(state.deliveredAt) - Date.parse(state.pickedUpAt)) / 60_000,
    );
    // A delivery scanned before its pickup is a courier clock error: no duration, still a delivery.
    if (minutes >= 0) deliveryMinutes = minutes;
  }
  return { carrier: state.carrier, pickup, delivery, deliveryMinutes };
}

/** The hub visit a state records: `siteId|YYYY-MM-DD` of an at_hub state at a known site. */
export function hubVisitOf(state: ParcelStatusChangedV1): string | null {
  return state.status === 'at_hub' && state.siteId
    ? `${state.siteId}|${shanghaiDay(state.statusAt)}`
    : null;
}

export interface AggregateDelta {
  pickup: { key: [string, string, string, string]; values: [number] }[];
  delivery: { key: [string, string, string]; values: [number, number] }[];
  minutes: { key: [string, string, string]; values: [number] }[];
}

/** Rows to add to pickup_day, delivery_day and delivery_minutes_day for `sign` × contribution. */
export function deltaOf(contribution: ParcelContribution, sign: 1 | -1): AggregateDelta {
  const { pickup, delivery, deliveryMinutes, carrier } = contribution;
  return {
    pickup: pickup
      ? [{ key: [pickup.originCode, pickup.day, carrier, pickup.destinationCode], values: [sign] }]
      : [],
    delivery: delivery
      ? [
          {
            key: [delivery.destinationCode, delivery.day, carrier],
            values: [sign, delivery.jointly ? sign : 0],
          },
        ]
      : [],
    minutes:
      delivery && deliveryMinutes !== null
        ? [
            {
              key: [delivery.destinationCode, delivery.day, String(deliveryMinutes)],
              values: [sign],
            },
          ]
        : [],
  };
}

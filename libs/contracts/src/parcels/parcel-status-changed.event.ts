import { IsBoolean, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { defineEvent } from '../event-definition';
import { DivisionCode, OneOf, VersionNumber } from '../field-rules';
import { TOPICS } from '../topics';
import { CarrierCode, PARCEL_STATUSES, WaybillNo, type ParcelStatus } from './scan.event';

/**
 * The derived state of a parcel after a change: its normalised status and the facts analytics
 * needs (pickup and delivery times, origin and destination, joint distribution).
 */
export class ParcelStatusChangedV1 {
  @CarrierCode()
  carrier!: string;

  @WaybillNo()
  waybillNo!: string;

  @OneOf(PARCEL_STATUSES)
  status!: ParcelStatus;

  /** null for the first state of a parcel. */
  @IsOptional()
  @OneOf(PARCEL_STATUSES)
  previousStatus!: ParcelStatus | null;

  /** Event time of the scan that set the status. */
  @IsISO8601({ strict: true })
  statusAt!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  pickedUpAt!: string | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  deliveredAt!: string | null;

  @IsOptional()
  @DivisionCode()
  originDivisionCode!: string | null;

  @IsOptional()
  @DivisionCode()
  destinationDivisionCode!: string | null;

  @IsBoolean()
  jointlyDistributed!: boolean;

  /** Site of the latest scan that named one (e.g. the sorting centre for at_hub). */
  @IsOptional()
  @IsUUID()
  siteId!: string | null;

  /** Increases by one with every change of this parcel. */
  @VersionNumber()
  version!: number;
}

export const ParcelStatusChanged = defineEvent<ParcelStatusChangedV1>({
  type: 'cn.ecomlog.parcels.status-changed.v1',
  topic: TOPICS.parcelLifecycle,
  payload: ParcelStatusChangedV1,
  key: (parcel) => parcel.waybillNo,
  subject: (parcel) => `parcels/${parcel.carrier}/${parcel.waybillNo}`,
  summary:
    "A parcel's normalised state changed (status or its facts), derived from its distinct scans in event-time order.",
  example: {
    carrier: 'ZTO',
    waybillNo: '73100000001',
    status: 'delivered',
    previousStatus: 'out_for_delivery',
    statusAt: '2024-08-02T15:40:00+08:00',
    pickedUpAt: '2024-07-30T17:05:00+08:00',
    deliveredAt: '2024-08-02T15:40:00+08:00',
    originDivisionCode: '330782000000',
    destinationDivisionCode: '640521100201',
    jointlyDistributed: true,
    siteId: '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35',
    version: 5,
  },
});

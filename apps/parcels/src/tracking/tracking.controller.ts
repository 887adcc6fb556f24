import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PARCEL_STATUSES } from '@ecomlog/contracts';
import {
  ANY_OFFICIAL,
  BearerController,
  CurrentPrincipal,
  Read,
  assertOwnCarrier,
  regionOf,
  type Principal,
} from '@ecomlog/auth';
import { PathParam, ProblemException } from '@ecomlog/http';
import { CARRIER_PARAM, WAYBILL_NO_PARAM } from '../domain/path-params';
import type { ParcelState } from '../domain/parcel-state';

export interface TrackingScan {
  scanId: string;
  status: string;
  statusCode: string;
  occurredAt: string;
  siteId: string | null;
  divisionCode: string | null;
  origin: string | null;
  destination: string | null;
  weightGrams: number | null;
  handoverTo: string | null;
  note: string | null;
  receivedAt: string;
}

export interface TrackingView {
  carrier: string;
  waybillNo: string;
  state: Omit<ParcelState, 'scanCount'>;
  version: number;
  /** Every distinct scan, in event-time order. */
  scans: TrackingScan[];
}

@BearerController('v1/parcels', { tag: 'parcels' })
export class TrackingController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Read(':carrier/:waybillNo', {
    roles: ANY_OFFICIAL,
    clients: ['courier'],
    summary:
      'Tracking view of a parcel: its normalised state and full scan history (officials of its origin or destination region; the owning courier)',
  })
  async track(
    @PathParam('carrier', CARRIER_PARAM) carrier: string,
    @PathParam('waybillNo', WAYBILL_NO_PARAM) waybillNo: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrackingView> {
    assertOwnCarrier(principal, carrier);
    const [parcel] = await this.dataSource.query<
      {
        state: ParcelState;
        version: number;
        origin_division_code: string | null;
        destination_division_code: string | null;
      }[]
    >(
      `SELECT state, version, origin_division_code, destination_division_code
       FROM parcel WHERE carrier = $1 AND waybill_no = $2`,
      [carrier, waybillNo],
    );
    const region = regionOf(principal);
    const visible =
      parcel &&
      (region === '' ||
        [parcel.origin_division_code, parcel.destination_division_code].some((code) =>
          code?.startsWith(region),
        ));
    if (!visible) {
      throw new ProblemException(
        404,
        'parcel-not-found',
        'Parcel not found',
        `No parcel ${carrier} ${waybillNo}${region ? ` in region ${region}` : ''} (scans become visible once consumed).`,
      );
    }
    const scans = await this.dataSource.query<TrackingScan[]>(
      `SELECT scan_id AS "scanId", status, status_code AS "statusCode", occurred_at_text AS "occurredAt",
              site_id AS "siteId", division_code AS "divisionCode", origin, destination,
              weight_grams AS "weightGrams", handover_to AS "handoverTo", note,
              to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"') AS "receivedAt"
       FROM scan WHERE carrier = $1 AND waybill_no = $2
       ORDER BY occurred_at, array_position($3::text[], status), scan_id`,
      [carrier, waybillNo, [...PARCEL_STATUSES]],
    );
    const { scanCount: _count, ...state } = parcel.state;
    return { carrier, waybillNo, state, version: parcel.version, scans };
  }
}

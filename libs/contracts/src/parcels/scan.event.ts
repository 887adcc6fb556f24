import {
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { defineEvent } from '../event-definition';
import { DivisionCode, OptionalText, WholeNumber } from '../field-rules';
import { TOPICS } from '../topics';

/**
 * The normalised parcel lifecycle (SPEC 4.4), in rank order, then the side states. A parcel's
 * state is derived from its scans; these are also what couriers may send instead of their codes.
 */
export const PARCEL_LIFECYCLE = [
  'created',
  'picked_up',
  'in_transit',
  'at_hub',
  'out_for_delivery',
  'at_pickup_point',
  'delivered',
] as const;
export const PARCEL_SIDE_STATES = ['exception', 'returned'] as const;
export const PARCEL_STATUSES = [...PARCEL_LIFECYCLE, ...PARCEL_SIDE_STATES] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

export const CARRIER_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;
export const WAYBILL_NO_PATTERN = /^[A-Za-z0-9-]{6,40}$/;
/** ISO 8601 date-time that states its offset: `2024-08-01T09:30:00+08:00` or `…Z`. */
export const TIMESTAMP_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An upper-case carrier code of CARRIER_CODE_PATTERN (`options` may say another message). */
export function CarrierCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(CARRIER_CODE_PATTERN, {
    message: '$property must be an upper-case carrier code',
    ...options,
  });
}

/** A waybill number of WAYBILL_NO_PATTERN: 6–40 letters, digits or hyphens. */
export function WaybillNo(): PropertyDecorator {
  return Matches(WAYBILL_NO_PATTERN, {
    message: '$property must be 6–40 letters, digits or hyphens',
  });
}

/** An ISO 8601 date-time that states its offset (TIMESTAMP_WITH_OFFSET). */
export function TimestampWithOffset(): PropertyDecorator {
  return Matches(TIMESTAMP_WITH_OFFSET, {
    message:
      '$property must be an ISO 8601 date-time with an offset, e.g. 2024-08-01T09:30:00+08:00',
  });
}

/** Scans further in the future than this (clock skew allowance) are refused. */
export const SCAN_MAX_FUTURE_MS = 15 * 60 * 1000;

/**
 * Why an event time is unacceptable relative to `reference`, or null when it is fine: it must
 * carry an offset, be a real instant, and lie at most 15 minutes after `reference`.
 */
export function scanTimeProblem(value: unknown, reference: Date = new Date()): string | null {
  if (typeof value !== 'string' || !TIMESTAMP_WITH_OFFSET.test(value)) {
    return 'occurredAt must be an ISO 8601 date-time with an offset, e.g. 2024-08-01T09:30:00+08:00';
  }
  const [year, month, day, hour, minute] = value.match(/\d+/g)?.map(Number) ?? [];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const millis = Date.parse(value);
  if (
    Number.isNaN(millis) ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  )
    return `occurredAt ${value} is not a real date-time`;
  if (millis - reference.getTime() > SCAN_MAX_FUTURE_MS) {
    return `occurredAt ${value} is more than 15 minutes in the future (now ${reference.toISOString()})`;
  }
  return null;
}

/** An ISO date-time with offset, not more than 15 minutes ahead of the validating clock. */
export function IsScanTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isScanTime',
      validator: {
        validate: (value: unknown): boolean => scanTimeProblem(value) === null,
        defaultMessage: (args): string => scanTimeProblem(args?.value) ?? '$property is invalid',
      },
    },
    options,
  );
}

/**
 * One raw courier scan (SPEC 4.4) as couriers send it: plain JSON on `parcels.scans.v1` (key =
 * waybill number), or an item of `POST /v1/scans`. `status` is a normalised status, a code of the
 * carrier's own table, or a 快递100 state written `kuaidi100:<state>`.
 */
export class ScanV1 {
  /** The carrier's id of this scan; a repeated id for the same waybill is a duplicate. */
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, {
    message: 'scanId must be 1–64 characters of letters, digits, . _ : -',
  })
  scanId!: string;

  @CarrierCode({ message: 'carrier must be an upper-case carrier code such as ZTO or SF' })
  carrier!: string;

  @WaybillNo()
  waybillNo!: string;

  @IsString()
  @Matches(/^\S.{0,39}$/u, { message: 'status must be 1–40 characters' })
  status!: string;

  @IsScanTime()
  occurredAt!: string;

  /** Where the scan happened: a site of the service network … */
  @IsOptional()
  @IsUUID()
  siteId?: string | null;

  /** … or the division (12-digit code) when the site is not registered. */
  @IsOptional()
  @DivisionCode()
  divisionCode?: string | null;

  @IsOptional()
  @DivisionCode()
  origin?: string | null;

  @IsOptional()
  @DivisionCode()
  destination?: string | null;

  @IsOptional()
  @WholeNumber(1, 1_000_000)
  weightGrams?: number | null;

  /** Handover to a shared village-delivery operator (统仓共配): its enterprise id. */
  @IsOptional()
  @IsUUID()
  handoverTo?: string | null;

  /** Free text the carrier attached (e.g. 已签收，签收人：本人). */
  @OptionalText(500)
  note?: string | null;
}

export const ScanReceived = defineEvent<ScanV1>({
  type: 'cn.ecomlog.parcels.scan-received.v1',
  topic: TOPICS.parcelScans,
  payload: ScanV1,
  key: (scan) => scan.waybillNo,
  subject: (scan) => `parcels/${scan.carrier}/${scan.waybillNo}/scans/${scan.scanId}`,
  summary:
    'A raw courier scan, sent as plain JSON (no CloudEvents headers) by couriers with any Kafka client, or produced by POST /v1/scans.',
  example: {
    scanId: 'ZTO-73100000001-0003',
    carrier: 'ZTO',
    waybillNo: '73100000001',
    status: '派件',
    occurredAt: '2024-08-02T08:15:00+08:00',
    siteId: null,
    divisionCode: '640521100000',
    origin: '330782000000',
    destination: '640521100201',
    weightGrams: 1250,
    handoverTo: null,
    note: null,
  },
});

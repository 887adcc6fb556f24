import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { defineEvent } from '../event-definition';
import { DivisionCode, FiniteNumber, OneOf, VersionNumber } from '../field-rules';
import { TOPICS } from '../topics';

/** Every indicator of SPEC 4.6, by id. */
export const INDICATOR_IDS = [
  'retail_sales',
  'retail_sales_agricultural',
  'retail_enterprises',
  'retail_enterprises_new',
  'enterprises_over_threshold',
  'parcel_volume',
  'parcels_delivered',
  'hub_sorted',
  'delivery_hours_p50',
  'delivery_hours_p90',
  'joint_distribution_share',
  'town_station_coverage',
  'village_point_coverage',
  'village_express_coverage',
  'training_attendees',
  'funds_allocated',
  'funds_disbursed',
  'funds_disbursement_rate',
  'target_attainment',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

/**
 * A period: day `20240801`, month `202408`, quarter `2024Q3` or year `2024` (Asia/Shanghai
 * calendar).
 */
export const PERIOD_PATTERN = /^(\d{4})(?:(\d{2})(\d{2})?|Q([1-4]))?$/;

/**
 * A cell may be narrowed to one member of a split: `enterprise:<uuid>` (an enterprise's own
 * retail sales, e.g. for subsidy thresholds), `program:<uuid>`, `source:<uuid>`, `platform:taobao`,
 * `carrier:ZTO`, or `indicator:<id>` for a `target_attainment` cell (which indicator's target).
 * Unscoped cells are the division totals.
 */
export const INDICATOR_SCOPE_PATTERN =
  /^(enterprise|program|source|platform|carrier|indicator):[A-Za-z0-9._-]{1,64}$/;

/** The topic key of a cell: `indicator|division|period`, plus `|scope` for a scoped cell. */
export function indicatorCellKey(
  indicator: string,
  divisionCode: string,
  period: string,
  scope: string | null = null,
): string {
  const key = `${indicator}|${divisionCode}|${period}`;
  return scope === null ? key : `${key}|${scope}`;
}

/**
 * The new value of one indicator cell (indicator × division × period). `version` increases with
 * every change of the cell, so a subscriber keeps the highest version it has seen and drops the
 * rest; the topic is compacted, so reading it from the start gives the latest value of every cell.
 */
export class IndicatorCellChangedV1 {
  @OneOf(INDICATOR_IDS)
  indicator!: IndicatorId;

  @DivisionCode()
  divisionCode!: string;

  @Matches(PERIOD_PATTERN, { message: 'period must be YYYYMMDD, YYYYMM, YYYYQn or YYYY' })
  period!: string;

  /** null for the division total; else the split member, e.g. `enterprise:<uuid>`. */
  @IsOptional()
  @Matches(INDICATOR_SCOPE_PATTERN, {
    message:
      'scope must be enterprise:, program:, source:, platform:, carrier: or indicator: and an id',
  })
  scope!: string | null;

  /** null when undefined (a ratio with a zero denominator). Money in fen, durations in hours. */
  @IsOptional()
  @FiniteNumber()
  value!: number | null;

  /** Ratios only: the two numbers the value was computed from. */
  @IsOptional()
  @FiniteNumber()
  numerator!: number | null;

  @IsOptional()
  @FiniteNumber()
  denominator!: number | null;

  /** `fen`, `count`, `hours` or `ratio`. */
  @IsString()
  @MaxLength(20)
  unit!: string;

  @VersionNumber()
  version!: number;

  @IsISO8601({ strict: true })
  computedAt!: string;
}

export const IndicatorCellChanged = defineEvent<IndicatorCellChangedV1>({
  type: 'cn.ecomlog.analytics.indicator-changed.v1',
  topic: TOPICS.analyticsIndicators,
  payload: IndicatorCellChangedV1,
  key: (cell) => indicatorCellKey(cell.indicator, cell.divisionCode, cell.period, cell.scope),
  subject: (cell) =>
    `indicators/${cell.indicator}/${cell.divisionCode}/${cell.period}${cell.scope === null ? '' : `/${cell.scope}`}`,
  summary:
    'The value of an indicator cell (indicator × division × period) changed; the version never goes backwards.',
  example: {
    indicator: 'village_express_coverage',
    divisionCode: '370982000000',
    period: '202408',
    scope: null,
    value: 0.9312,
    numerator: 826,
    denominator: 887,
    unit: 'ratio',
    version: 42,
    computedAt: '2024-08-31T23:59:58+08:00',
  },
});

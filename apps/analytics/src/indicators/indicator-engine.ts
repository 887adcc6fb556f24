import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IndicatorId } from '@ecomlog/contracts';
import { effectiveEnd, type Period } from '../calendar/period';
import { nearestRankPercentile } from './percentile';

/** One computed value. Money in fen, durations in hours, ratios 0–1. */
export interface Cell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Named splits, e.g. { platform: { taobao: 12800 }, direction: { outbound: 3 } }. */
  splits?: Record<string, Record<string, number>>;
}

export interface ComputeOptions {
  /** Asia/Shanghai today, YYYY-MM-DD: the end of a period in progress for stock indicators. */
  today: string;
  /** enterprises_over_threshold: sales threshold in fen. */
  thresholdFen?: number;
  /** A split member, e.g. platform:taobao, carrier:ZTO, enterprise:<uuid>, program:<uuid>. */
  scope?: string | null;
}

/** The cell of a prefix in a computed map; an empty cell when absent. */
export function cellAt(cells: Map<string, Cell>, prefix: string): Cell {
  return cells.get(prefix) ?? { value: null, numerator: null, denominator: null };
}

export const DEFAULT_THRESHOLD_FEN = 1_000_000_000; // ¥10,000,000

type Row = Record<string, string | number | null>;
type Compute = (
  prefixes: string[],
  period: Period,
  options: ComputeOptions,
) => Promise<Map<string, Cell>>;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const sum = (cell: Cell): Cell => cell;
const amount = (value: number): Cell => sum({ value, numerator: null, denominator: null });
const ratio = (numerator: number, denominator: number): Cell => ({
  value: denominator === 0 ? null : numerator / denominator,
  numerator,
  denominator,
});

/** `scope` = `<kind>:<id>` → the id when its kind is `kind`, else undefined. */
function scopeId(scope: string | null | undefined, kind: string): string | undefined {
  return scope?.startsWith(`${kind}:`) ? scope.slice(kind.length + 1) : undefined;
}

/**
 * Prefix matches are written as ranges (`code >= '370982' AND code < '370982:'`, ':' sorting right
 * after '9' in the C collation) so the btree indexes on the code columns serve them.
 *
 * Computes indicator cells straight from the aggregates and read models, for many divisions
 * (code prefixes) at once. Every division is a prefix match over the finest stored codes, so
 * any division at any level works without precomputed levels.
 */
@Injectable()
export class IndicatorEngine {
  /** Where queries run: the data source, or a transaction (see boundTo). */
  private queryable: Pick<DataSource, 'query'>;

  constructor(dataSource: DataSource) {
    this.queryable = dataSource;
  }

  /** Cells for `prefixes` (each present in the answer, empty divisions included). */
  async compute(
    indicator: Exclude<IndicatorId, 'target_attainment'>,
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
  ): Promise<Map<string, Cell>> {
    const unique = [...new Set(prefixes)];
    if (unique.length === 0) return new Map();
    return this.computationOf(indicator)(unique, period, options);
  }

  /**
   * Own retail sales of many sellers (`enterprise:<id>`), each within a division prefix, for one
   * period; keyed `<seller>|<prefix>`.
   */
  async enterpriseSales(
    pairs: { seller: string; prefix: string }[],
    period: Period,
  ): Promise<Map<string, Cell>> {
    if (pairs.length === 0) return new Map();
    const rows = await this.query(
      `SELECT k.seller, k.prefix, SUM(s.net_fen) AS net
       FROM unnest($1::text[], $2::text[]) AS k(seller, prefix)
       JOIN seller_sales_day s ON s.seller = k.seller
         AND s.division_code >= k.prefix AND s.division_code < k.prefix || ':'
       WHERE s.day BETWEEN $3 AND $4
       GROUP BY k.seller, k.prefix`,
      [pairs.map((p) => p.seller), pairs.map((p) => p.prefix), period.from, period.to],
    );
    const cells = new Map<string, Cell>(pairs.map((p) => [`${p.seller}|${p.prefix}`, amount(0)]));
    for (const row of rows)
      cells.set(`${String(row.seller)}|${String(row.prefix)}`, amount(num(row.net)));
    return cells;
  }

  /** The computation of an indicator, on this engine's queryable. */
  private computationOf(indicator: Exclude<IndicatorId, 'target_attainment'>): Compute {
    const computations: Record<Exclude<IndicatorId, 'target_attainment'>, Compute> = {
      retail_sales: (p, period, o) => this.retailSales(p, period, o, false),
      retail_sales_agricultural: (p, period, o) => this.retailSales(p, period, o, true),
      retail_enterprises: (p, period, o) => this.retailEnterprises(p, period, o),
      retail_enterprises_new: (p, period) => this.newRetailEnterprises(p, period),
      enterprises_over_threshold: (p, period, o) => this.overThreshold(p, period, o),
      parcel_volume: (p, period, o) => this.parcelVolume(p, period, o),
      parcels_delivered: (p, period, o) => this.deliveries(p, period, o, 'count'),
      joint_distribution_share: (p, period, o) => this.deliveries(p, period, o, 'joint'),
      hub_sorted: (p, period) => this.hubSorted(p, period),
      delivery_hours_p50: (p, period) => this.deliveryHours(p, period, 0.5),
      delivery_hours_p90: (p, period) => this.deliveryHours(p, period, 0.9),
      town_station_coverage: (p, period, o) => this.coverage(p, period, o, 'town'),
      village_point_coverage: (p, period, o) => this.coverage(p, period, o, 'village_point'),
      village_express_coverage: (p, period, o) => this.coverage(p, period, o, 'village_express'),
      training_attendees: (p, period) => this.trainingAttendees(p, period),
      funds_allocated: (p, period, o) => this.funds(p, period, o, 'allocated'),
      funds_disbursed: (p, period, o) => this.funds(p, period, o, 'disbursed'),
      funds_disbursement_rate: (p, period, o) => this.funds(p, period, o, 'rate'),
    };
    return computations[indicator];
  }

  /** The same engine running its queries on `manager` (the publisher's own transaction). */
  boundTo(manager: EntityManager): IndicatorEngine {
    const bound = Object.create(IndicatorEngine.prototype) as IndicatorEngine;
    Object.assign(bound, this, { queryable: manager });
    return bound;
  }

  private async query(sql: string, parameters: unknown[]): Promise<Row[]> {
    return this.queryable.query<Row[]>(sql, parameters);
  }

  /** Fills every prefix, zero where no row matched. */
  private byPrefix(
    prefixes: string[],
    rows: Row[],
    toCell: (rows: Row[], prefix: string) => Cell,
  ): Map<string, Cell> {
    const grouped = new Map<string, Row[]>(prefixes.map((p) => [p, []]));
    for (const row of rows) grouped.get(String(row.prefix))?.push(row);
    return new Map([...grouped].map(([prefix, group]) => [prefix, toCell(group, prefix)]));
  }

  private async retailSales(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
    agricultural: boolean,
  ): Promise<Map<string, Cell>> {
    const enterpriseId = scopeId(options.scope, 'enterprise');
    if (enterpriseId !== undefined) {
      if (agricultural) return this.byPrefix(prefixes, [], () => amount(0));
      const rows = await this.query(
        `SELECT p.prefix, SUM(s.net_fen) AS net
         FROM unnest($1::text[]) AS p(prefix)
         JOIN seller_sales_day s ON (s.division_code >= p.prefix AND s.division_code < p.prefix || ':')
         WHERE s.seller = $4 AND s.day BETWEEN $2 AND $3
         GROUP BY p.prefix`,
        [prefixes, period.from, period.to, `enterprise:${enterpriseId}`],
      );
      return this.byPrefix(prefixes, rows, (group) => amount(num(group[0]?.net)));
    }
    const platform = scopeId(options.scope, 'platform');
    const rows = await this.query(
      `SELECT p.prefix, s.platform, SUM(s.paid_fen - s.refunded_fen) AS net,
              SUM(s.agricultural_paid_fen - s.agricultural_refunded_fen) AS agricultural
       FROM unnest($1::text[]) AS p(prefix)
       JOIN sales_day s ON (s.division_code >= p.prefix AND s.division_code < p.prefix || ':')
       WHERE s.day BETWEEN $2 AND $3 AND ($4::text IS NULL OR s.platform = $4)
       GROUP BY p.prefix, s.platform`,
      [prefixes, period.from, period.to, platform ?? null],
    );
    return this.byPrefix(prefixes, rows, (group) => {
      const net = group.reduce((total, row) => total + num(row.net), 0);
      const agri = group.reduce((total, row) => total + num(row.agricultural), 0);
      return {
        ...amount(agricultural ? agri : net),
        splits: {
          platform: Object.fromEntries(
            group.map((row) => [
              String(row.platform),
              num(agricultural ? row.agricultural : row.net),
            ]),
          ),
          ...(agricultural ? {} : { agricultural: { agricultural: agri, other: net - agri } }),
        },
      };
    });
  }

  private async retailEnterprises(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
  ): Promise<Map<string, Cell>> {
    const end = effectiveEnd(period, options.today);
    const rows = await this.query(
      `SELECT p.prefix, count(*) AS enterprises
       FROM unnest($1::text[]) AS p(prefix)
       JOIN enterprise e ON (e.registered_division_code >= p.prefix AND e.registered_division_code < p.prefix || ':')
       WHERE 'ecommerce_retailer' = ANY(e.kinds) AND e.registered_on <= $2
         AND (SELECT h->>'status' FROM jsonb_array_elements(e.status_history) WITH ORDINALITY AS x(h, i)
              WHERE h->>'effectiveFrom' <= $3 ORDER BY h->>'effectiveFrom' DESC, i DESC LIMIT 1) = 'active'
       GROUP BY p.prefix`,
      [prefixes, end, end],
    );
    return this.byPrefix(prefixes, rows, (group) => amount(num(group[0]?.enterprises)));
  }

  private async newRetailEnterprises(
    prefixes: string[],
    period: Period,
  ): Promise<Map<string, Cell>> {
    const rows = await this.query(
      `SELECT p.prefix, count(*) AS enterprises
       FROM unnest($1::text[]) AS p(prefix)
       JOIN enterprise e ON (e.registered_division_code >= p.prefix AND e.registered_division_code < p.prefix || ':')
       WHERE 'ecommerce_retailer' = ANY(e.kinds) AND e.registered_on BETWEEN $2 AND $3
       GROUP BY p.prefix`,
      [prefixes, period.from, period.to],
    );
    return this.byPrefix(prefixes, rows, (group) => amount(num(group[0]?.enterprises)));
  }

  private async overThreshold(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
  ): Promise<Map<string, Cell>> {
    const threshold = options.thresholdFen ?? DEFAULT_THRESHOLD_FEN;
    const rows = await this.query(
      `SELECT prefix, count(*) FILTER (WHERE net >= $4) AS sellers
       FROM (SELECT p.prefix, s.seller, SUM(s.net_fen) AS net
             FROM unnest($1::text[]) AS p(prefix)
             JOIN seller_sales_day s ON (s.division_code >= p.prefix AND s.division_code < p.prefix || ':')
             WHERE s.day BETWEEN $2 AND $3
             GROUP BY p.prefix, s.seller) AS per_seller
       GROUP BY prefix`,
      [prefixes, period.from, period.to, threshold],
    );
    return this.byPrefix(prefixes, rows, (group) => amount(num(group[0]?.sellers)));
  }

  private async parcelVolume(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
  ): Promise<Map<string, Cell>> {
    const carrier = scopeId(options.scope, 'carrier') ?? null;
    const picked = await this.query(
      `SELECT p.prefix, s.carrier, SUM(s.parcels) AS parcels,
              SUM(s.parcels) FILTER (WHERE (s.destination_code >= p.prefix AND s.destination_code < p.prefix || ':')) AS internal,
              SUM(s.parcels) FILTER (WHERE s.destination_code = '') AS unknown
       FROM unnest($1::text[]) AS p(prefix)
       JOIN pickup_day s ON (s.origin_code >= p.prefix AND s.origin_code < p.prefix || ':')
       WHERE s.day BETWEEN $2 AND $3 AND ($4::text IS NULL OR s.carrier = $4)
       GROUP BY p.prefix, s.carrier`,
      [prefixes, period.from, period.to, carrier],
    );
    const inbound = await this.query(
      `SELECT p.prefix, SUM(s.parcels) AS parcels
       FROM unnest($1::text[]) AS p(prefix)
       JOIN pickup_day s ON (s.destination_code >= p.prefix AND s.destination_code < p.prefix || ':') AND NOT (s.origin_code >= p.prefix AND s.origin_code < p.prefix || ':')
       WHERE s.day BETWEEN $2 AND $3 AND ($4::text IS NULL OR s.carrier = $4)
       GROUP BY p.prefix`,
      [prefixes, period.from, period.to, carrier],
    );
    const inboundBy = new Map(inbound.map((row) => [String(row.prefix), num(row.parcels)]));
    return this.byPrefix(prefixes, picked, (group, prefix) => {
      const total = group.reduce((t, row) => t + num(row.parcels), 0);
      const internal = group.reduce((t, row) => t + num(row.internal), 0);
      const unknown = group.reduce((t, row) => t + num(row.unknown), 0);
      return {
        ...amount(total),
        splits: {
          carrier: Object.fromEntries(group.map((row) => [String(row.carrier), num(row.parcels)])),
          direction: {
            outbound: total - internal - unknown,
            internal,
            unknown,
            inbound: inboundBy.get(prefix) ?? 0,
          },
        },
      };
    });
  }

  private async deliveries(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
    measure: 'count' | 'joint',
  ): Promise<Map<string, Cell>> {
    const rows = await this.query(
      `SELECT p.prefix, d.carrier, SUM(d.parcels) AS parcels, SUM(d.joint_parcels) AS joint
       FROM unnest($1::text[]) AS p(prefix)
       JOIN delivery_day d ON (d.destination_code >= p.prefix AND d.destination_code < p.prefix || ':')
       WHERE d.day BETWEEN $2 AND $3 AND ($4::text IS NULL OR d.carrier = $4)
       GROUP BY p.prefix, d.carrier`,
      [prefixes, period.from, period.to, scopeId(options.scope, 'carrier') ?? null],
    );
    return this.byPrefix(prefixes, rows, (group) => {
      const parcels = group.reduce((t, row) => t + num(row.parcels), 0);
      const joint = group.reduce((t, row) => t + num(row.joint), 0);
      const byCarrier = Object.fromEntries(
        group.map((row) => [
          String(row.carrier),
          num(measure === 'count' ? row.parcels : row.joint),
        ]),
      );
      return {
        ...(measure === 'count' ? amount(parcels) : ratio(joint, parcels)),
        splits: { carrier: byCarrier },
      };
    });
  }

  private async hubSorted(prefixes: string[], period: Period): Promise<Map<string, Cell>> {
    const rows = await this.query(
      `SELECT p.prefix, h.site_id, SUM(h.parcels) AS parcels
       FROM unnest($1::text[]) AS p(prefix)
       JOIN site s ON (s.division_code >= p.prefix AND s.division_code < p.prefix || ':')
       JOIN hub_day h ON h.site_id = s.id
       WHERE h.day BETWEEN $2 AND $3
       GROUP BY p.prefix, h.site_id`,
      [prefixes, period.from, period.to],
    );
    return this.byPrefix(prefixes, rows, (group) => ({
      ...amount(group.reduce((t, row) => t + num(row.parcels), 0)),
      splits: {
        site: Object.fromEntries(group.map((row) => [String(row.site_id), num(row.parcels)])),
      },
    }));
  }

  private async deliveryHours(
    prefixes: string[],
    period: Period,
    quantile: number,
  ): Promise<Map<string, Cell>> {
    const rows = await this.query(
      `SELECT p.prefix, m.minutes, SUM(m.parcels) AS parcels
       FROM unnest($1::text[]) AS p(prefix)
       JOIN delivery_minutes_day m ON (m.destination_code >= p.prefix AND m.destination_code < p.prefix || ':')
       WHERE m.day BETWEEN $2 AND $3
       GROUP BY p.prefix, m.minutes
       ORDER BY p.prefix, m.minutes`,
      [prefixes, period.from, period.to],
    );
    return this.byPrefix(prefixes, rows, (group) => {
      const minutes = nearestRankPercentile(
        group.map((row) => ({ value: num(row.minutes), count: num(row.parcels) })),
        quantile,
      );
      const parcels = group.reduce((t, row) => t + num(row.parcels), 0);
      return {
        value: minutes === null ? null : Math.round((minutes / 60) * 100) / 100,
        numerator: null,
        denominator: null,
        splits: { sample: { parcels } },
      };
    });
  }

  private async coverage(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
    kind: 'town' | 'village_point' | 'village_express',
  ): Promise<Map<string, Cell>> {
    const end = effectiveEnd(period, options.today);
    const units =
      kind === 'town' ? `d.level = 'town'` : `d.level = 'village' AND d.administrative_village`;
    const served =
      kind === 'town'
        ? `o.kind = 'town_service_station' AND o.division_code LIKE left(d.code, 9) || '%'`
        : kind === 'village_point'
          ? `o.kind = 'village_service_point' AND o.division_code = d.code`
          : `o.kind IN ('village_service_point', 'pickup_point', 'parcel_locker', 'rural_supermarket')
             AND cardinality(o.carriers) >= 1 AND o.division_code = d.code`;
    const rows = await this.query(
      `WITH operating AS (
         SELECT s.kind, s.division_code, s.carriers FROM site s
         WHERE (SELECT h->>'status' FROM jsonb_array_elements(s.status_history) WITH ORDINALITY AS x(h, i)
                WHERE h->>'effectiveFrom' <= $2 ORDER BY h->>'effectiveFrom' DESC, i DESC LIMIT 1) = 'operating'
       )
       SELECT p.prefix, count(*) AS units,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM operating o WHERE ${served})) AS covered
       FROM unnest($1::text[]) AS p(prefix)
       JOIN division d ON (d.code >= p.prefix AND d.code < p.prefix || ':')
       WHERE d.status = 'active' AND ${units}
       GROUP BY p.prefix`,
      [prefixes, end],
    );
    return this.byPrefix(prefixes, rows, (group) =>
      ratio(num(group[0]?.covered), num(group[0]?.units)),
    );
  }

  private async trainingAttendees(prefixes: string[], period: Period): Promise<Map<string, Cell>> {
    const rows = await this.query(
      `SELECT p.prefix, SUM(t.attendees) AS attendees
       FROM unnest($1::text[]) AS p(prefix)
       JOIN training t ON (t.division_code >= p.prefix AND t.division_code < p.prefix || ':')
       WHERE t.held_on BETWEEN $2 AND $3
       GROUP BY p.prefix`,
      [prefixes, period.from, period.to],
    );
    return this.byPrefix(prefixes, rows, (group) => amount(num(group[0]?.attendees)));
  }

  private async funds(
    prefixes: string[],
    period: Period,
    options: ComputeOptions,
    measure: 'allocated' | 'disbursed' | 'rate',
  ): Promise<Map<string, Cell>> {
    // The rate is cumulative: everything allocated and disbursed up to the period end.
    const from = measure === 'rate' ? '0001-01-01' : period.from;
    const rows = await this.query(
      `SELECT p.prefix, f.program_id,
              SUM(f.amount_fen) FILTER (WHERE f.kind = 'allocation') AS allocated,
              SUM(f.amount_fen) FILTER (WHERE f.kind IN ('disbursement', 'subsidy_payment')) AS disbursed
       FROM unnest($1::text[]) AS p(prefix)
       JOIN funds_movement f ON (f.division_code >= p.prefix AND f.division_code < p.prefix || ':')
       WHERE f.day BETWEEN $2 AND $3
         AND ($4::uuid IS NULL OR f.program_id = $4) AND ($5::uuid IS NULL OR f.source_id = $5)
       GROUP BY p.prefix, f.program_id`,
      [
        prefixes,
        from,
        period.to,
        scopeId(options.scope, 'program') ?? null,
        scopeId(options.scope, 'source') ?? null,
      ],
    );
    return this.byPrefix(prefixes, rows, (group) => {
      const allocated = group.reduce((t, row) => t + num(row.allocated), 0);
      const disbursed = group.reduce((t, row) => t + num(row.disbursed), 0);
      const perProgram = (pick: (row: Row) => number): Record<string, number> =>
        Object.fromEntries(group.map((row) => [String(row.program_id), pick(row)]));
      if (measure === 'rate') return ratio(disbursed, allocated);
      return {
        ...amount(measure === 'allocated' ? allocated : disbursed),
        splits: {
          program: perProgram((row) =>
            num(measure === 'allocated' ? row.allocated : row.disbursed),
          ),
        },
      };
    });
  }
}

import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  IndicatorCellChanged,
  indicatorCellKey,
  type IndicatorCellChangedV1,
  type IndicatorId,
} from '@ecomlog/contracts';
import {
  levelOfCode,
  lineageOfCode,
  prefixOfCode,
  shanghaiDay,
  type DivisionLevel,
} from '@ecomlog/kernel';
import { OutboxWriter } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { APP_LOGGER } from '@ecomlog/platform';
import {
  elapsedFraction,
  parseFixedPeriod,
  periodsContaining,
  type Period,
} from '../calendar/period';
import { AnalyticsEnv } from '../config';
import { INDICATORS, indicatorInfo } from '../indicators/indicator-catalogue';
import { cellAt, IndicatorEngine, type Cell } from '../indicators/indicator-engine';
import { AnswerCache } from '../query/answer-cache';
import { attainmentOf } from '../targets/target-value';
import { TargetsService } from '../targets/targets.service';
import type { DirtySource } from './dirty-cells';

type ComputedIndicator = Exclude<IndicatorId, 'target_attainment'>;

interface DirtyRow {
  source: DirtySource;
  division_code: string;
  day: string;
  scope: string;
  mark_seq: string;
}

/** One cell to (re)compute: indicator × division × period, optionally scoped. */
interface CellRequest {
  indicator: ComputedIndicator;
  divisionCode: string;
  period: Period;
  scope: string | null;
}

const PUBLISHER_LOCK = 'analytics.indicator-publisher';
/** Marks per cycle: bounds the work (and the publisher's transaction) of one cycle. */
const BATCH = 2000;
/** Splits that get cells of their own on the topic. */
const SCOPED_INDICATORS: Record<string, ComputedIndicator[]> = {
  enterprise: ['retail_sales'],
  program: ['funds_allocated', 'funds_disbursed', 'funds_disbursement_rate'],
  source: ['funds_allocated', 'funds_disbursed', 'funds_disbursement_rate'],
};

const sameNumber = (a: number | null, b: string | null): boolean =>
  a === null ? b === null : b !== null && Math.abs(Number(b) - a) < 1e-9;

/**
 * Publishes every changed indicator cell to analytics.indicators.v1. Consumers only mark which
 * divisions and days changed (in their own transactions); every interval this publisher takes the
 * marks, recomputes the affected cells (the division and its ancestors, for the day, month,
 * quarter and year), compares them with what it published last, and appends the changed ones with
 * version + 1 to the outbox — all in one transaction, so a crash republishes nothing twice and
 * loses nothing, and a version never goes backwards.
 */
@Injectable()
export class IndicatorPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly levels: DivisionLevel[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: IndicatorEngine,
    private readonly targets: TargetsService,
    private readonly cache: AnswerCache,
    private readonly env: AnalyticsEnv,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.levels = env.INDICATOR_PUBLISH_LEVELS.split(',') as DivisionLevel[];
  }

  onApplicationBootstrap(): void {
    if (!this.env.CONSUMERS_ENABLED || this.env.INDICATOR_PUBLISH_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.publishPending()
          .catch((error: unknown) =>
            this.logger.error({ err: error }, 'indicator publication failed; retrying'),
          )
          .then(() => undefined)
          .finally(() => (this.running = undefined));
      }
    }, this.env.INDICATOR_PUBLISH_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Publishes what is marked; returns the number of cells published. */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, marks, codes, targetsChanged } = await this.dataSource.transaction((tx) =>
        this.publishBatch(tx),
      );
      total += published;
      await this.cache.invalidate(codes, targetsChanged);
      if (marks < BATCH) return total;
    }
  }

  private async publishBatch(
    tx: EntityManager,
  ): Promise<{ published: number; marks: number; codes: string[]; targetsChanged: boolean }> {
    const [{ locked }] = await tx.query<{ locked: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
      [PUBLISHER_LOCK],
    );
    if (!locked) return { published: 0, marks: 0, codes: [], targetsChanged: false };
    // Read the oldest marks without locking them: consumers keep marking while the cells are
    // computed. Each mark carries a sequence number that a consumer bumps when it marks the cell
    // again, so only marks unchanged since they were read are cleared below.
    const marks = await tx.query<DirtyRow[]>(
      `SELECT source, division_code, to_char(day, 'YYYY-MM-DD') AS day, scope, mark_seq
       FROM dirty_cell ORDER BY marked_at LIMIT ${BATCH}`,
    );
    if (marks.length === 0) return { published: 0, marks: 0, codes: [], targetsChanged: false };
    const today = shanghaiDay();
    const requests = await this.requestsFor(marks, today);
    // On the publisher's own connection: no second pool connection per cycle.
    const cells = await this.computeAll(this.engine.boundTo(tx), requests, today);
    await this.clearMarks(tx, marks);
    const published = await this.publishChanged(tx, cells);
    return {
      published,
      marks: marks.length,
      codes: [...new Set(marks.map((m) => m.division_code))],
      targetsChanged: marks.some((m) => m.source === 'targets'),
    };
  }

  /**
   * Deletes the marks just published unless a consumer marked them again meanwhile (a newer
   * mark_seq: its change may not be in the computed value, so it stays for the next cycle).
   * Rows are locked in key order, the order consumers use, so the two cannot deadlock.
   */
  private async clearMarks(tx: EntityManager, marks: DirtyRow[]): Promise<void> {
    const parameters = [
      marks.map((m) => m.source),
      marks.map((m) => m.division_code),
      marks.map((m) => m.day),
      marks.map((m) => m.scope),
      marks.map((m) => m.mark_seq),
    ];
    const keys = `unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::bigint[])
                    AS k(source, division_code, day, scope, mark_seq)`;
    await tx.query(
      `SELECT 1 FROM dirty_cell d JOIN ${keys} USING (source, division_code, day, scope, mark_seq)
       ORDER BY d.source, d.division_code, d.day, d.scope
       FOR UPDATE OF d`,
      parameters,
    );
    await tx.query(
      `DELETE FROM dirty_cell d USING ${keys}
       WHERE d.source = k.source AND d.division_code = k.division_code AND d.day = k.day
         AND d.scope = k.scope AND d.mark_seq = k.mark_seq`,
      parameters,
    );
  }

  private async requestsFor(marks: DirtyRow[], today: string): Promise<Map<string, CellRequest>> {
    const requests = new Map<string, CellRequest>();
    const add = (request: CellRequest): void => {
      requests.set(
        indicatorCellKey(
          request.indicator,
          request.divisionCode,
          request.period.label,
          request.scope,
        ),
        request,
      );
    };
    for (const mark of marks) {
      if (mark.source === 'targets') {
        const indicator = mark.scope.slice('indicator:'.length) as ComputedIndicator;
        for (const target of await this.targets.ofDivision(mark.division_code, indicator)) {
          const period = parseFixedPeriod(target.period);
          if (period) add({ indicator, divisionCode: target.divisionCode, period, scope: null });
        }
        continue;
      }
      const [kind] = mark.scope.split(':');
      const indicators =
        mark.scope === ''
          ? INDICATORS.filter((i) => i.sources.includes(mark.source)).map(
              (i) => i.id as ComputedIndicator,
            )
          : (SCOPED_INDICATORS[kind] ?? []);
      const divisions =
        mark.scope === ''
          ? lineageOfCode(mark.division_code).filter((code) =>
              this.levels.includes(levelOfCode(code)),
            )
          : [mark.division_code];
      for (const indicator of indicators) {
        const info = indicatorInfo(indicator);
        // A stock (coverage, enterprises, disbursement rate) also changes every later period end.
        const days = info.stock && mark.day < today ? [mark.day, today] : [mark.day];
        for (const day of days) {
          for (const period of periodsContaining(day)) {
            for (const divisionCode of divisions) {
              add({
                indicator,
                divisionCode,
                period,
                scope: mark.scope === '' ? null : mark.scope,
              });
            }
          }
        }
      }
    }
    return requests;
  }

  /** Groups requests by (indicator, period, scope) so each group is one query over many prefixes. */
  private async computeAll(
    engine: IndicatorEngine,
    requests: Map<string, CellRequest>,
    today: string,
  ): Promise<Map<string, { request: CellRequest; cell: Cell; attainmentOf?: ComputedIndicator }>> {
    const groups = new Map<string, CellRequest[]>();
    const perEnterprise = new Map<string, CellRequest[]>();
    for (const request of requests.values()) {
      // Every enterprise's own sales of a period: one query for all of them.
      if (request.scope?.startsWith('enterprise:')) {
        const id = request.period.label;
        perEnterprise.set(id, [...(perEnterprise.get(id) ?? []), request]);
        continue;
      }
      const id = `${request.indicator}|${request.period.label}|${request.scope ?? ''}`;
      groups.set(id, [...(groups.get(id) ?? []), request]);
    }
    const cells = new Map<
      string,
      { request: CellRequest; cell: Cell; attainmentOf?: ComputedIndicator }
    >();
    for (const group of perEnterprise.values()) {
      const computed = await engine.enterpriseSales(
        group.map((r) => ({ seller: r.scope ?? '', prefix: prefixOfCode(r.divisionCode) })),
        group[0].period,
      );
      for (const request of group) {
        const cell = cellAt(
          computed,
          `${request.scope ?? ''}|${prefixOfCode(request.divisionCode)}`,
        );
        cells.set(
          indicatorCellKey(
            request.indicator,
            request.divisionCode,
            request.period.label,
            request.scope,
          ),
          { request, cell },
        );
      }
    }
    for (const group of groups.values()) {
      const { indicator, period, scope } = group[0];
      const computed = await engine.compute(
        indicator,
        group.map((r) => prefixOfCode(r.divisionCode)),
        period,
        { today, scope },
      );
      for (const request of group) {
        const cell = cellAt(computed, prefixOfCode(request.divisionCode));
        cells.set(indicatorCellKey(indicator, request.divisionCode, period.label, scope), {
          request,
          cell,
        });
      }
    }
    // Cells with a target also move their attainment.
    const unscoped = [...cells.values()].filter((c) => c.request.scope === null);
    const targets = await this.targets.lookup(
      unscoped.map(({ request }) => ({
        indicator: request.indicator,
        divisionCode: request.divisionCode,
        period: request.period.label,
      })),
    );
    for (const { request, cell } of unscoped) {
      const target = targets.get(
        `${request.indicator}|${request.divisionCode}|${request.period.label}`,
      );
      if (!target) continue;
      const info = indicatorInfo(request.indicator);
      const attainment = attainmentOf(
        cell.value,
        target.targetValue,
        elapsedFraction(request.period, today),
        !info.stock && !info.ratio,
      );
      const scope = `indicator:${request.indicator}`;
      cells.set(
        indicatorCellKey('target_attainment', request.divisionCode, request.period.label, scope),
        {
          request: { ...request, scope },
          cell: {
            value: attainment.attainment,
            numerator: cell.value,
            denominator: target.targetValue,
          },
          attainmentOf: request.indicator,
        },
      );
    }
    return cells;
  }

  private async publishChanged(
    tx: EntityManager,
    cells: Map<string, { request: CellRequest; cell: Cell; attainmentOf?: ComputedIndicator }>,
  ): Promise<number> {
    const keys = [...cells.keys()];
    const previous = await tx.query<
      {
        cell_key: string;
        value: string | null;
        numerator: string | null;
        denominator: string | null;
        version: number;
      }[]
    >(
      `SELECT cell_key, value, numerator, denominator, version FROM published_cell
       WHERE cell_key = ANY($1::text[]) FOR UPDATE`,
      [keys],
    );
    const previousByKey = new Map(previous.map((row) => [row.cell_key, row]));
    const computedAt = new Date().toISOString();
    const events: IndicatorCellChangedV1[] = [];
    for (const [key, { request, cell, attainmentOf: of }] of cells) {
      const before = previousByKey.get(key);
      const info = indicatorInfo(of ? 'target_attainment' : request.indicator);
      const numerator = info.ratio ? cell.numerator : null;
      const denominator = info.ratio ? cell.denominator : null;
      if (!before && (cell.value === null || cell.value === 0)) continue; // nothing to tell yet
      if (
        before &&
        sameNumber(cell.value, before.value) &&
        sameNumber(numerator, before.numerator) &&
        sameNumber(denominator, before.denominator)
      ) {
        continue;
      }
      events.push({
        indicator: of ? 'target_attainment' : request.indicator,
        divisionCode: request.divisionCode,
        period: request.period.label,
        scope: request.scope,
        value: cell.value,
        numerator,
        denominator,
        unit: info.unit,
        version: (before?.version ?? 0) + 1,
        computedAt,
      });
    }
    if (events.length === 0) return 0;
    await tx.query(
      `INSERT INTO published_cell AS p (cell_key, value, numerator, denominator, version, published_at)
       SELECT k, v, n, d, ver, now() FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::int[])
         AS t(k, v, n, d, ver)
       ON CONFLICT (cell_key) DO UPDATE SET value = EXCLUDED.value, numerator = EXCLUDED.numerator,
         denominator = EXCLUDED.denominator, version = EXCLUDED.version, published_at = now()`,
      [
        events.map((e) => indicatorCellKey(e.indicator, e.divisionCode, e.period, e.scope)),
        events.map((e) => e.value),
        events.map((e) => e.numerator),
        events.map((e) => e.denominator),
        events.map((e) => e.version),
      ],
    );
    await this.outbox.append(tx, IndicatorCellChanged, events);
    return events.length;
  }
}

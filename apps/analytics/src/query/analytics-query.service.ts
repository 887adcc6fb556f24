import { Injectable } from '@nestjs/common';
import { INDICATOR_IDS, INDICATOR_SCOPE_PATTERN, type IndicatorId } from '@ecomlog/contracts';
import { assertWithinRegion, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import {
  DIVISION_LEVELS,
  isDivisionCode,
  levelOfCode,
  prefixOfCode,
  shanghaiDay,
} from '@ecomlog/kernel';
import {
  elapsedFraction,
  expandPeriodItem,
  PeriodError,
  previousYear,
  type Period,
} from '../calendar/period';
import { indicatorInfo } from '../indicators/indicator-catalogue';
import { cellAt, IndicatorEngine, type Cell } from '../indicators/indicator-engine';
import { attainmentOf, type Attainment } from '../targets/target-value';
import { TargetsService } from '../targets/targets.service';
import { AnswerCache } from './answer-cache';
import { DivisionsRepository, type DivisionRef } from './divisions.repository';

type ComputedIndicator = Exclude<IndicatorId, 'target_attainment'>;

export interface AnalyticsRequest {
  dx: string;
  pe: string;
  ou: string;
  threshold?: number;
  scope?: string;
}

export interface AnswerRow {
  indicator: IndicatorId;
  /** target_attainment: `indicator:<id>`; otherwise the split member asked for, or null. */
  scope: string | null;
  divisionCode: string;
  divisionName: string | null;
  level: string;
  period: string;
  periodFrom: string;
  periodTo: string;
  unit: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  previousYearPeriod: string;
  previousYearValue: number | null;
  /** 同比: (value − base) ÷ base; null when the base is 0 or unknown. */
  yoy: number | null;
  /** Rank among the sibling divisions (1 = best), null without known siblings. */
  rank: number | null;
  siblings: number | null;
  target: (Attainment & { period: string }) | null;
  splits?: Record<string, Record<string, number>>;
}

export interface AnalyticsAnswer {
  rows: AnswerRow[];
  meta: {
    today: string;
    timeZone: 'Asia/Shanghai';
    thresholdFen: number | null;
    cache: 'hit' | 'miss' | 'partial';
  };
}

const MAX_ITEMS = 20;
const MAX_CELLS = 5000;
const LOWER_IS_BETTER = new Set<IndicatorId>(['delivery_hours_p50', 'delivery_hours_p90']);
const CACHED_LEVELS = new Set(['province', 'city', 'county']);

/** Items of the right shape (the DTO's patterns, 400) that name nothing real: 422. */
function problem(detail: string): ProblemException {
  return new ProblemException(422, 'invalid-analytics-query', 'Invalid analytics query', detail);
}

/** 404 naming the codes the divisions read model does not hold. */
export function unknownDivisions(codes: string[]): ProblemException {
  const list = codes.join(', ');
  return new ProblemException(
    404,
    'division-not-found',
    'Division not known',
    `${codes.length === 1 ? 'Division' : 'Divisions'} ${list} ${codes.length === 1 ? 'is' : 'are'} not known to analytics (统计用区划代码 from registry.divisions.v1): check the 12-digit code (GET /v1/divisions/{code} on the registry), or have an administrator import or create it in the registry first; a division imported moments ago is known within seconds.`,
    { divisionCodes: codes },
  );
}

function splitItems(name: string, text: string): string[] {
  const items = text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw problem(`${name} must name at least one item (items are separated by ;)`);
  if (items.length > MAX_ITEMS)
    throw problem(`${name} names ${items.length} items; at most ${MAX_ITEMS}`);
  return items;
}

function yoyOf(value: number | null, base: number | null): number | null {
  if (value === null || base === null || base === 0) return null;
  return (value - base) / base;
}

/**
 * The analytics query in the spirit of DHIS2: indicators (dx) × periods (pe) × divisions (ou),
 * with 同比, numerator and denominator, rank among siblings and target attainment.
 */
@Injectable()
export class AnalyticsQueryService {
  constructor(
    private readonly engine: IndicatorEngine,
    private readonly divisions: DivisionsRepository,
    private readonly targets: TargetsService,
    private readonly cache: AnswerCache,
  ) {}

  async answer(actor: Principal, request: AnalyticsRequest): Promise<AnalyticsAnswer> {
    const today = shanghaiDay();
    const indicators = splitItems('dx', request.dx).map((id) => {
      if (!(INDICATOR_IDS as readonly string[]).includes(id)) {
        throw problem(`dx: "${id}" is not an indicator; GET /v1/indicators lists them`);
      }
      return id as IndicatorId;
    });
    const periods = splitItems('pe', request.pe).flatMap((item) => {
      try {
        return expandPeriodItem(item, today);
      } catch (error) {
        if (error instanceof PeriodError) throw problem(`pe: ${error.message}`);
        throw error;
      }
    });
    if (request.scope !== undefined && !INDICATOR_SCOPE_PATTERN.test(request.scope)) {
      throw problem(
        'scope must be platform:<code>, carrier:<code>, enterprise:<id>, program:<id> or source:<id>',
      );
    }
    const units = await this.resolveUnits(actor, splitItems('ou', request.ou));
    if (indicators.length * periods.length * units.length > MAX_CELLS) {
      throw problem(
        `the query asks for ${indicators.length * periods.length * units.length} cells; at most ${MAX_CELLS} (narrow dx, pe or ou)`,
      );
    }
    const options = { today, thresholdFen: request.threshold, scope: request.scope ?? null };
    let hits = 0;
    let misses = 0;
    const rows: AnswerRow[] = [];
    for (const indicator of indicators) {
      for (const period of periods) {
        if (indicator === 'target_attainment') {
          rows.push(...(await this.attainmentRows(units, period, options)));
          continue;
        }
        const result = await this.rowsFor(indicator, units, period, options);
        hits += result.hits;
        misses += result.misses;
        rows.push(...result.rows);
      }
    }
    return {
      rows,
      meta: {
        today,
        timeZone: 'Asia/Shanghai',
        thresholdFen: indicators.includes('enterprises_over_threshold')
          ? (request.threshold ?? 1_000_000_000)
          : null,
        cache: misses === 0 && hits > 0 ? 'hit' : hits > 0 ? 'partial' : 'miss',
      },
    };
  }

  /**
   * `370982000000`, `370982000000:children`, `370982000000:level:village` (or `:village`). Every
   * code must be a division of the read model: an unknown one is a 404 naming it, not a row of
   * nulls that looks like a county without sales.
   */
  private async resolveUnits(actor: Principal, items: string[]): Promise<DivisionRef[]> {
    const parsed = items.map((item) => {
      const [code, ...rest] = item.split(':');
      if (!isDivisionCode(code))
        throw problem(`ou: "${item}" does not start with a 12-digit division code`);
      assertWithinRegion(actor, code);
      const selector = rest.join(':');
      const level = selector.replace(/^level:/, '');
      if (
        selector !== '' &&
        selector !== 'children' &&
        !(DIVISION_LEVELS as readonly string[]).includes(level)
      ) {
        throw problem(
          `ou: "${item}": use <code>, <code>:children or <code>:level:<${DIVISION_LEVELS.join('|')}>`,
        );
      }
      return { code, selector, level };
    });
    const known = await this.divisions.byCodes([...new Set(parsed.map((p) => p.code))]);
    const unknown = [...new Set(parsed.map((p) => p.code).filter((code) => !known.has(code)))];
    if (unknown.length > 0) throw unknownDivisions(unknown);
    const units: DivisionRef[] = [];
    for (const { code, selector, level } of parsed) {
      if (selector === '') {
        units.push(known.get(code) as DivisionRef);
      } else if (selector === 'children') {
        units.push(...((await this.divisions.childrenOf([code])).get(code) ?? []));
      } else {
        units.push(...(await this.divisions.descendantsAtLevel(code, prefixOfCode(code), level)));
      }
    }
    const unique = new Map(units.map((u) => [u.code, u]));
    return [...unique.values()];
  }

  private async rowsFor(
    indicator: ComputedIndicator,
    units: DivisionRef[],
    period: Period,
    options: { today: string; thresholdFen?: number; scope: string | null },
  ): Promise<{ rows: AnswerRow[]; hits: number; misses: number }> {
    const cacheable = (unit: DivisionRef): boolean =>
      period.kind !== 'day' && CACHED_LEVELS.has(levelOfCode(unit.code));
    const generations = await this.cache.generations(
      units.filter(cacheable).map((u) => prefixOfCode(u.code)),
    );
    const keyOf = (unit: DivisionRef): string =>
      this.cache.keyOf(generations, prefixOfCode(unit.code), [
        indicator,
        unit.code,
        period.label,
        String(options.thresholdFen ?? ''),
        options.scope ?? '',
        options.today,
      ]);
    const cachedUnits = units.filter(cacheable);
    const cached = await this.cache.getMany<AnswerRow>(cachedUnits.map(keyOf));
    const fromCache = new Map<string, AnswerRow>();
    cachedUnits.forEach((unit, i) => {
      if (cached[i]) fromCache.set(unit.code, cached[i]);
    });
    const missing = units.filter((u) => !fromCache.has(u.code));
    const computed = await this.compute(indicator, missing, period, options);
    await this.cache.setMany(
      missing.filter(cacheable).flatMap((unit): [string, unknown][] => {
        const row = computed.get(unit.code);
        return row ? [[keyOf(unit), row]] : [];
      }),
    );
    return {
      rows: units.flatMap((u) => {
        const row = fromCache.get(u.code) ?? computed.get(u.code);
        return row ? [row] : [];
      }),
      hits: fromCache.size,
      misses: missing.length,
    };
  }

  private async compute(
    indicator: ComputedIndicator,
    units: DivisionRef[],
    period: Period,
    options: { today: string; thresholdFen?: number; scope: string | null },
  ): Promise<Map<string, AnswerRow>> {
    if (units.length === 0) return new Map();
    const info = indicatorInfo(indicator);
    const parents = [
      ...new Set(units.map((u) => u.parentCode).filter((p): p is string => p !== null)),
    ];
    const siblingsByParent = await this.divisions.childrenOf(parents);
    const siblingCodes = [...siblingsByParent.values()].flat().map((d) => d.code);
    const current = await this.engine.compute(
      indicator,
      [...units.map((u) => prefixOfCode(u.code)), ...siblingCodes.map(prefixOfCode)],
      period,
      options,
    );
    const base = previousYear(period);
    const previous = await this.engine.compute(
      indicator,
      units.map((u) => prefixOfCode(u.code)),
      base,
      options,
    );
    const targets = await this.targets.lookup(
      units.map((u) => ({ indicator, divisionCode: u.code, period: period.label })),
    );
    const elapsed = elapsedFraction(period, options.today);
    const result = new Map<string, AnswerRow>();
    for (const unit of units) {
      const cell = cellAt(current, prefixOfCode(unit.code));
      const baseCell = cellAt(previous, prefixOfCode(unit.code));
      const siblings = unit.parentCode ? (siblingsByParent.get(unit.parentCode) ?? []) : [];
      const target = targets.get(`${indicator}|${unit.code}|${period.label}`);
      result.set(unit.code, {
        indicator,
        scope: options.scope,
        divisionCode: unit.code,
        divisionName: unit.name,
        level: unit.level,
        period: period.label,
        periodFrom: period.from,
        periodTo: period.to,
        unit: info.unit,
        value: cell.value,
        numerator: info.ratio ? cell.numerator : null,
        denominator: info.ratio ? cell.denominator : null,
        previousYearPeriod: base.label,
        previousYearValue: baseCell.value,
        yoy: yoyOf(cell.value, baseCell.value),
        ...this.rankOf(indicator, unit, cell, siblings, current),
        target: target
          ? {
              period: period.label,
              ...attainmentOf(cell.value, target.targetValue, elapsed, !info.stock && !info.ratio),
            }
          : null,
        ...(cell.splits ? { splits: cell.splits } : {}),
      });
    }
    return result;
  }

  private rankOf(
    indicator: IndicatorId,
    unit: DivisionRef,
    cell: Cell,
    siblings: DivisionRef[],
    cells: Map<string, Cell>,
  ): { rank: number | null; siblings: number | null } {
    if (siblings.length === 0 || !siblings.some((s) => s.code === unit.code)) {
      return { rank: null, siblings: null };
    }
    const value = cell.value;
    if (value === null) return { rank: null, siblings: siblings.length };
    const better = siblings.filter((s) => {
      const other = cells.get(prefixOfCode(s.code))?.value ?? null;
      if (other === null) return false;
      return LOWER_IS_BETTER.has(indicator) ? other < value : other > value;
    }).length;
    return { rank: better + 1, siblings: siblings.length };
  }

  /** One row per indicator that has a target for the division and period. */
  private async attainmentRows(
    units: DivisionRef[],
    period: Period,
    options: { today: string; thresholdFen?: number; scope: string | null },
  ): Promise<AnswerRow[]> {
    const rows: AnswerRow[] = [];
    for (const unit of units) {
      const targets = await this.targets.lookup(
        INDICATOR_IDS.filter((id) => id !== 'target_attainment').map((indicator) => ({
          indicator,
          divisionCode: unit.code,
          period: period.label,
        })),
      );
      for (const target of targets.values()) {
        const indicator = target.indicator as ComputedIndicator;
        const computed = await this.compute(indicator, [unit], period, { ...options, scope: null });
        const row = computed.get(unit.code);
        if (!row) continue;
        const attainment = row.target?.attainment ?? null;
        const base = row.previousYearValue;
        rows.push({
          ...row,
          indicator: 'target_attainment',
          scope: `indicator:${indicator}`,
          unit: 'ratio',
          value: attainment,
          numerator: row.value,
          denominator: target.targetValue,
          previousYearValue: null,
          yoy: null,
          rank: null,
          siblings: null,
          splits: { actual: { value: row.value ?? 0, previousYear: base ?? 0 } },
        });
      }
    }
    return rows;
  }
}

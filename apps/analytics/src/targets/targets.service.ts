import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertWithinRegion, regionPrefixOf, type Principal } from '@ecomlog/auth';
import type { IndicatorId } from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { AuditTrail } from '@ecomlog/platform';
import { mustParse, parseFixedPeriod } from '../calendar/period';
import { markDirty } from '../publishing/dirty-cells';
import { DivisionsRepository } from '../query/divisions.repository';
import type { SetTargetDto } from './dto/set-target.dto';
import { indicatorInfo } from '../indicators/indicator-catalogue';
import { WHOLE_UNITS, targetValue, type TargetDefinition } from './target-value';

interface TargetRow {
  indicator: string;
  division_code: string;
  period: string;
  value: string | null;
  base_value: string | null;
  base_period: string | null;
  annual_growth: string | null;
}

export interface TargetView extends TargetDefinition {
  /** The value the target sets for its period (a growth path compounded). */
  targetValue: number;
}

function toView(row: TargetRow): TargetView {
  const definition: TargetDefinition = {
    indicator: row.indicator,
    divisionCode: row.division_code,
    period: row.period,
    value: row.value === null ? null : Number(row.value),
    growth:
      row.base_value === null
        ? null
        : {
            baseValue: Number(row.base_value),
            basePeriod: row.base_period ?? '',
            annualGrowth: Number(row.annual_growth),
          },
  };
  return {
    ...definition,
    targetValue: targetValue(definition, indicatorInfo(row.indicator as IndicatorId).unit),
  };
}

/** Targets per indicator, division and period: a value, or a growth path from a base period. */
@Injectable()
export class TargetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly divisions: DivisionsRepository,
  ) {}

  async set(actor: Principal, input: SetTargetDto): Promise<TargetView> {
    assertWithinRegion(actor, input.divisionCode);
    const period = parseFixedPeriod(input.period);
    if (!period) {
      throw new ProblemException(
        422,
        'invalid-period',
        'Invalid period',
        `period ${input.period} is not a real day, month, quarter or year`,
      );
    }
    // null is "not given", as the optional fields' validation lets it through.
    if ((input.value == null) === (input.growth == null)) {
      throw new ProblemException(
        422,
        'target-needs-value-or-growth',
        'A target needs a value or a growth path',
        'Give exactly one of value (a fixed target) and growth {baseValue, basePeriod, annualGrowth}.',
      );
    }
    const { unit } = indicatorInfo(input.indicator as IndicatorId);
    const given = input.value ?? input.growth?.baseValue;
    if (WHOLE_UNITS.has(unit) && given != null && !Number.isInteger(given)) {
      throw new ProblemException(
        422,
        'target-not-whole',
        'Target not in whole units',
        `${input.indicator} is counted in whole ${unit === 'fen' ? 'fen (money is integer fen: ¥1.23 is 123)' : 'units'}; ${input.value != null ? 'value' : 'growth.baseValue'} ${given} is not a whole number.`,
      );
    }
    if (input.growth) {
      const base = parseFixedPeriod(input.growth.basePeriod);
      if (!base || base.kind !== period.kind || input.growth.basePeriod >= input.period) {
        throw new ProblemException(
          422,
          'invalid-growth-base',
          'Invalid growth base period',
          `growth.basePeriod ${input.growth.basePeriod} must be an earlier ${period.kind} than ${input.period}.`,
        );
      }
    }
    if (!(await this.divisions.byCodes([input.divisionCode])).has(input.divisionCode)) {
      throw new ProblemException(
        422,
        'division-not-found',
        'Division not known',
        `divisionCode ${input.divisionCode} is not a division known to analytics (统计用区划代码 from registry.divisions.v1), so no indicator can ever be measured against this target: check the 12-digit code, or have an administrator import or create the division in the registry first.`,
        { divisionCode: input.divisionCode },
      );
    }
    return this.dataSource.transaction(async (tx) => {
      const [before] = await tx.query<TargetRow[]>(
        'SELECT * FROM target WHERE indicator = $1 AND division_code = $2 AND period = $3 FOR UPDATE',
        [input.indicator, input.divisionCode, input.period],
      );
      const [row] = await tx.query<TargetRow[]>(
        `INSERT INTO target (indicator, division_code, period, value, base_value, base_period, annual_growth, set_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (indicator, division_code, period) DO UPDATE SET value = EXCLUDED.value,
           base_value = EXCLUDED.base_value, base_period = EXCLUDED.base_period,
           annual_growth = EXCLUDED.annual_growth, set_by = EXCLUDED.set_by, updated_at = now()
         RETURNING *`,
        [
          input.indicator,
          input.divisionCode,
          input.period,
          input.value ?? null,
          input.growth?.baseValue ?? null,
          input.growth?.basePeriod ?? null,
          input.growth?.annualGrowth ?? null,
          actor.subject,
        ],
      );
      const view = toView(row);
      await this.audit.record(tx, {
        action: before ? 'target.changed' : 'target.set',
        entityType: 'target',
        entityId: `${input.indicator}|${input.divisionCode}|${input.period}`,
        before: before ? toView(before) : null,
        after: view,
      });
      await markDirty(tx, [
        {
          source: 'targets',
          divisionCode: input.divisionCode,
          day: period.from,
          scope: `indicator:${input.indicator}`,
        },
      ]);
      return view;
    });
  }

  async list(
    actor: Principal,
    filter: { divisionCode?: string; indicator?: string },
  ): Promise<TargetView[]> {
    const rows = await this.dataSource.query<TargetRow[]>(
      `SELECT * FROM target
       WHERE division_code LIKE $1 || '%' AND ($2::text IS NULL OR division_code = $2)
         AND ($3::text IS NULL OR indicator = $3)
       ORDER BY indicator, division_code, period`,
      [regionPrefixOf(actor), filter.divisionCode ?? null, filter.indicator ?? null],
    );
    return rows.map(toView);
  }

  async remove(
    actor: Principal,
    indicator: string,
    divisionCode: string,
    period: string,
  ): Promise<void> {
    assertWithinRegion(actor, divisionCode);
    await this.dataSource.transaction(async (tx) => {
      const [before] = await tx.query<TargetRow[]>(
        `WITH removed AS (
           DELETE FROM target WHERE indicator = $1 AND division_code = $2 AND period = $3 RETURNING *
         )
         SELECT * FROM removed`,
        [indicator, divisionCode, period],
      );
      if (!before) {
        throw new ProblemException(
          404,
          'target-not-found',
          'Target not found',
          `No target for ${indicator} in ${divisionCode} for ${period}.`,
        );
      }
      await this.audit.record(tx, {
        action: 'target.removed',
        entityType: 'target',
        entityId: `${indicator}|${divisionCode}|${period}`,
        before: toView(before),
        after: null,
      });
      await markDirty(tx, [
        {
          source: 'targets',
          divisionCode,
          day: mustParse(period).from,
          scope: `indicator:${indicator}`,
        },
      ]);
    });
  }

  /** Targets for these (indicator, division, period) triples, keyed `indicator|division|period`. */
  async lookup(
    keys: { indicator: string; divisionCode: string; period: string }[],
  ): Promise<Map<string, TargetView>> {
    if (keys.length === 0) return new Map();
    const rows = await this.dataSource.query<TargetRow[]>(
      `SELECT t.* FROM target t
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(indicator, division_code, period)
         ON t.indicator = k.indicator AND t.division_code = k.division_code AND t.period = k.period`,
      [keys.map((k) => k.indicator), keys.map((k) => k.divisionCode), keys.map((k) => k.period)],
    );
    return new Map(
      rows.map((row) => [`${row.indicator}|${row.division_code}|${row.period}`, toView(row)]),
    );
  }

  /** Every target of a division (the publisher recomputes their attainment). */
  async ofDivision(divisionCode: string, indicator: string): Promise<TargetView[]> {
    const rows = await this.dataSource.query<TargetRow[]>(
      'SELECT * FROM target WHERE division_code = $1 AND indicator = $2',
      [divisionCode, indicator],
    );
    return rows.map(toView);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  IndicatorCellChanged,
  type EventDefinition,
  type IndicatorCellChangedV1,
} from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';
import { FundsEnv } from '../config';

const ENTERPRISE_SCOPE = /^enterprise:([0-9a-fA-F-]{36})$/;

/**
 * known_indicator_cell from analytics.indicators.v1: only enterprise-scoped cells (an
 * enterprise's own figures, e.g. retail_sales for subsidy sales thresholds); unscoped division
 * totals and other splits are ignored. The highest version per cell wins.
 */
@Injectable()
@RunsAsEventConsumer()
export class FundsIndicatorReadModelConsumer implements EventConsumer<IndicatorCellChangedV1> {
  readonly groupId = 'funds.indicator-read-model';
  readonly events: EventDefinition<IndicatorCellChangedV1>[];

  constructor(env: FundsEnv) {
    this.events = [indicatorDefinitionOn(env.INDICATORS_TOPIC)];
  }

  async handle(events: ConsumedEvent<IndicatorCellChangedV1>[], tx: EntityManager): Promise<void> {
    const latest = new Map<string, IndicatorCellChangedV1 & { enterpriseId: string }>();
    for (const { payload } of events) {
      const match = payload.scope ? ENTERPRISE_SCOPE.exec(payload.scope) : null;
      if (!match || payload.scope === null) continue;
      const key = `${payload.indicator}|${payload.divisionCode}|${payload.period}|${payload.scope}`;
      const current = latest.get(key);
      if (!current || payload.version > current.version) {
        latest.set(key, { ...payload, enterpriseId: match[1].toLowerCase() });
      }
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO known_indicator_cell AS c (indicator, division_code, period, scope, enterprise_id,
         value, version, computed_at)
       SELECT indicator, division, period, scope, enterprise, value, version, computed_at::timestamptz
       FROM unnest($1::text[], $2::char(12)[], $3::text[], $4::text[], $5::uuid[],
                   $6::double precision[], $7::int[], $8::text[])
         AS t(indicator, division, period, scope, enterprise, value, version, computed_at)
       ON CONFLICT (indicator, division_code, period, scope) DO UPDATE SET
         value = EXCLUDED.value, version = EXCLUDED.version, computed_at = EXCLUDED.computed_at
       WHERE EXCLUDED.version > c.version`,
      [
        rows.map((r) => r.indicator),
        rows.map((r) => r.divisionCode),
        rows.map((r) => r.period),
        rows.map((r) => r.scope),
        rows.map((r) => r.enterpriseId),
        rows.map((r) => r.value),
        rows.map((r) => r.version),
        rows.map((r) => r.computedAt),
      ],
    );
  }
}

/** The indicator event as read from a given topic: the declared one, or an isolated test's own. */
export function indicatorDefinitionOn(topicName: string): EventDefinition<IndicatorCellChangedV1> {
  return topicName === IndicatorCellChanged.topic.name
    ? IndicatorCellChanged
    : { ...IndicatorCellChanged, topic: { ...IndicatorCellChanged.topic, name: topicName } };
}

import { Injectable } from '@nestjs/common';
import {
  IndicatorCellChanged,
  type EventDefinition,
  type IndicatorCellChangedV1,
} from '@ecomlog/contracts';
import { defineSnapshotTable } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';
import { FundsEnv } from '../config';

const ENTERPRISE_SCOPE = /^enterprise:([0-9a-fA-F-]{36})$/;

/** The enterprise an `enterprise:<uuid>` scope names, or null for any other scope. */
function enterpriseOf(scope: string | null): string | null {
  const match = scope === null ? null : ENTERPRISE_SCOPE.exec(scope);
  return match ? match[1].toLowerCase() : null;
}

const KNOWN_INDICATOR_CELL = defineSnapshotTable<IndicatorCellChangedV1>({
  table: 'known_indicator_cell',
  key: ['indicator', 'division_code', 'period', 'scope'],
  columns: {
    indicator: { type: 'text', from: (c) => c.indicator },
    division_code: { type: 'char(12)', from: (c) => c.divisionCode },
    period: { type: 'text', from: (c) => c.period },
    scope: { type: 'text', from: (c) => c.scope },
    enterprise_id: { type: 'uuid', from: (c) => enterpriseOf(c.scope) },
    value: { type: 'double precision', from: (c) => c.value },
    version: { type: 'int', from: (c) => c.version },
    computed_at: { type: 'timestamptz', from: (c) => c.computedAt },
  },
});

/**
 * known_indicator_cell from analytics.indicators.v1: only enterprise-scoped cells (an
 * enterprise's own figures, e.g. retail_sales for subsidy sales thresholds); unscoped division
 * totals and other splits are ignored. The highest version per cell wins.
 */
@Injectable()
export class FundsIndicatorReadModelConsumer extends SnapshotReadModel(KNOWN_INDICATOR_CELL, {
  group: 'funds.indicator-read-model',
  events: (model: { readonly indicators: EventDefinition<IndicatorCellChangedV1>[] }) =>
    model.indicators,
}) {
  readonly indicators: EventDefinition<IndicatorCellChangedV1>[];

  constructor(env: FundsEnv) {
    super();
    this.indicators = [indicatorDefinitionOn(env.INDICATORS_TOPIC)];
  }

  protected override accepts(cell: IndicatorCellChangedV1): boolean {
    return enterpriseOf(cell.scope) !== null;
  }
}

/** The indicator event as read from a given topic: the declared one, or an isolated test's own. */
export function indicatorDefinitionOn(topicName: string): EventDefinition<IndicatorCellChangedV1> {
  return topicName === IndicatorCellChanged.topic.name
    ? IndicatorCellChanged
    : { ...IndicatorCellChanged, topic: { ...IndicatorCellChanged.topic, name: topicName } };
}

// Indicator cards (value, 同比, target and attainment) and the monthly / daily trend charts, kept
// current by the live feed.

import { api, describeError } from '../api.js';
import { h, showState } from '../dom.js';
import {
  concretePeriod,
  formatCount,
  formatPeriod,
  formatRatio,
  formatValue,
  formatYoy,
} from '../format.js';
import { indicatorName, language, t } from '../i18n.js';

/** The headline indicators, in the order officials asked for them. */
export const CARD_INDICATORS = [
  'retail_sales',
  'retail_sales_agricultural',
  'parcel_volume',
  'parcels_delivered',
  'delivery_hours_p50',
  'joint_distribution_share',
  'town_station_coverage',
  'village_express_coverage',
  'training_attendees',
  'funds_disbursement_rate',
];
const TREND_INDICATORS = ['retail_sales', 'parcel_volume'];
const UNITS = {
  retail_sales: 'fen',
  retail_sales_agricultural: 'fen',
  parcel_volume: 'count',
  parcels_delivered: 'count',
  delivery_hours_p50: 'hours',
  joint_distribution_share: 'ratio',
  town_station_coverage: 'ratio',
  village_express_coverage: 'ratio',
  training_attendees: 'count',
  funds_disbursement_rate: 'ratio',
};

function analyticsQuery(indicators, period, ou) {
  return `/api/analytics/v1/analytics?dx=${indicators.join(';')}&pe=${period}&ou=${ou}`;
}

export class OverviewView {
  constructor({ cards, message, retailChart, parcelsChart, granularityButtons }) {
    this.cardsElement = cards;
    this.message = message;
    this.chartElements = { retail_sales: retailChart, parcel_volume: parcelsChart };
    this.charts = {};
    this.granularity = 'month';
    this.rows = new Map();
    this.trend = { retail_sales: new Map(), parcel_volume: new Map() };
    this.catalogue = null;
    this.division = null;
    this.period = 'THIS_MONTH';
    this.loadSerial = 0;
    for (const button of granularityButtons) {
      button.addEventListener('click', () => {
        this.granularity = button.dataset.granularity;
        for (const other of granularityButtons) other.classList.toggle('active', other === button);
        void this.loadTrends();
      });
    }
    window.addEventListener('resize', () => Object.values(this.charts).forEach((c) => c.resize()));
  }

  async show(division, period) {
    this.division = division;
    this.period = period;
    const serial = ++this.loadSerial;
    this.rows.clear();
    this.lastError = null;
    this.trendError = null;
    this.renderMessage();
    // The cards stand at once, each saying it is loading, so the layout does not jump.
    this.loading = true;
    this.renderCards();
    if (!this.catalogue) {
      try {
        const answer = await api('/api/analytics/v1/indicators');
        this.catalogue = new Map((answer.items ?? []).map((item) => [item.id, item]));
      } catch {
        // Names fall back to the page's own dictionary; the cards say why numbers are missing.
      }
    }
    try {
      const answer = await api(analyticsQuery(CARD_INDICATORS, period, division.code));
      if (serial !== this.loadSerial) return;
      for (const row of answer.rows ?? []) {
        if (row.divisionCode !== division.code) continue;
        // A live cell that arrived while the query ran is newer than its answer: keep its value.
        const live = this.rows.get(row.indicator);
        this.rows.set(
          row.indicator,
          live
            ? {
                ...row,
                value: live.value,
                numerator: live.numerator,
                denominator: live.denominator,
              }
            : row,
        );
      }
    } catch (error) {
      if (serial !== this.loadSerial) return;
      this.lastError = error;
      this.renderMessage();
    }
    this.loading = false;
    this.renderCards();
    await this.loadTrends();
  }

  renderMessage() {
    this.message.textContent = this.lastError
      ? t('state.analyticsUnavailable', { detail: describeError(this.lastError) })
      : '';
    this.message.classList.toggle('error', Boolean(this.lastError));
  }

  /** The concrete period the cards show (from the answer when analytics said so). */
  cardPeriod() {
    // Only a concrete period (202611, 2026) can be matched against live cells.
    const fromRows = [...this.rows.values()]
      .map((row) => row.period)
      .find((period) => /^\d{4}(\d{2}(\d{2})?|Q[1-4])?$/.test(period ?? ''));
    return fromRows ?? concretePeriod(this.period);
  }

  renderCards() {
    const lang = language();
    this.cardsElement.replaceChildren(
      ...CARD_INDICATORS.map((id) => {
        const row = this.rows.get(id);
        const unit = row?.unit ?? UNITS[id];
        const target = row?.target ?? null;
        const attainment = target?.attainment ?? null;
        const details = [
          h('dt', {}, t('card.yoy')),
          h(
            'dd',
            { class: row?.yoy > 0 ? 'up' : row?.yoy < 0 ? 'down' : '', 'data-testid': `yoy-${id}` },
            formatYoy(row?.yoy ?? null, lang),
          ),
          h('dt', {}, t('card.target')),
          h('dd', {}, target ? formatValue(target.value, unit, lang) : t('card.noTarget')),
        ];
        if (target) {
          details.push(
            h('dt', {}, t('card.attainment')),
            h(
              'dd',
              { class: target.onTrack === false ? 'off-track' : 'on-track' },
              `${formatRatio(attainment, lang)} · ${t(target.onTrack === false ? 'card.offTrack' : 'card.onTrack')}`,
              h(
                'div',
                { class: 'progress', role: 'presentation' },
                h('span', {
                  style: `width:${Math.max(0, Math.min(100, (attainment ?? 0) * 100))}%`,
                }),
              ),
            ),
          );
        }
        const rank =
          row?.rank && row?.siblings
            ? h('p', { class: 'hint' }, t('card.rank', { rank: row.rank, siblings: row.siblings }))
            : null;
        return h(
          'article',
          { class: 'card indicator', 'data-testid': `card-${id}`, dataset: { indicator: id } },
          h('h3', {}, indicatorName(id, this.catalogue)),
          h(
            'div',
            {
              class: 'value',
              'data-testid': `value-${id}`,
              'aria-busy': this.loading && !row ? 'true' : undefined,
            },
            this.loading && !row ? t('state.loading') : formatValue(row?.value ?? null, unit, lang),
          ),
          h('p', { class: 'hint' }, formatPeriod(this.cardPeriod(), lang)),
          h('dl', {}, details),
          rank,
        );
      }),
    );
  }

  async loadTrends() {
    if (!this.division) return;
    const period = this.granularity === 'month' ? 'LAST_12_MONTHS' : 'LAST_30_DAYS';
    for (const id of TREND_INDICATORS) this.trend[id].clear();
    this.trendError = null;
    try {
      const answer = await api(analyticsQuery(TREND_INDICATORS, period, this.division.code));
      for (const row of answer.rows ?? []) {
        if (row.divisionCode === this.division.code && this.trend[row.indicator])
          this.trend[row.indicator].set(row.period, row.value);
      }
      this.renderCharts();
    } catch (error) {
      this.trendError = error;
      this.renderTrendError();
    }
  }

  renderTrendError() {
    for (const element of Object.values(this.chartElements)) {
      this.disposeChart(element);
      showState(
        element,
        'error',
        t('state.analyticsUnavailable', { detail: describeError(this.trendError) }),
      );
    }
  }

  disposeChart(element) {
    const id = Object.keys(this.chartElements).find((key) => this.chartElements[key] === element);
    this.charts[id]?.dispose();
    delete this.charts[id];
  }

  renderCharts() {
    const lang = language();
    for (const id of TREND_INDICATORS) {
      const element = this.chartElements[id];
      const points = [...this.trend[id].entries()].sort(([a], [b]) => a.localeCompare(b));
      if (points.length === 0 || points.every(([, value]) => value === null)) {
        this.disposeChart(element);
        showState(element, 'empty', t('state.empty'));
        continue;
      }
      if (typeof globalThis.echarts === 'undefined') {
        showState(element, 'error', t('state.error', { detail: 'ECharts did not load' }));
        continue;
      }
      if (!this.charts[id]) {
        element.replaceChildren();
        this.charts[id] = globalThis.echarts.init(element, null, { renderer: 'svg' });
      }
      const money = id === 'retail_sales';
      const unitLabel = money ? t('trend.unit.wan') : t('trend.unit.pieces');
      this.charts[id].setOption(
        {
          animation: false,
          grid: { left: 64, right: 16, top: 28, bottom: 40 },
          tooltip: {
            trigger: 'axis',
            valueFormatter: (value) =>
              value === null || value === undefined
                ? '—'
                : money
                  ? `${formatCount(Math.round(value * 100) / 100, lang)} ${unitLabel}`
                  : `${formatCount(value, lang)} ${unitLabel}`,
          },
          xAxis: {
            type: 'category',
            data: points.map(([period]) => formatPeriod(period, lang)),
          },
          yAxis: { type: 'value', name: unitLabel },
          series: [
            {
              name: indicatorName(id, this.catalogue),
              type: this.granularity === 'month' ? 'bar' : 'line',
              data: points.map(([, value]) =>
                value === null ? null : money ? value / 100 / 1e4 : value,
              ),
              itemStyle: { color: money ? '#b3261e' : '#1a5fb4' },
            },
          ],
        },
        { notMerge: true },
      );
    }
  }

  /** A changed cell from the live feed: update its card and its trend point if they are shown. */
  applyCell(cell) {
    if (!this.division || cell.scope !== null || cell.divisionCode !== this.division.code) return;
    if (CARD_INDICATORS.includes(cell.indicator) && cell.period === this.cardPeriod()) {
      const previous = this.rows.get(cell.indicator);
      const previousYearValue = previous?.previousYearValue ?? null;
      const yoy =
        previousYearValue && cell.value !== null
          ? (cell.value - previousYearValue) / previousYearValue
          : (previous?.yoy ?? null);
      const target = previous?.target
        ? {
            ...previous.target,
            attainment:
              cell.value !== null && previous.target.value
                ? cell.value / previous.target.value
                : previous.target.attainment,
          }
        : null;
      this.rows.set(cell.indicator, {
        ...previous,
        indicator: cell.indicator,
        divisionCode: cell.divisionCode,
        period: cell.period,
        value: cell.value,
        unit: cell.unit,
        numerator: cell.numerator,
        denominator: cell.denominator,
        yoy,
        target,
      });
      this.renderCards();
      const value = this.cardsElement.querySelector(`[data-testid="value-${cell.indicator}"]`);
      value?.classList.add('flash');
      requestAnimationFrame(() => requestAnimationFrame(() => value?.classList.remove('flash')));
    }
    const series = this.trend[cell.indicator];
    const trendShape = this.granularity === 'month' ? /^\d{6}$/ : /^\d{8}$/;
    if (series && trendShape.test(cell.period) && (series.has(cell.period) || series.size > 0)) {
      series.set(cell.period, cell.value);
      this.renderCharts();
    }
  }

  relabel() {
    this.renderMessage();
    this.renderCards();
    if (this.trendError) this.renderTrendError();
    else if (Object.values(this.trend).some((series) => series.size > 0)) this.renderCharts();
  }
}

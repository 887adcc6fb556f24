// 补白: the towns and villages of the chosen region still without a station, a service point or
// express delivery, with the coverage ratios (from the sites service).

import { api } from '../api.js';
import { h, showState } from '../dom.js';
import { formatCount, formatDay, formatRatio } from '../format.js';
import { language, t } from '../i18n.js';

const BLOCKS = [
  ['towns', 'coverage.towns'],
  ['villagePoints', 'coverage.villagePoints'],
  ['villageExpress', 'coverage.villageExpress'],
];

export class CoverageView {
  constructor(container) {
    this.container = container;
    this.answer = null;
    this.serial = 0;
  }

  async show(division) {
    const serial = ++this.serial;
    this.answer = null;
    showState(this.container, 'loading', t('state.loading'));
    try {
      const answer = await api(`/api/sites/v1/coverage/gaps?region=${division.code}`);
      if (serial !== this.serial) return;
      this.answer = answer;
      this.render();
    } catch (error) {
      if (serial !== this.serial) return;
      showState(this.container, 'error', t('state.error', { detail: error.message }));
    }
  }

  render() {
    if (!this.answer) return;
    const lang = language();
    const { asOf, region } = this.answer;
    this.container.replaceChildren(
      h(
        'p',
        { class: 'hint' },
        `${region.name} · ${t('coverage.asOf', { date: formatDay(asOf, lang) })}`,
      ),
      h(
        'div',
        { class: 'coverage-grid' },
        BLOCKS.map(([field, title]) => {
          const block = this.answer[field];
          const gaps = block.gaps ?? [];
          let list;
          if (block.total === 0)
            list = h(
              'p',
              { class: 'state', dataset: { state: 'empty' } },
              t('coverage.nothingToCover'),
            );
          else if (gaps.length === 0)
            list = h(
              'p',
              { class: 'state on-track', dataset: { state: 'empty' } },
              t('coverage.allCovered'),
            );
          else
            list = h(
              'div',
              { class: 'gap-list' },
              h(
                'table',
                { 'data-testid': `gaps-${field}` },
                h(
                  'thead',
                  {},
                  h('tr', {}, h('th', {}, t('coverage.name')), h('th', {}, t('coverage.code'))),
                ),
                h(
                  'tbody',
                  {},
                  gaps.map((gap) => h('tr', {}, h('td', {}, gap.name), h('td', {}, gap.code))),
                ),
              ),
            );
          return h(
            'section',
            { class: 'card coverage-block', 'data-testid': `coverage-${field}` },
            h('h3', {}, t(title)),
            h(
              'div',
              { class: 'ratio' },
              `${t('coverage.ratio')} ${formatRatio(block.ratio, lang)}`,
            ),
            h(
              'p',
              { class: 'hint' },
              t('coverage.covered', {
                covered: formatCount(block.covered, lang),
                total: formatCount(block.total, lang),
              }),
            ),
            list,
          );
        }),
      ),
    );
  }
}

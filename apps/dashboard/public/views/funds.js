// Fund programs (专项资金): allocated, disbursed and the disbursement rate per program, with the
// status of their contracts' tranches (funds service), and the year's totals (analytics).

import { api, describeError, listAll } from '../api.js';
import { h, showState } from '../dom.js';
import { formatFen, formatRatio } from '../format.js';
import { language, t } from '../i18n.js';
import { divisionPrefix } from '../region-prefix.js';

const TRANCHE_STATUS = {
  scheduled: ['待拨付', 'scheduled'],
  requested: ['已申请', 'requested'],
  paid: ['已拨付', 'paid'],
};

function trancheLabel(status) {
  const names = TRANCHE_STATUS[status];
  return names ? names[language() === 'zh' ? 0 : 1] : status;
}

/** Tranches of a program, from whatever the funds service nests in it (contracts or tranches). */
function tranchesOf(program) {
  if (Array.isArray(program.tranches)) return program.tranches;
  if (Array.isArray(program.contracts)) return program.contracts.flatMap((c) => c.tranches ?? []);
  return [];
}

export class FundsView {
  constructor(container) {
    this.container = container;
    this.serial = 0;
    this.programs = null;
    this.totals = null;
    this.programsError = null;
    this.totalsError = null;
  }

  async show(division) {
    const serial = ++this.serial;
    showState(this.container, 'loading', t('state.loading'));
    const [programs, totals] = await Promise.allSettled([
      listAll(`/api/funds/v1/programs?divisionPrefix=${divisionPrefix(division.code)}`),
      api(
        `/api/analytics/v1/analytics?dx=funds_allocated;funds_disbursed;funds_disbursement_rate&pe=THIS_YEAR&ou=${division.code}`,
      ),
    ]);
    if (serial !== this.serial) return;
    this.programs = programs.status === 'fulfilled' ? programs.value : null;
    this.programsError = programs.status === 'rejected' ? programs.reason : null;
    this.totals =
      totals.status === 'fulfilled'
        ? new Map(
            (totals.value.rows ?? [])
              .filter((row) => row.divisionCode === division.code)
              .map((row) => [row.indicator, row.value]),
          )
        : null;
    this.render();
  }

  render() {
    const lang = language();
    const parts = [];
    if (this.totals) {
      parts.push(
        h(
          'section',
          { class: 'card', 'data-testid': 'funds-totals' },
          h('h3', {}, t('funds.totals')),
          h(
            'dl',
            { class: 'facts' },
            h(
              'div',
              {},
              h('dt', {}, t('funds.allocated')),
              h('dd', {}, formatFen(this.totals.get('funds_allocated') ?? null, lang)),
            ),
            h(
              'div',
              {},
              h('dt', {}, t('funds.disbursed')),
              h('dd', {}, formatFen(this.totals.get('funds_disbursed') ?? null, lang)),
            ),
            h(
              'div',
              {},
              h('dt', {}, t('funds.rate')),
              h('dd', {}, formatRatio(this.totals.get('funds_disbursement_rate') ?? null, lang)),
            ),
          ),
        ),
      );
    }
    if (this.programsError) {
      parts.push(
        h(
          'p',
          { class: 'error', role: 'status', dataset: { state: 'error' } },
          t('funds.unavailable', { detail: describeError(this.programsError) }),
        ),
      );
    } else if (!this.programs || this.programs.length === 0) {
      parts.push(h('p', { class: 'state', dataset: { state: 'empty' } }, t('funds.none')));
    } else {
      parts.push(
        h(
          'table',
          { 'data-testid': 'funds-programs' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('funds.program')),
              h('th', { class: 'num' }, t('funds.allocated')),
              h('th', { class: 'num' }, t('funds.disbursed')),
              h('th', { class: 'num' }, t('funds.rate')),
              h('th', {}, t('funds.tranches')),
            ),
          ),
          h(
            'tbody',
            {},
            this.programs.map((program) => {
              const counts = new Map();
              for (const tranche of tranchesOf(program))
                counts.set(tranche.status, (counts.get(tranche.status) ?? 0) + 1);
              return h(
                'tr',
                {},
                h('td', {}, `${program.name}（${program.year ?? ''}）`),
                h('td', { class: 'num' }, formatFen(program.allocatedFen ?? null, lang)),
                h('td', { class: 'num' }, formatFen(program.disbursedFen ?? null, lang)),
                h('td', { class: 'num' }, formatRatio(program.disbursementRate ?? null, lang)),
                h(
                  'td',
                  {},
                  counts.size === 0
                    ? '—'
                    : [...counts].map(([status, n]) =>
                        h('span', { class: 'badge' }, `${trancheLabel(status)} ${n}`),
                      ),
                ),
              );
            }),
          ),
        ),
      );
    }
    this.container.replaceChildren(...parts);
  }
}

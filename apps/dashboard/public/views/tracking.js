// Parcel tracking by carrier and waybill number (from the parcels service).

import { api } from '../api.js';
import { h, showState } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';

const WAYBILL = /^[A-Za-z0-9-]{4,40}$/;

function statusLabel(status) {
  const key = `status.${status}`;
  const text = t(key);
  return text === key ? status : text;
}

export class TrackingView {
  constructor(form, container) {
    this.form = form;
    this.container = container;
    this.view = null;
    this.showPrompt();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      void this.lookUp(String(data.get('carrier')), String(data.get('waybill')).trim());
    });
  }

  showPrompt() {
    showState(this.container, 'empty', t('tracking.prompt'));
  }

  async lookUp(carrier, waybillNo) {
    if (!WAYBILL.test(waybillNo)) {
      showState(this.container, 'error', t('tracking.invalid'));
      return;
    }
    this.view = null;
    showState(this.container, 'loading', t('state.loading'));
    try {
      this.view = await api(
        `/api/parcels/v1/parcels/${encodeURIComponent(carrier)}/${encodeURIComponent(waybillNo)}`,
      );
      this.render();
    } catch (error) {
      showState(this.container, 'error', t('state.error', { detail: error.message }));
    }
  }

  render() {
    if (!this.view) {
      if (this.container.querySelector('[data-state="empty"]')) this.showPrompt();
      return;
    }
    const { state, scans, carrier, waybillNo } = this.view;
    const fact = (label, value, testid) =>
      h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': testid }, value ?? '—'));
    this.container.replaceChildren(
      h('h3', {}, `${carrier} ${waybillNo}`),
      h(
        'dl',
        { class: 'facts' },
        fact(t('tracking.status'), statusLabel(state.status), 'tracking-status'),
        fact(t('tracking.pickedUpAt'), formatDateTime(state.pickedUpAt)),
        fact(t('tracking.deliveredAt'), formatDateTime(state.deliveredAt)),
        fact(t('tracking.origin'), state.originDivisionCode ?? state.origin, 'tracking-origin'),
        fact(t('tracking.destination'), state.destinationDivisionCode ?? state.destination),
        fact(t('tracking.joint'), state.jointlyDistributed ? t('tracking.yes') : t('tracking.no')),
      ),
      h('h3', {}, t('tracking.scans')),
      scans.length === 0
        ? h('p', { class: 'state' }, t('tracking.noScans'))
        : h(
            'table',
            { 'data-testid': 'tracking-scans' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('tracking.time')),
                h('th', {}, t('tracking.status')),
                h('th', {}, t('tracking.code')),
                h('th', {}, t('tracking.place')),
              ),
            ),
            h(
              'tbody',
              {},
              [...scans]
                .reverse()
                .map((scan) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, formatDateTime(scan.occurredAt)),
                    h('td', {}, statusLabel(scan.status)),
                    h('td', {}, scan.statusCode),
                    h('td', {}, scan.siteId ?? scan.divisionCode ?? '—'),
                  ),
                ),
            ),
          ),
    );
  }
}

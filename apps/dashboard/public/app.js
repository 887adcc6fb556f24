// The dashboard page: login, region and period, four views, and the live feed.

import { api, storedToken, storeToken, whenUnauthorized } from './api.js';
import { language, setLanguage, t, translatePage } from './i18n.js';
import { h } from './dom.js';
import { formatDateTime } from './format.js';
import { connectLive } from './live.js';
import { RegionPicker } from './region-picker.js';
import { OverviewView } from './views/overview.js';
import { CoverageView } from './views/coverage.js';
import { TrackingView } from './views/tracking.js';
import { FundsView } from './views/funds.js';

const $ = (selector) => document.querySelector(selector);

/** The views, each a tab button (labelled tab.<name> in i18n.js) and a section#panel-<name>. */
const TABS = ['overview', 'coverage', 'tracking', 'funds'];
$('.tabs').append(
  ...TABS.map((tab) =>
    h('button', {
      type: 'button',
      role: 'tab',
      'data-tab': tab,
      'data-testid': `tab-${tab}`,
      'data-i18n': `tab.${tab}`,
    }),
  ),
);

const state = {
  session: null,
  division: null,
  period: 'THIS_MONTH',
  tab: 'overview',
  stopLive: null,
  liveState: ['connecting'],
  lastUpdate: null,
};

const overview = new OverviewView({
  cards: $('#cards'),
  message: $('#overview-message'),
  retailChart: $('#chart-retail'),
  parcelsChart: $('#chart-parcels'),
  granularityButtons: [...document.querySelectorAll('[data-granularity]')],
});
const coverage = new CoverageView($('#coverage'));
const tracking = new TrackingView($('#tracking-form'), $('#tracking-result'));
const funds = new FundsView($('#funds'));
const picker = new RegionPicker({
  trail: $('#region-trail'),
  select: $('#region-select'),
  onChange: (division) => selectDivision(division),
});

function renderSession() {
  const info = $('#session-info');
  if (!state.session) {
    info.hidden = true;
    $('#logout').hidden = true;
    return;
  }
  const { roles, regionPrefix, subject } = state.session;
  const roleNames = roles.map((role) => t(`role.${role}`)).join('、') || '—';
  const colon = t('punctuation.colon');
  info.textContent = `${state.session.username ?? subject} · ${t('session.roles')}${colon}${roleNames} · ${t('session.region')}${colon}${regionPrefix || t('session.nationwide')}`;
  info.hidden = false;
  $('#logout').hidden = false;
}

function renderLiveStatus() {
  const element = $('#live-status');
  const [kind, seconds] = state.liveState;
  element.classList.toggle('connected', kind === 'connected');
  if (!state.session) {
    element.textContent = '';
    return;
  }
  let text =
    kind === 'connected'
      ? t('live.connected')
      : kind === 'retrying'
        ? t('live.reconnecting', { seconds })
        : t('live.connecting');
  if (state.lastUpdate)
    text += ` · ${t('live.updated', { time: formatDateTime(state.lastUpdate).slice(11) })}`;
  element.textContent = text;
}

function showTab(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === tab));
  }
  for (const name of TABS) {
    $(`#panel-${name}`).hidden = name !== tab;
  }
  if (!state.division) return;
  if (tab === 'coverage') void coverage.show(state.division);
  if (tab === 'funds') void funds.show(state.division);
  if (tab === 'overview') overview.relabel();
}

function selectDivision(division) {
  state.division = division;
  void overview.show(division, state.period);
  if (state.tab === 'coverage') void coverage.show(division);
  if (state.tab === 'funds') void funds.show(division);
  state.stopLive?.();
  state.stopLive = connectLive(division.code, storedToken(), {
    onCell: (cell) => {
      state.lastUpdate = new Date().toISOString();
      overview.applyCell(cell);
      renderLiveStatus();
    },
    onStatus: (kind, seconds) => {
      state.liveState = [kind, seconds];
      renderLiveStatus();
    },
  });
}

async function enterDashboard() {
  const session = await api('/api/session');
  state.session = { ...session, username: sessionStorage.getItem('ecomlog.username') };
  $('#login-view').hidden = true;
  $('#dashboard-view').hidden = false;
  renderSession();
  renderLiveStatus();
  showTab(state.tab);
  await picker.start(session.regionPrefix);
}

function showLogin(message = '') {
  state.stopLive?.();
  state.stopLive = null;
  state.session = null;
  storeToken(null);
  renderSession();
  renderLiveStatus();
  $('#dashboard-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
}

whenUnauthorized(() => showLogin(t('session.expired')));

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  submit.textContent = t('login.busy');
  $('#login-error').textContent = '';
  try {
    const answer = await api('/api/registry/v1/auth/login', {
      method: 'POST',
      auth: false,
      body: { username: String(data.get('username')), password: String(data.get('password')) },
    });
    storeToken(answer.access_token);
    sessionStorage.setItem('ecomlog.username', String(data.get('username')));
    form.reset();
    await enterDashboard();
  } catch (error) {
    $('#login-error').textContent = t('login.failed', { detail: error.message });
  } finally {
    submit.disabled = false;
    submit.textContent = t('login.submit');
  }
});

$('#logout').addEventListener('click', () => showLogin());

$('#lang-toggle').addEventListener('click', () => {
  setLanguage(language() === 'zh' ? 'en' : 'zh');
  translatePage();
  renderSession();
  renderLiveStatus();
  picker.relabel();
  overview.relabel();
  coverage.render();
  tracking.render();
  if (funds.programs || funds.programsError) funds.render();
});

$('#period-select').addEventListener('change', (event) => {
  state.period = event.currentTarget.value;
  if (state.division) void overview.show(state.division, state.period);
});

for (const button of document.querySelectorAll('[data-tab]')) {
  button.addEventListener('click', () => showTab(button.dataset.tab));
}

translatePage();
if (storedToken()) {
  enterDashboard().catch((error) => showLogin(t('state.error', { detail: error.message })));
} else {
  showLogin();
}

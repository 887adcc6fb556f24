// Walks the division tree from the official's region down: a trail of the divisions above the
// current one (each a button back up, never above the region) and a list of its children.

import { api, listAll } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** The 12-digit code a region prefix stands for: '370982' → '370982000000'. */
export function regionRootCode(prefix) {
  return prefix ? prefix.padEnd(12, '0') : '';
}

export class RegionPicker {
  constructor({ trail, select, onChange }) {
    this.trail = trail;
    this.select = select;
    this.onChange = onChange;
    this.path = [];
    this.select.addEventListener('change', () => {
      const option = this.select.selectedOptions[0];
      if (option?.value) void this.enter({ code: option.value, name: option.dataset.name });
    });
  }

  get current() {
    return this.path.at(-1) ?? null;
  }

  /** Starts at the official's region ('' = nationwide: the provinces are the choices). */
  async start(regionPrefix) {
    const root = regionRootCode(regionPrefix);
    if (root) {
      const division = await api(`/api/registry/v1/divisions/${root}`);
      this.path = [{ code: division.code, name: division.name }];
    } else {
      this.path = [];
    }
    await this.refresh();
  }

  async enter(division) {
    this.path.push(division);
    await this.refresh();
  }

  async goTo(index) {
    this.path = this.path.slice(0, index + 1);
    await this.refresh();
  }

  async refresh() {
    this.renderTrail();
    this.select.replaceChildren(h('option', { value: '' }, t('region.loading')));
    this.select.disabled = true;
    const current = this.current;
    if (current) this.onChange(current);
    try {
      const children = current
        ? await listAll(`/api/registry/v1/divisions/${current.code}/children`)
        : await listAll('/api/registry/v1/divisions?level=province');
      const usable = children.filter(
        (child) => child.status !== 'retired' && child.status !== 'merged',
      );
      this.select.replaceChildren(
        h('option', { value: '' }, usable.length ? t('region.choose') : t('region.noChildren')),
        ...usable.map((child) =>
          h(
            'option',
            { value: child.code, dataset: { name: child.name } },
            `${child.name}（${child.code}）`,
          ),
        ),
      );
      this.select.disabled = usable.length === 0;
    } catch (error) {
      this.select.replaceChildren(
        h('option', { value: '' }, t('state.error', { detail: error.message })),
      );
    }
  }

  /** After a language switch: the trail and the list's first line (names are Chinese anyway). */
  relabel() {
    this.renderTrail();
    const first = this.select.options[0];
    if (first && first.value === '' && !this.select.disabled)
      first.textContent = t('region.choose');
    else if (first && first.value === '' && this.select.options.length === 1)
      first.textContent = t('region.noChildren');
  }

  renderTrail() {
    this.trail.replaceChildren(
      ...this.path.map((division, index) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'aria-current': index === this.path.length - 1 ? 'location' : undefined,
              'data-testid': index === this.path.length - 1 ? 'region-current' : undefined,
              onclick: () => {
                if (index < this.path.length - 1) void this.goTo(index);
              },
            },
            division.name,
          ),
        ),
      ),
    );
  }
}

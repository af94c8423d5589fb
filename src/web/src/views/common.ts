import { h, formatNumber } from '../dom.ts';
import { t, type MessageKey } from '../i18n.ts';
import { arr, idOf, obj, str, type Json } from '../context.ts';
import { STATES } from '../states.ts';

export function stateSelect(id: string, selected?: string, onlyImb = true, includeAll = true): HTMLSelectElement {
  return h(
    'select',
    { id },
    includeAll ? h('option', { value: '' }, t('filter.all')) : null,
    STATES.filter((s) => !onlyImb || s.imb).map((s) => h('option', { value: s.code, selected: s.code === selected }, `${s.code} · ${s.name}`)),
  );
}

export function kpiGrid(entries: [MessageKey, unknown, number?][]): HTMLElement {
  return h(
    'div',
    { class: 'kpis' },
    entries
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v, digits]) => h('div', { class: 'kpi', dataset: { kpi: k } }, h('div', { class: 'v' }, typeof v === 'number' ? formatNumber(v, digits ?? 0) : str(v)), h('div', { class: 'k' }, t(k)))),
  );
}

export function table(headers: (string | { text: string; num?: boolean })[], rows: (Node | string | number)[][], attrs: Record<string, unknown> = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attrs,
      h('thead', null, h('tr', null, headers.map((x) => (typeof x === 'string' ? h('th', { scope: 'col' }, x) : h('th', { scope: 'col', class: x.num ? 'num' : undefined }, x.text))))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c) => h('td', { class: typeof c === 'number' ? 'num' : undefined }, typeof c === 'number' ? formatNumber(c) : c))))),
    ),
  );
}

/** Plan ids this browser created, per round: a fallback when a round does not list its plans. */
const PLAN_KEY = 'rutas.planByRound';
export function rememberPlan(roundId: string, planId: string): void {
  const map = JSON.parse(localStorage.getItem(PLAN_KEY) ?? '{}') as Record<string, string>;
  map[roundId] = planId;
  localStorage.setItem(PLAN_KEY, JSON.stringify(map));
}

/** The current plan of a round, from whatever the round document says about its plans. */
export function planIdOf(round: Json): string | undefined {
  const direct = str(round.planId, '') || str(round.currentPlanId, '') || str(round.latestPlanId, '') || idOf(round.plan) || idOf(round.currentPlan);
  if (direct) return direct;
  const plans = arr(round.plans);
  if (plans.length > 0) {
    const last = plans[plans.length - 1];
    return typeof last === 'string' ? last : idOf(last) || undefined;
  }
  const map = JSON.parse(localStorage.getItem(PLAN_KEY) ?? '{}') as Record<string, string>;
  return map[idOf(round)];
}

export function roundsOf(value: unknown): Json[] {
  return arr(Array.isArray(value) ? value : (obj(value).items ?? obj(value).rounds));
}

export function dateOnly(value: unknown): string {
  const s = str(value, '');
  return s ? s.slice(0, 10) : '—';
}

/** "HH:MM" from an ISO time or minutes after midnight. */
export function clock(value: unknown): string {
  if (typeof value === 'number') {
    const m = Math.round(value);
    return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  }
  const s = str(value, '');
  const match = /T(\d{2}:\d{2})/.exec(s) ?? /^(\d{2}:\d{2})/.exec(s);
  return match ? match[1] : s || '—';
}

/** Minutes after midnight from an ISO time (local clock as written) or a number. */
export function minutesOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value % 1440;
  const match = /(?:T|^)(\d{2}):(\d{2})/.exec(str(value, ''));
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

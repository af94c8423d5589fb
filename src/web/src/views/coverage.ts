import { h } from '../dom.ts';
import { t } from '../i18n.ts';
import { arr, obj, section, stateOf, str, num, type Json, type ViewContext } from '../context.ts';
import { dateOnly, table } from './common.ts';

export async function coverageView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const month = h('input', { type: 'month', id: 'cov-month', value: params[0] ?? new Date().toISOString().slice(0, 7) });
  const slot = h('div', { id: 'coverage' });
  const form = h('form', { class: 'card row no-print' }, h('label', null, t('coverage.month'), month), h('button', { type: 'submit', class: 'primary' }, t('coverage.load')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/coverage/${month.value}`);
  });
  root.append(h('h1', null, t('coverage.title')), form, slot);
  await section(slot, 'GET /api/v1/coverage', async () => {
    const report = obj(await ctx.api.get(`coverage?month=${encodeURIComponent(month.value)}`, ctx.signal));
    const states = arr(report.states);
    const national = obj(report.summary);
    const units = arr(report.units ?? report.items);
    const counts = (row: Json): number[] => ['units', 'covered', 'delivered', 'planned', 'notDelivered', 'uncovered'].map((k) => num(row[k]) ?? 0);
    const headers = [t('national.state'), { text: t('coverage.units'), num: true }, { text: t('coverage.covered'), num: true }, { text: t('legend.delivered'), num: true }, { text: t('legend.planned'), num: true }, { text: t('legend.notDelivered'), num: true }, { text: t('legend.uncovered'), num: true }];
    return h(
      'div',
      null,
      h(
        'section',
        { class: 'card' },
        h('h2', null, t('coverage.summary')),
        table(headers, [...states.map((row) => [stateOf(row.state).name, ...counts(row)]), [t('national.total'), ...counts(national)]], { id: 'coverage-summary', dataset: { uncovered: String(num(national.uncovered) ?? '') } }),
      ),
      unitList(units),
    );
  });
}

const PAGE = 200;

/** Units with their status, filtered by status, shown 200 at a time (a month has ~9,600). */
function unitList(units: Json[]): HTMLElement {
  const status = h(
    'select',
    { id: 'cov-status' },
    h('option', { value: '' }, t('filter.all')),
    ['delivered', 'planned', 'not-delivered', 'uncovered'].map((v) => h('option', { value: v }, statusLabel(v))),
  );
  const slot = h('div');
  const more = h('button', { type: 'button', class: 'secondary', id: 'cov-more' }, t('coverage.more'));
  let shown = PAGE;
  const draw = (): void => {
    const chosen = units.filter((u) => !status.value || u.status === status.value);
    slot.replaceChildren(
      table(
        ['CLUES', t('coverage.unit'), t('national.state'), t('coverage.date'), t('coverage.kind'), t('coverage.reason')],
        chosen.slice(0, shown).map((u) => [str(u.clues), str(u.name), stateOf(u.state).name, dateOnly(u.date), statusLabel(str(u.status, '')), [str(u.reason, ''), str(u.detail, '')].filter(Boolean).join(' — ')]),
        { id: 'coverage-units', dataset: { total: String(chosen.length) } },
      ),
    );
    more.hidden = chosen.length <= shown;
  };
  status.addEventListener('change', () => {
    shown = PAGE;
    draw();
  });
  more.addEventListener('click', () => {
    shown += PAGE;
    draw();
  });
  draw();
  return h('section', { class: 'card' }, h('h2', null, `${t('coverage.unit')} (${units.length})`), h('div', { class: 'row no-print' }, h('label', null, t('coverage.kind'), status)), slot, more);
}

function statusLabel(status: string): string {
  const key = { delivered: 'legend.delivered', planned: 'legend.planned', 'not-delivered': 'legend.notDelivered', uncovered: 'legend.uncovered' }[status];
  return key ? t(key as 'legend.delivered') : status;
}

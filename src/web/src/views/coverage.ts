import { h } from '../dom.ts';
import { t } from '../i18n.ts';
import { arr, obj, section, stateOf, str, num, type ViewContext } from '../context.ts';
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
    const summary = arr(report.summary ?? report.states ?? report.byState);
    const units = arr(report.units ?? report.items);
    return h(
      'div',
      null,
      h('section', { class: 'card' }, h('h2', null, t('coverage.summary')), table(
        [t('national.state'), ...Object.keys(obj(summary[0])).filter((k) => k !== 'state' && k !== 'code' && k !== 'name')],
        summary.map((row) => [stateOf(row.state ?? row).name || str(row.name), ...Object.entries(row).filter(([k]) => k !== 'state' && k !== 'code' && k !== 'name').map(([, v]) => (typeof v === 'number' ? v : str(v)))]),
        { id: 'coverage-summary' },
      )),
      h('section', { class: 'card' }, h('h2', null, `${t('coverage.unit')} (${units.length})`), table(
        ['CLUES', t('coverage.unit'), t('national.state'), t('coverage.date'), t('coverage.kind'), t('coverage.reason')],
        units.slice(0, 2000).map((u) => {
          const actual = u.actualDate ?? u.deliveredAt;
          const planned = u.plannedDate;
          return [str(u.clues), str(u.name), stateOf(u.state).name, dateOnly(actual ?? planned), actual ? t('coverage.actual') : planned ? t('coverage.planned') : t('coverage.none'), str(u.reason, '')];
        }),
        { id: 'coverage-units', dataset: { total: String(num(report.total) ?? units.length) } },
      )),
    );
  });
}

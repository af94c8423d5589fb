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
      h(
        'section',
        { class: 'card' },
        h('h2', null, `${t('coverage.unit')} (${units.length})`),
        table(
          ['CLUES', t('coverage.unit'), t('national.state'), t('coverage.date'), t('coverage.kind'), t('coverage.reason')],
          units.slice(0, 2000).map((u) => [str(u.clues), str(u.name), stateOf(u.state).name, dateOnly(u.date), str(u.status), [str(u.reason, ''), str(u.detail, '')].filter(Boolean).join(' — ')]),
          { id: 'coverage-units' },
        ),
      ),
    );
  });
}

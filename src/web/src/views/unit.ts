import { ApiError, fetchAll, itemsOf, newKey } from '../api.ts';
import { formatNumber, h, s, toast } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { arr, idOf, num, obj, problemNotice, section, str, type Json, type ViewContext } from '../context.ts';
import { table } from './common.ts';

/** The stock-report line fields of the API (StockReportLine), in form order. */
const FIELDS = ['soh', 'consumed', 'received', 'adjustments', 'stockoutDays'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_LABEL: Record<Field, Parameters<typeof t>[0]> = {
  soh: 'unit.soh',
  consumed: 'unit.consumed',
  received: 'unit.received',
  adjustments: 'unit.losses',
  stockoutDays: 'unit.stockoutDays',
};

interface Draft {
  key: string;
  period: string;
  values: Record<string, Partial<Record<Field, string>>>;
  submittedId?: string;
}

function draftKey(clues: string): string {
  return `rutas.stockDraft.${clues}`;
}

function previousMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return d.toISOString().slice(0, 7);
}

/** The draft lives in localStorage with its idempotency key: a resend is the same request. */
function loadDraft(clues: string): Draft {
  const raw = localStorage.getItem(draftKey(clues));
  if (raw) {
    try {
      return JSON.parse(raw) as Draft;
    } catch {
      // A corrupt draft is replaced by a new one.
    }
  }
  return { key: newKey(), period: previousMonth(), values: {} };
}

function saveDraft(clues: string, draft: Draft): void {
  localStorage.setItem(draftKey(clues), JSON.stringify(draft));
}

export async function unitView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  // A unit token acts for its own unit (from /me); staff pick one by CLUES.
  const clues = ctx.session.role === 'unit' ? ctx.session.unit : params[0];
  root.appendChild(h('h1', null, t('unit.title', { clues: clues ?? '' })));
  if (!clues) {
    const input = h('input', { id: 'u-clues', required: true });
    const form = h('form', { class: 'card row' }, h('label', null, t('unit.selectUnit'), input), h('button', { class: 'primary', type: 'submit' }, t('unit.show')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(`#/unit/${encodeURIComponent(input.value.trim())}`);
    });
    root.appendChild(form);
    return;
  }
  const stockSlot = h('section', { class: 'card', id: 'u-stock' });
  const chartSlot = h('section', { class: 'card', id: 'u-chart' });
  const formSlot = h('section', { class: 'card', id: 'u-report' });
  root.append(stockSlot, chartSlot, formSlot);
  const base = `units/${encodeURIComponent(clues)}`;

  // Item names for the stock table (the stock answer carries codes only).
  const names = fetchAll<Json>(ctx.api, 'items', 1000, ctx.signal).then(
    ({ items }) => new Map(items.map((i) => [str(i.code, ''), str(i.name, '')])),
    () => new Map<string, string>(),
  );
  const loadStock = (): Promise<void> =>
    section(stockSlot, 'GET /api/v1/units/{clues}/stock', async () => {
      const stock = await ctx.api.get(`${base}/stock`, ctx.signal);
      const nameOf = await names;
      const lines = itemsOf<Json>(stock).length ? itemsOf<Json>(stock) : arr(obj(stock).lines);
      return h(
        'div',
        null,
        h('h2', null, t('nav.unit')),
        lines.length === 0
          ? h('p', { class: 'muted' }, t('none'))
          : table(
              [t('unit.item'), t('unit.name'), { text: t('unit.soh'), num: true }, { text: t('unit.amc'), num: true }, { text: t('unit.mos'), num: true }, t('unit.risk')],
              lines.map((l) => {
                const risk = str(l.stockoutRisk ?? l.risk, '');
                const code = str(l.code ?? l.itemCode);
                return [
                  code,
                  str(l.name, nameOf.get(code) ?? ''),
                  num(l.stockOnHand) ?? '—',
                  num(l.averageMonthlyConsumption ?? l.amc) ?? '—',
                  formatNumber(num(l.monthsOfStock), 1),
                  h('span', { class: `badge ${risk === 'high' || risk === 'stocked_out' ? 'bad' : risk === 'medium' ? 'warn' : risk === 'low' ? 'ok' : ''}`, dataset: { risk } }, label('risk', risk || 'unknown')),
                ];
              }),
              { id: 'stock-table' },
            ),
      );
    });

  const loadChart = (): Promise<void> =>
    section(chartSlot, 'GET /api/v1/units/{clues}/stock-reports', async () => {
      const reports = itemsOf<Json>(await ctx.api.get(`${base}/stock-reports`, ctx.signal));
      const codes = [...new Set(reports.flatMap((r) => arr(r.lines).map((l) => str(l.code ?? l.itemCode, ''))))].filter(Boolean).sort();
      const pick = h('select', { id: 'u-chart-item' }, h('option', { value: '' }, t('filter.all')), codes.map((c) => h('option', { value: c }, c)));
      const holder = h('div');
      const draw = (): void => {
        const code = pick.value;
        const series = reports
          .map((r) => ({
            period: str(r.period, dateOnlyOf(r.reportedAt)),
            value: arr(r.lines)
              .filter((l) => !code || (l.code ?? l.itemCode) === code)
              .reduce((sum, l) => sum + (num(l.consumed) ?? 0), 0),
          }))
          .sort((a, b) => a.period.localeCompare(b.period));
        holder.replaceChildren(consumptionChart(series));
      };
      pick.addEventListener('change', draw);
      draw();
      return h('div', null, h('h2', null, t('unit.chart')), h('label', null, t('unit.chartItem'), pick), holder);
    });

  await Promise.all([loadStock(), loadChart(), renderForm(ctx, formSlot, clues, () => void Promise.all([loadStock(), loadChart()]))]);
}

function dateOnlyOf(value: unknown): string {
  return str(value, '').slice(0, 10);
}

/** Bars of consumption per period, inline SVG (no chart library). */
function consumptionChart(series: { period: string; value: number }[]): Node {
  if (series.length === 0) return h('p', { class: 'muted' }, t('none'));
  const w = 640;
  const hgt = 240;
  const pad = { l: 56, r: 12, t: 12, b: 40 };
  const max = Math.max(1, ...series.map((p) => p.value));
  // At most 12 periods fill the width; fewer keep bars slim rather than one wide block.
  const bw = (w - pad.l - pad.r) / Math.max(series.length, 6);
  const y = (v: number): number => pad.t + (hgt - pad.t - pad.b) * (1 - v / max);
  const svg = s('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'chart', role: 'img', 'aria-label': `${t('unit.chart')}: ${series.map((p) => `${p.period} ${p.value}`).join(', ')}`, id: 'consumption-chart' });
  svg.appendChild(s('line', { x1: pad.l, y1: y(0), x2: w - pad.r, y2: y(0), stroke: '#6f7271' }));
  for (const tick of [0, 0.5, 1]) {
    svg.appendChild(s('text', { x: pad.l - 6, y: y(max * tick) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#6f7271' }, formatNumber(max * tick)));
  }
  series.forEach((p, i) => {
    const x = pad.l + i * bw + bw * 0.15;
    const bar = s('rect', { x, y: y(p.value), width: bw * 0.7, height: y(0) - y(p.value), fill: '#235b4e', class: 'bar' });
    bar.appendChild(s('title', {}, `${p.period}: ${formatNumber(p.value)}`));
    svg.appendChild(bar);
    svg.appendChild(s('text', { x: x + bw * 0.35, y: hgt - pad.b + 16, 'text-anchor': 'middle', 'font-size': 11 }, p.period));
  });
  return svg;
}

/**
 * The items a unit reports: the catalogue when the token may read it; otherwise (unit tokens)
 * the items of the unit's own stock answer, which lists every item of its kit.
 */
async function reportItems(ctx: ViewContext, clues: string): Promise<Json[]> {
  try {
    return (await fetchAll<Json>(ctx.api, 'items', 1000, ctx.signal)).items;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    const stock = obj(await ctx.api.get(`units/${encodeURIComponent(clues)}/stock`, ctx.signal));
    return arr(stock.items).map((line) => ({ code: line.code, name: line.name }));
  }
}

async function renderForm(ctx: ViewContext, slot: HTMLElement, clues: string, onSubmitted: () => void): Promise<void> {
  let items: Json[];
  try {
    items = await reportItems(ctx, clues);
  } catch (error) {
    slot.replaceChildren(h('h2', null, t('unit.report')), problemNotice(error, 'GET /api/v1/items'));
    return;
  }
  const draft = loadDraft(clues);
  const period = h('input', { type: 'month', id: 'u-period', value: draft.period, required: true, max: new Date().toISOString().slice(0, 7) });
  const filter = h('input', { type: 'search', id: 'u-filter', placeholder: t('unit.filter'), 'aria-label': t('unit.filter') });
  const status = h('div', { role: 'status', id: 'u-status' });
  const keyInfo = h('p', { class: 'muted', id: 'u-key' }, t('unit.draftKey', { key: draft.key }));
  const rows = items.map((item) => {
    const code = str(item.code ?? item.clave, idOf(item));
    const cells = FIELDS.map((f) => {
      const input = h('input', { type: 'number', min: f === 'adjustments' ? undefined : 0, max: f === 'stockoutDays' ? 31 : undefined, step: 1, inputmode: 'numeric', name: `${code}.${f}`, 'aria-label': `${code} ${t(FIELD_LABEL[f])}`, value: draft.values[code]?.[f] ?? '' });
      input.addEventListener('change', () => {
        draft.values[code] = { ...draft.values[code], [f]: input.value };
        saveDraft(clues, draft);
      });
      return h('td', null, input);
    });
    return h('tr', { dataset: { code, text: `${code} ${str(item.name, '')}`.toLowerCase() } }, h('td', null, code), h('td', null, str(item.name)), cells);
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const r of rows) r.hidden = q !== '' && !(r.dataset.text ?? '').includes(q);
  });
  period.addEventListener('change', () => {
    draft.period = period.value;
    saveDraft(clues, draft);
  });
  const form = h(
    'form',
    { class: 'stock-form', id: 'stock-form' },
    h('h2', null, `${t('unit.report')} (${items.length})`),
    h('div', { class: 'row' }, h('label', null, t('unit.period'), period), h('label', null, t('unit.filter'), filter)),
    h(
      'div',
      { class: 'table-wrap' },
      h('table', null, h('thead', null, h('tr', null, h('th', null, t('unit.item')), h('th', null, t('unit.name')), FIELDS.map((f) => h('th', null, t(FIELD_LABEL[f]))))), h('tbody', null, rows)),
    ),
    keyInfo,
    status,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', class: 'primary', id: 'u-submit' }, t('unit.submit')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'u-new',
          onclick: () => {
            localStorage.removeItem(draftKey(clues));
            ctx.navigate(`#/unit/${encodeURIComponent(clues)}`);
          },
        },
        t('unit.newDraft'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines: Json[] = [];
    for (const [code, values] of Object.entries(draft.values)) {
      if (!values || FIELDS.every((f) => (values[f] ?? '') === '')) continue;
      const line: Json = { code };
      for (const f of FIELDS) line[f] = Number(values[f] ?? 0) || 0;
      lines.push(line);
    }
    const body = { period: draft.period, lines };
    status.replaceChildren();
    ctx.api.send<Json>('POST', `units/${encodeURIComponent(clues)}/stock-reports`, body, { 'idempotency-key': draft.key }).then(
      (report) => {
        draft.submittedId = idOf(report) || 'ok';
        saveDraft(clues, draft);
        status.replaceChildren(h('p', { class: 'notice', id: 'u-ok', dataset: { report: draft.submittedId } }, t('unit.submitted', { id: draft.submittedId })));
        toast(t('unit.submitted', { id: draft.submittedId }));
        onSubmitted();
      },
      (error: unknown) => status.replaceChildren(problemNotice(error, 'POST /api/v1/units/{clues}/stock-reports')),
    );
  });
  slot.replaceChildren(form);
}

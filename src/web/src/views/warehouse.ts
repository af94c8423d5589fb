import { itemsOf } from '../api.ts';
import { formatNumber, h, toast } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { arr, idOf, num, obj, problemNotice, section, stateOf, str, type Json, type ViewContext } from '../context.ts';
import { clock, dateOnly, planIdOf, roundsOf, table } from './common.ts';

/** A select of rounds that have a plan; calls onPlan with the chosen plan id. */
export async function planPicker(ctx: ViewContext, selected: string | undefined, onPlan: (planId: string, round?: Json) => void): Promise<HTMLElement> {
  const select = h('select', { id: 'plan-picker' }, h('option', { value: '' }, t('warehouse.choosePlan')));
  let rounds: Json[] = [];
  try {
    rounds = roundsOf(await ctx.api.get('rounds', ctx.signal));
  } catch (error) {
    return problemNotice(error, 'GET /api/v1/rounds');
  }
  for (const r of rounds) {
    const planId = planIdOf(r);
    if (planId) select.appendChild(h('option', { value: planId, selected: planId === selected }, `${str(r.name)} (${dateOnly(r.deliveryStart)})`));
  }
  if (selected && ![...select.options].some((o) => o.value === selected)) select.appendChild(h('option', { value: selected, selected: true }, selected));
  select.addEventListener('change', () => {
    if (select.value) onPlan(select.value, rounds.find((r) => planIdOf(r) === select.value));
  });
  return h('label', null, t('warehouse.plan'), select);
}

export async function warehouseView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const planId = params[0];
  const slot = h('div', { id: 'vehicles' });
  root.append(h('h1', null, t('warehouse.title')), h('div', { class: 'card no-print' }, await planPicker(ctx, planId, (id) => ctx.navigate(`#/warehouse/${encodeURIComponent(id)}`))), slot);
  if (!planId) return;
  // Warehouse staff confirm the dispatch of an approved plan (the API checks the role).
  const lifecycle = h('div', { class: 'card row no-print', id: 'w-plan' });
  slot.before(lifecycle);
  const showPlan = async (): Promise<void> => {
    const plan = obj(await ctx.api.get(`plans/${encodeURIComponent(planId)}`, ctx.signal));
    const status = str(plan.status, '');
    lifecycle.replaceChildren(
      h('span', { dataset: { status } }, `${t('plan.status')}: ${label('planStatus', status)}`),
      status === 'approved' && ctx.session.role !== 'national' && ctx.session.role !== 'unit'
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'w-dispatch',
              onclick: () => {
                ctx.api.send('POST', `plans/${encodeURIComponent(planId)}/dispatch`, {}).then(
                  () => {
                    toast(t('plan.dispatched'));
                    void showPlan();
                  },
                  (error: unknown) => toast(problemNotice(error, 'POST /api/v1/plans/{id}/dispatch').textContent ?? ''),
                );
              },
            },
            t('plan.dispatch'),
          )
        : '',
    );
  };
  showPlan().catch((error: unknown) => lifecycle.replaceChildren(problemNotice(error, 'GET /api/v1/plans/{id}')));
  await section(slot, 'GET /api/v1/plans/{id}/manifests', async () => {
    const manifests = itemsOf<Json>(await ctx.api.get(`plans/${encodeURIComponent(planId)}/manifests`, ctx.signal));
    // One row per trip, grouped by the day the trip leaves the warehouse.
    const byDay = new Map<string, { m: Json; trip: Json }[]>();
    for (const m of manifests) {
      const trips = arr(m.trips).length ? arr(m.trips) : [m];
      for (const trip of trips) {
        const day = dateOnly(trip.startDate ?? trip.date ?? trip.day);
        byDay.set(day, [...(byDay.get(day) ?? []), { m, trip }]);
      }
    }
    const out = h('div');
    for (const day of [...byDay.keys()].sort()) {
      out.append(
        h('h2', null, `${t('plan.day')} ${day}`),
        table(
          [t('plan.vehicle'), t('plan.routes'), t('plan.stops'), { text: 'kg', num: true }, { text: 'm³', num: true }, { text: t('manifest.cold'), num: true }, { text: 'km', num: true }, ''],
          byDay.get(day)!.map(({ m, trip }) => {
            const vehicleId = str(m.vehicleId, idOf(m));
            return [
              `${vehicleId}${m.vehicleName ? ` (${str(m.vehicleName)})` : ''}`,
              str(trip.number, ''),
              num(trip.stops) ?? arr(trip.stops).length,
              num(trip.weightKg) ?? '—',
              num(trip.volumeM3) ?? '—',
              num(trip.coldBoxes) ?? '—',
              num(trip.distanceKm) ?? '—',
              h('a', { class: 'button', href: `#/manifest/${encodeURIComponent(planId)}/${encodeURIComponent(vehicleId)}` }, t('warehouse.open')),
            ];
          }),
        ),
      );
    }
    return manifests.length ? out : h('p', { class: 'muted' }, t('none'));
  });
}

function isCold(line: Json): boolean {
  return line.coldChain === true || line.cold === true || line.coldChain === 'true';
}

export async function manifestView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const [planId, vehicleId] = params;
  const slot = h('div', { id: 'manifest' });
  root.append(
    h('div', { class: 'row no-print' }, h('a', { class: 'button', href: `#/warehouse/${encodeURIComponent(planId)}` }, t('manifest.back')), h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, t('manifest.print'))),
    slot,
  );
  await section(slot, 'GET /api/v1/plans/{id}/manifests/{vehicleId}', async () => {
    const m = obj(await ctx.api.get(`plans/${encodeURIComponent(planId)}/manifests/${encodeURIComponent(vehicleId)}`, ctx.signal));
    // One vehicle may do several trips in a round; a manifest without `trips` is one trip.
    const trips = arr(m.trips).length ? arr(m.trips) : [m];
    const totals = obj(m.totals);
    return h(
      'article',
      { class: 'manifest' },
      h('h1', null, `${t('manifest.title')} — ${t('manifest.vehicle', { v: str(m.vehicleId, vehicleId) })}`),
      h('p', null, [str(m.vehicleName, str(obj(m.vehicle).type, '')), str(m.warehouseName, str(obj(m.warehouse).name, str(m.warehouseId, ''))), stateOf(m.state).name, `Plan ${planId}`].filter(Boolean).join(' · ')),
      h('p', null, `${t('manifest.totals')}: ${formatNumber(num(totals.weightKg ?? totals.kg), 1)} kg · ${formatNumber(num(totals.volumeM3 ?? totals.m3), 2)} m³ · ${formatNumber(num(totals.coldBoxes))} ${t('manifest.cold')}${num(totals.units) !== undefined ? ` · ${formatNumber(num(totals.units))} ${t('plan.stops')}` : ''}`),
      trips.map((trip, index) => tripSection(trip, index)),
      h('p', { class: 'print-only' }, `${t('manifest.signature')}: ____________________________   ____________________________`),
    );
  });
}

function tripSection(trip: Json, index: number): HTMLElement {
  const stops = arr(trip.stops);
  const pick = arr(trip.pickList ?? trip.picklist ?? trip.items ?? trip.lines);
  const totals = obj(trip.totals);
  const loadOrder = arr(trip.loadOrder).map((x) => (typeof x === 'string' ? x : `${str(x.position, '')}. ${str(x.clues)}`));
  const title = `${t('plan.route')} ${str(trip.number, String(index + 1))} · ${dateOnly(trip.startDate ?? trip.day ?? trip.date)}${num(trip.distanceKm) !== undefined ? ` · ${formatNumber(num(trip.distanceKm), 1)} km` : ''}`;
  return h(
    'section',
    { class: 'trip', dataset: { route: str(trip.routeKey, '') } },
    h('h2', null, title),
    h(
      'section',
      { class: 'card' },
      h('h3', null, t('manifest.stops')),
      table(
        [t('manifest.seq'), t('manifest.day'), t('manifest.eta'), 'CLUES', t('manifest.unit'), t('manifest.check')],
        stops.map((s, i) => [
          num(s.seq ?? s.sequence) ?? i + 1,
          dateOnly(s.date ?? s.day),
          clock(s.eta ?? s.arrival ?? s.arrivalMin),
          str(s.clues),
          str(s.name ?? s.unitName),
          h('input', { type: 'checkbox', 'aria-label': `${t('manifest.check')} ${str(s.clues)}` }),
        ]),
        { class: 'manifest-stops' },
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', null, t('manifest.pick')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'pick-list' },
          h('thead', null, h('tr', null, [t('manifest.item'), t('manifest.name'), t('manifest.lot'), t('manifest.expiry'), t('manifest.qty'), t('manifest.cold'), t('manifest.check')].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            null,
            pick.map((line) => {
              const code = str(line.code ?? line.itemCode ?? line.clave);
              const lot = str(line.lotCode ?? line.lot ?? line.lotNumber);
              return h(
                'tr',
                { class: isCold(line) ? 'cold' : undefined, dataset: { cold: String(isCold(line)) } },
                h('td', null, code),
                h('td', null, str(line.name ?? line.itemName)),
                h('td', null, lot),
                h('td', null, dateOnly(line.expiryDate ?? line.expiry)),
                h('td', { class: 'num' }, formatNumber(num(line.quantity ?? line.qty))),
                h('td', null, isCold(line) ? t('manifest.cold') : ''),
                h('td', null, h('input', { type: 'checkbox', 'aria-label': `${t('manifest.check')} ${code} ${lot}` })),
              );
            }),
          ),
        ),
      ),
    ),
    h(
      'p',
      null,
      `${t('manifest.totals')}: ${formatNumber(num(totals.weightKg ?? totals.kg), 1)} kg · ${formatNumber(num(totals.volumeM3 ?? totals.m3), 2)} m³ · ${formatNumber(num(totals.coldBoxes))} ${t('manifest.cold')}`,
    ),
    loadOrder.length ? h('p', null, `${t('manifest.loadOrder')}: ${loadOrder.join(' → ')}`) : null,
  );
}
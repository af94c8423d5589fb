import * as L from 'leaflet';
import { fetchAll, itemsOf } from '../api.ts';
import { formatNumber, h, toast } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { createMap, colorFor, escapeHtml, RISK_COLORS, STATUS_COLORS, UnitsLayer, type MapUnit } from '../map.ts';
import { arr, idOf, num, obj, problemNotice, section, stateOf, str, type Json, type ViewContext } from '../context.ts';
import { canPlan } from '../session.ts';
import { keepLive, streamEvents } from '../sse.ts';
import { clock, dateOnly, kpiGrid, minutesOf, planIdOf, rememberPlan, roundsOf, stateSelect, table } from './common.ts';

// ---------------------------------------------------------------------------------------------
// National map of units, filters, rounds (list + create + generate).
// ---------------------------------------------------------------------------------------------

type ColorMode = 'risk' | 'status';

/**
 * Stockout risk per CLUES from the newest completed replenishment run: a kit line below the
 * emergency order point → high; a line rationed (below what was requested) → medium; else low.
 */
async function replenishmentRisk(ctx: ViewContext): Promise<Map<string, string>> {
  const risk = new Map<string, string>();
  const runs = itemsOf<Json>(await ctx.api.get('replenishment/runs?limit=20', ctx.signal));
  const run = runs.find((r) => r.status === 'completed');
  if (!run) return risk;
  const { items } = await fetchAll<Json>(ctx.api, `replenishment/runs/${encodeURIComponent(idOf(run))}/units`, 20_000, ctx.signal);
  for (const u of items) risk.set(str(u.clues, ''), (num(u.emergencyLines) ?? 0) > 0 ? 'high' : (num(u.linesShort) ?? 0) > 0 ? 'medium' : 'low');
  return risk;
}

function riskOf(u: Json, risks: Map<string, string>): string {
  const r = str(u.stockoutRisk, '') || str(u.risk, '') || (risks.get(str(u.clues, '')) ?? '');
  return r in RISK_COLORS ? r : 'unknown';
}

/** Delivery status per CLUES from the month's coverage report (when it exists). */
async function coverageStatus(ctx: ViewContext, month: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const report = obj(await ctx.api.get(`coverage?month=${month}`, ctx.signal));
  for (const row of arr(report.units ?? report.items)) {
    const clues = str(row.clues, '');
    const status = str(row.status, '');
    const delivered = row.actualDate || row.deliveredAt || status === 'delivered';
    const notDelivered = status === 'not-delivered' || status === 'notDelivered' || status === 'failed';
    const planned = row.plannedDate || status === 'planned';
    map.set(clues, delivered ? 'delivered' : notDelivered ? 'notDelivered' : planned ? 'planned' : 'uncovered');
  }
  return map;
}

export async function plannerView(ctx: ViewContext, root: HTMLElement): Promise<void> {
  const planner = canPlan(ctx.session);
  const stateFilter = stateSelect('f-state', ctx.session.state);
  if (ctx.session.state) stateFilter.disabled = true;
  const warehouseFilter = h('select', { id: 'f-warehouse' }, h('option', { value: '' }, t('filter.all')));
  const typeFilter = h('select', { id: 'f-type' }, h('option', { value: '' }, t('filter.all')));
  const colorMode = h('select', { id: 'f-color' }, h('option', { value: 'status' }, t('color.status')), h('option', { value: 'risk' }, t('color.risk')));
  const count = h('p', { class: 'muted', id: 'unit-count', role: 'status' });
  const legend = h('div', { class: 'legend', 'aria-label': t('color.by') });
  const mapEl = h('div', { class: 'map', id: 'units-map' });
  const roundsSlot = h('div', { id: 'rounds' });
  // Optional wall-clock budget of the routing stage (empty: the server's default).
  const budget = h('input', { id: 'gen-budget', type: 'number', min: 1, max: 3600, step: 1, inputmode: 'numeric', style: 'width:8em' });

  root.append(
    h('h1', null, t('nav.planner')),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'filters-h' },
      h('h2', { id: 'filters-h', class: 'visually-hidden' }, t('filters')),
      h(
        'div',
        { class: 'row' },
        h('label', null, t('filter.state'), stateFilter),
        h('label', null, t('filter.warehouse'), warehouseFilter),
        h('label', null, t('filter.type'), typeFilter),
        h('label', null, t('color.by'), colorMode),
      ),
      legend,
      count,
      mapEl,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'rounds-h' },
      h('h2', { id: 'rounds-h' }, t('rounds.title')),
      planner ? h('div', { class: 'row' }, h('label', null, t('rounds.budget'), budget)) : null,
      roundsSlot,
      planner ? roundForm(ctx, () => void loadRounds()) : null,
    ),
  );

  const { map } = createMap(mapEl);
  const layer = new UnitsLayer(map);
  let units: Json[] = [];
  let statuses = new Map<string, string>();
  let risks = new Map<string, string>();
  let risksLoaded = false;

  const drawLegend = (): void => {
    const mode = colorMode.value as ColorMode;
    const colors = mode === 'risk' ? RISK_COLORS : STATUS_COLORS;
    legend.replaceChildren(
      ...Object.entries(colors).map(([k, c]) => h('span', null, h('i', { style: `background:${c}` }), t(`legend.${k}` as 'legend.high'))),
      h('span', null, h('i', { class: 'approx', style: 'border:2px dashed #444;background:#fff' }), t('legend.approx')),
    );
  };

  let fitNext = false;
  let loaded = false;
  const draw = (): void => {
    if (!loaded) return;
    const mode = colorMode.value as ColorMode;
    const type = typeFilter.value;
    const mapUnits: MapUnit[] = [];
    const tally: Record<string, number> = {};
    let noLocation = 0;
    for (const u of units) {
      if (type && u.type !== type) continue;
      const coords = arr(obj(u.location).coordinates) as unknown as number[];
      if (coords.length !== 2) {
        noLocation++;
        continue;
      }
      const clues = str(u.clues, idOf(u));
      const key = mode === 'risk' ? riskOf(u, risks) : (statuses.get(clues) ?? 'uncovered');
      const color = (mode === 'risk' ? RISK_COLORS : STATUS_COLORS)[key] ?? '#6f7271';
      tally[key] = (tally[key] ?? 0) + 1;
      const precision = str(u.locationPrecision, 'exact');
      mapUnits.push({
        clues,
        name: str(u.name),
        lat: coords[1],
        lng: coords[0],
        approximate: precision !== 'exact',
        color,
        popup: `<strong>${escapeHtml(str(u.name))}</strong><br>${escapeHtml(clues)} · ${escapeHtml(str(u.type))}<br>${escapeHtml(stateOf(u.state).name)}${precision !== 'exact' ? `<br><em>${escapeHtml(t('legend.approx'))} (${escapeHtml(precision)})</em>` : ''}`,
      });
    }
    layer.setUnits(mapUnits, fitNext);
    fitNext = false;
    count.textContent = t('units.count', { n: mapUnits.length, total: units.length }) + (noLocation ? ` · ${t('units.noLocation', { n: noLocation })}` : '');
    count.dataset.count = String(mapUnits.length);
    count.dataset.mode = mode;
    count.dataset.tally = JSON.stringify(tally);
    drawLegend();
  };

  const loadUnits = async (): Promise<void> => {
    const params = new URLSearchParams({ active: 'true' });
    if (stateFilter.value) params.set('state', stateFilter.value);
    if (warehouseFilter.value) params.set('warehouse', warehouseFilter.value);
    try {
      units = (await fetchAll<Json>(ctx.api, `units?${params.toString()}`, 20_000, ctx.signal)).items;
      loaded = true;
      const types = [...new Set(units.map((u) => str(u.type, '')).filter(Boolean))].sort();
      const chosen = typeFilter.value;
      typeFilter.replaceChildren(h('option', { value: '' }, t('filter.all')), ...types.map((x) => h('option', { value: x, selected: x === chosen }, x)));
      draw();
    } catch (error) {
      count.replaceChildren(problemNotice(error, 'GET /api/v1/units'));
    }
  };

  const loadStatuses = async (): Promise<void> => {
    try {
      statuses = await coverageStatus(ctx, new Date().toISOString().slice(0, 7));
    } catch {
      statuses = new Map();
    }
    draw();
  };

  const loadRounds = (): Promise<void> =>
    section(roundsSlot, 'GET /api/v1/rounds', async () => {
      const rounds = roundsOf(await ctx.api.get('rounds', ctx.signal));
      if (rounds.length === 0) return h('p', { class: 'muted' }, t('none'));
      return table(
        [t('rounds.name'), t('rounds.type'), t('rounds.level'), t('rounds.dates'), t('rounds.status'), ''],
        rounds.map((r) => {
          const id = idOf(r);
          const planId = planIdOf(r);
          return [
            str(r.name),
            label('type', str(r.type, '')),
            label('level', str(r.level, '')),
            `${dateOnly(r.deliveryStart)} – ${dateOnly(r.deliveryEnd)}`,
            h('span', { class: 'badge' }, label('roundStatus', str(r.status, ''))),
            h(
              'span',
              { class: 'row' },
              planId ? h('a', { class: 'button', href: `#/plan/${encodeURIComponent(planId)}` }, t('rounds.plan')) : null,
              planner ? h('button', { type: 'button', class: 'primary', dataset: { generate: id }, onclick: () => void generate(ctx, id, Number(budget.value) || undefined) }, t('rounds.generate')) : null,
            ),
          ];
        }),
        { id: 'rounds-table' },
      );
    });

  stateFilter.addEventListener('change', () => {
    fitNext = true;
    void loadUnits();
  });
  warehouseFilter.addEventListener('change', () => {
    fitNext = true;
    void loadUnits();
  });
  typeFilter.addEventListener('change', draw);
  colorMode.addEventListener('change', () => {
    if (colorMode.value === 'risk' && !risksLoaded) {
      risksLoaded = true;
      replenishmentRisk(ctx).then(
        (map) => {
          risks = map;
          draw();
        },
        () => draw(),
      );
    } else draw();
  });

  fetchAll<Json>(ctx.api, 'warehouses', 1000, ctx.signal).then(
    ({ items }) => {
      for (const w of items) warehouseFilter.appendChild(h('option', { value: idOf(w) || str(w.code, '') }, str(w.name, idOf(w))));
    },
    () => undefined,
  );
  await Promise.all([loadUnits(), loadRounds(), loadStatuses()]);
}

async function generate(ctx: ViewContext, roundId: string, budgetS?: number): Promise<void> {
  try {
    const created = obj(await ctx.api.send('POST', `rounds/${encodeURIComponent(roundId)}/plans`, budgetS ? { timeBudgetMs: Math.round(budgetS * 1000) } : {}));
    const planId = idOf(created) || str(created.planId, '');
    rememberPlan(roundId, planId);
    ctx.navigate(`#/plan/${encodeURIComponent(planId)}`);
  } catch (error) {
    toast(problemNotice(error, 'POST /api/v1/rounds/{id}/plans').textContent ?? '');
  }
}

function roundForm(ctx: ViewContext, onCreated: () => void): HTMLElement {
  const now = new Date();
  const month = now.toLocaleDateString('es-MX', { month: 'long', year: 'numeric' });
  const start = new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(now.getTime() + 11 * 86_400_000).toISOString().slice(0, 10);
  const name = h('input', { id: 'r-name', required: true, value: `Jornada ordinaria ${month}` });
  const type = h('select', { id: 'r-type' }, ['ordinary', 'extraordinary', 'emergency'].map((v) => h('option', { value: v }, label('type', v))));
  const level = h('select', { id: 'r-level' }, ['first', 'second-third'].map((v) => h('option', { value: v }, label('level', v))));
  const from = h('input', { id: 'r-start', type: 'date', required: true, value: start });
  const to = h('input', { id: 'r-end', type: 'date', required: true, value: end });
  const states = h('input', { id: 'r-states', placeholder: '20, 07', value: ctx.session.state ?? '', pattern: '^\\s*(\\d{2}\\s*(,\\s*\\d{2}\\s*)*)?$' });
  const message = h('div');
  const form = h(
    'form',
    { id: 'round-form', 'aria-labelledby': 'round-form-h' },
    h('h3', { id: 'round-form-h' }, t('rounds.new')),
    h(
      'div',
      { class: 'row' },
      h('label', null, t('rounds.name'), name),
      h('label', null, t('rounds.type'), type),
      h('label', null, t('rounds.level'), level),
      h('label', null, t('rounds.start'), from),
      h('label', null, t('rounds.end'), to),
      h('label', null, t('rounds.states'), states),
      h('button', { type: 'submit', class: 'primary' }, t('rounds.create')),
    ),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const codes = states.value.split(',').map((s) => s.trim()).filter(Boolean);
    const body: Json = { name: name.value.trim(), type: type.value, level: level.value, deliveryStart: from.value, deliveryEnd: to.value };
    if (codes.length) body.states = codes;
    message.replaceChildren();
    ctx.api.send('POST', 'rounds', body).then(
      () => {
        toast(t('rounds.created'));
        onCreated();
      },
      (error: unknown) => message.replaceChildren(problemNotice(error, 'POST /api/v1/rounds')),
    );
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// Plan view: live progress, routes per vehicle and day, timeline, KPIs, unassigned, lifecycle.
// ---------------------------------------------------------------------------------------------

const RUNNING = new Set(['queued', 'pending', 'running', 'generating', 'solving']);

export async function planView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const planId = params[0] ?? '';
  const bar = h('div', { style: 'width:0%' });
  const progressText = h('p', { id: 'plan-progress-text', role: 'status', 'aria-live': 'polite' });
  const progress = h('div', { class: 'card', id: 'plan-progress' }, progressText, h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, id: 'plan-bar' }, bar));
  const body = h('div', { id: 'plan-body' });
  root.append(h('h1', null, t('plan.title', { id: planId })), progress, body);

  let plan: Json;
  try {
    plan = obj(await ctx.api.get(`plans/${encodeURIComponent(planId)}`, ctx.signal));
  } catch (error) {
    root.appendChild(problemNotice(error, 'GET /api/v1/plans/{id}'));
    return;
  }

  const showProgress = (p: Json): void => {
    const pct = Math.max(0, Math.min(100, num(p.percent) ?? (RUNNING.has(str(p.status, '')) ? 0 : 100)));
    bar.style.width = `${pct}%`;
    bar.parentElement!.setAttribute('aria-valuenow', String(pct));
    progressText.textContent = RUNNING.has(str(p.status, '')) ? t('plan.progress', { stage: str(p.stage, str(p.status)), pct: Math.round(pct) }) : `${t('plan.status')}: ${label('planStatus', str(p.status, ''))}`;
    progressText.dataset.status = str(p.status, '');
  };
  showProgress(plan);

  if (RUNNING.has(str(plan.status, ''))) {
    plan = await waitForPlan(ctx, planId, showProgress);
    showProgress(plan);
  }
  if (str(plan.status, '') === 'failed') {
    body.appendChild(h('p', { class: 'notice error', role: 'alert' }, t('plan.failed', { msg: str(obj(plan.error).message, str(plan.error)) })));
    return;
  }
  renderPlan(ctx, body, plan);
}

/** Follows /plans/{id}/events (SSE) and falls back to polling GET /plans/{id}. */
function waitForPlan(ctx: ViewContext, planId: string, onProgress: (p: Json) => void): Promise<Json> {
  return new Promise<Json>((resolve, reject) => {
    const stop = new AbortController();
    ctx.signal.addEventListener('abort', () => stop.abort());
    let done = false;
    const check = async (): Promise<void> => {
      const p = obj(await ctx.api.get(`plans/${encodeURIComponent(planId)}`, stop.signal));
      onProgress(p);
      if (!RUNNING.has(str(p.status, '')) && !done) {
        done = true;
        stop.abort();
        resolve(p);
      }
    };
    const onEvent = (data: string): void => {
      try {
        const e = obj(JSON.parse(data));
        if (num(e.percent) !== undefined || e.stage) onProgress({ status: 'running', ...e });
      } catch {
        // Not JSON: just re-read the plan.
      }
      check().catch(() => undefined);
    };
    streamEvents(ctx.api, `/api/v1/plans/${encodeURIComponent(planId)}/events`, (e) => onEvent(e.data), stop.signal).then(
      () => void check().catch(() => undefined),
      () => undefined,
    );
    // Polling runs alongside the stream: a lost or missing stream never blocks the view.
    keepLive(ctx.api, undefined, check, stop.signal, 1000);
    ctx.signal.addEventListener('abort', () => reject(new DOMException('navigated away', 'AbortError')));
  });
}

interface RouteInfo {
  key: string;
  vehicleId: string;
  day: string;
  stops: Json[];
  distanceKm?: number;
  start?: unknown;
  end?: unknown;
}

function routeKey(vehicleId: string, day: string): string {
  return `${vehicleId} · ${day}`;
}

function renderPlan(ctx: ViewContext, body: HTMLElement, plan: Json): void {
  const planId = idOf(plan);
  const status = str(plan.status, '');
  const kpis = obj(plan.kpis ?? plan.kpi ?? obj(plan.result).kpis);
  const k = obj(kpis.plan ?? kpis);
  const util = obj(k.utilisation ?? k.utilization);
  const percent = (v: unknown): string | undefined => (num(v) === undefined ? undefined : `${formatNumber((num(v) ?? 0) <= 1 ? (num(v) ?? 0) * 100 : num(v), 0)} %`);
  const pieces = num(k.pieces) ?? (num(k.medicinePieces) !== undefined ? (num(k.medicinePieces) ?? 0) + (num(k.supplyPieces) ?? 0) : undefined);
  const actions = h('div', { class: 'row no-print', id: 'plan-actions' });
  const programmeState = stateSelect('programme-state', ctx.session.state);
  const planner = canPlan(ctx.session);
  if (planner && status === 'draft') {
    actions.appendChild(h('button', { type: 'button', class: 'primary', id: 'approve', onclick: () => void lifecycle(ctx, planId, 'approve') }, t('plan.approve')));
  }
  if (planner && status === 'approved') {
    actions.appendChild(h('button', { type: 'button', class: 'primary', id: 'dispatch', onclick: () => void lifecycle(ctx, planId, 'dispatch') }, t('plan.dispatch')));
  }
  actions.append(
    h('label', null, t('plan.programmeState'), programmeState),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: 'programme',
        onclick: () => {
          const state = programmeState.value ? `&state=${programmeState.value}` : '';
          ctx.api.download(`/api/v1/plans/${encodeURIComponent(planId)}/programme?format=xlsx${state}`, `programacion-${planId}.xlsx`).catch((e: unknown) => toast(problemNotice(e, 'programme XLSX').textContent ?? ''));
        },
      },
      t('plan.programme'),
    ),
    h('a', { class: 'button', href: `#/warehouse/${encodeURIComponent(planId)}` }, t('plan.manifests')),
  );

  const daySelect = h('select', { id: 'plan-day' }, h('option', { value: '' }, t('plan.allDays')));
  const mapEl = h('div', { class: 'map', id: 'plan-map' });
  const routeList = h('div', { id: 'route-list' });
  const timeline = h('div', { class: 'timeline', id: 'timeline' });
  const unassigned = arr(plan.unassigned ?? obj(plan.result).unassigned);

  body.append(
    actions,
    h('section', { class: 'card' }, h('h2', null, t('plan.kpis')), kpiGrid([
      ['kpi.unitsDue', num(k.unitsDue)],
      ['kpi.unitsServed', num(k.unitsServed ?? k.unitsRouted)],
      ['kpi.unassigned', num(k.unassigned ?? k.unitsUnassigned) ?? unassigned.length],
      ['kpi.kits', num(k.kits)],
      ['kpi.pieces', pieces],
      ['kpi.routes', num(k.routes)],
      ['kpi.km', num(k.distanceKm ?? k.km), 1],
      ['kpi.hours', num(k.drivingHours ?? k.drivingH), 1],
      ['kpi.cost', num(k.cost ?? k.costMxn)],
      ['kpi.utilKg', percent(util.weightKg ?? util.kg)],
      ['kpi.utilM3', percent(util.volumeM3 ?? util.m3)],
      ['kpi.utilCold', percent(util.coldBoxes)],
      ['kpi.itemsRationed', num(k.itemsRationed)],
    ])),
    stateKpis(kpis),
    h('section', { class: 'card' }, h('h2', null, t('plan.routes')), h('div', { class: 'row' }, h('label', null, t('plan.day'), daySelect)), h('div', { class: 'split' }, mapEl, routeList)),
    h('section', { class: 'card' }, h('h2', null, t('plan.timeline')), timeline),
    h(
      'section',
      { class: 'card', id: 'unassigned' },
      h('h2', null, `${t('plan.unassigned')} (${unassigned.length})`),
      unassigned.length === 0
        ? h('p', { class: 'muted' }, t('plan.noUnassigned'))
        : table(
            [t('coverage.unit'), 'CLUES', t('national.state'), t('plan.reason')],
            unassigned.map((u) => [str(u.name), str(u.clues, idOf(u)), stateOf(u.state).name, `${str(u.reason, str(u.code))}${u.detail ? ` — ${str(u.detail)}` : ''}`]),
            { id: 'unassigned-table' },
          ),
    ),
  );

  const { map, basemap } = createMap(mapEl);
  const routesLayer = L.layerGroup().addTo(map);
  let geo: GeoJSON.FeatureCollection | undefined;
  let routes: RouteInfo[] = [];

  const draw = (): void => {
    const day = daySelect.value;
    routesLayer.clearLayers();
    const keys = [...new Set(routes.map((r) => r.vehicleId))];
    const bounds = L.latLngBounds([]);
    const byRouteKey = new Map(routes.map((r) => [r.key, r]));
    for (const feature of geo?.features ?? []) {
      const p = obj(feature.properties);
      const route = byRouteKey.get(str(p.routeKey, ''));
      const vehicleId = str(p.vehicleId, route?.vehicleId ?? '');
      const fday = route?.day ?? dateOnly(p.startDate ?? p.day ?? p.date);
      if (day && fday !== day) continue;
      const color = colorFor(vehicleId, keys);
      const layer = L.geoJSON(feature, {
        style: (f) => (f?.geometry.type === 'Point' ? { color, weight: 2, className: 'route-stop' } : { color, weight: 3, opacity: 0.85, className: 'route-line' }),
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 5, color, fillColor: '#fff', fillOpacity: 1, weight: 2, className: 'route-stop' }),
      });
      layer.bindPopup(`<strong>${escapeHtml(`${vehicleId} · ${fday}`)}</strong>${p.clues ? `<br>${escapeHtml(str(p.name, ''))} ${escapeHtml(str(p.clues))}<br>ETA ${escapeHtml(clock(p.eta ?? p.arrival))}` : ''}`);
      routesLayer.addLayer(layer);
      const b = layer.getBounds();
      if (b.isValid()) bounds.extend(b);
    }
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    mapEl.dataset.routes = String(routesLayer.getLayers().length);
    drawList(day, keys);
    drawTimeline(day, keys);
  };

  const drawList = (day: string, keys: string[]): void => {
    const shown = routes.filter((r) => !day || r.day === day);
    routeList.replaceChildren(
      table(
        [t('plan.vehicle'), t('plan.day'), t('plan.stops'), { text: t('plan.km'), num: true }],
        shown.map((r) => [
          h('span', null, h('i', { style: `display:inline-block;width:10px;height:10px;border-radius:50%;background:${colorFor(r.vehicleId, keys)};margin-right:6px` }), h('a', { href: `#/manifest/${encodeURIComponent(planId)}/${encodeURIComponent(r.vehicleId)}` }, r.vehicleId)),
          r.day,
          r.stops.length,
          r.distanceKm ?? '—',
        ]),
        { id: 'routes-table' },
      ),
    );
  };

  const drawTimeline = (day: string, keys: string[]): void => {
    const from = 6 * 60;
    const to = 22 * 60;
    const pct = (m: number): number => Math.max(0, Math.min(100, ((m - from) / (to - from)) * 100));
    timeline.replaceChildren(
      ...routes
        .filter((r) => !day || r.day === day)
        .map((r) => {
          const color = colorFor(r.vehicleId, keys);
          const times = r.stops.map((s) => minutesOf(s.eta ?? s.arrival ?? s.arrivalMin)).filter((m): m is number => m !== undefined);
          const start = minutesOf(r.start) ?? (times.length ? Math.min(...times) - 30 : from);
          const end = minutesOf(r.end) ?? (times.length ? Math.max(...times) + 30 : from);
          return h(
            'div',
            { class: 'lane' },
            h('span', null, routeKey(r.vehicleId, r.day)),
            h(
              'div',
              { class: 'bar', role: 'img', 'aria-label': `${routeKey(r.vehicleId, r.day)}: ${clock(start)}–${clock(end)}, ${r.stops.length} ${t('plan.stops')}` },
              h('div', { class: 'seg', style: `left:${pct(start)}%;width:${Math.max(1, pct(end) - pct(start))}%;background:${color};opacity:.35` }),
              times.map((m) => h('div', { class: 'seg', title: clock(m), style: `left:${pct(m)}%;width:3px;background:${color}` })),
            ),
          );
        }),
    );
  };

  const load = async (): Promise<void> => {
    try {
      const [geoJson, routesJson] = await Promise.all([
        ctx.api.get<GeoJSON.FeatureCollection>(`plans/${encodeURIComponent(planId)}/routes?format=geojson`, ctx.signal),
        ctx.api.get(`plans/${encodeURIComponent(planId)}/routes`, ctx.signal).catch(() => undefined),
      ]);
      geo = geoJson;
      routes = itemsOf<Json>(routesJson).map((r) => {
        const vehicleId = str(r.vehicleId, str(obj(r.vehicle).id, ''));
        const day = dateOnly(r.startDate ?? r.day ?? r.date);
        return { key: str(r.routeKey, routeKey(vehicleId, day)), vehicleId, day, stops: arr(r.stops), distanceKm: num(r.distanceKm), start: r.start ?? r.startMin, end: r.end ?? r.endMin };
      });
      if (routes.length === 0) {
        // Only GeoJSON: one route per line feature.
        for (const f of geo.features) {
          if (f.geometry?.type !== 'LineString' && f.geometry?.type !== 'MultiLineString') continue;
          const p = obj(f.properties);
          const vehicleId = str(p.vehicleId, str(p.vehicle, ''));
          const day = dateOnly(p.startDate ?? p.day ?? p.date);
          const key = str(p.routeKey, routeKey(vehicleId, day));
          const stops = geo.features.filter((x) => x.geometry?.type === 'Point' && str(obj(x.properties).routeKey, '') === key).map((x) => obj(x.properties));
          routes.push({ key, vehicleId, day, stops, distanceKm: num(p.distanceKm) });
        }
      }
      const days = [...new Set(routes.map((r) => r.day))].sort();
      for (const d of days) daySelect.appendChild(h('option', { value: d }, d));
      await basemap;
      draw();
    } catch (error) {
      routeList.replaceChildren(problemNotice(error, 'GET /api/v1/plans/{id}/routes'));
    }
  };
  daySelect.addEventListener('change', draw);
  void load();
}

/** KPIs per state (a national plan covers up to 23). */
function stateKpis(kpis: Json): HTMLElement {
  const rows = arr(kpis.byState);
  if (rows.length === 0) return h('div', { hidden: true });
  return h(
    'section',
    { class: 'card' },
    h('h2', null, `${t('plan.kpis')} · ${t('national.state')}`),
    table(
      [t('national.state'), { text: t('kpi.unitsDue'), num: true }, { text: t('kpi.unitsServed'), num: true }, { text: t('kpi.unassigned'), num: true }, { text: t('kpi.routes'), num: true }, { text: t('kpi.km'), num: true }, { text: t('kpi.cost'), num: true }],
      rows.map((r) => [stateOf(r.state).name, num(r.unitsDue) ?? 0, num(r.unitsServed) ?? 0, num(r.unitsUnassigned) ?? 0, num(r.routes) ?? 0, Math.round(num(r.distanceKm) ?? 0), Math.round(num(r.cost) ?? 0)]),
      { id: 'state-kpis' },
    ),
  );
}

async function lifecycle(ctx: ViewContext, planId: string, action: 'approve' | 'dispatch'): Promise<void> {
  try {
    await ctx.api.send('POST', `plans/${encodeURIComponent(planId)}/${action}`, {});
    toast(t(action === 'approve' ? 'plan.approved' : 'plan.dispatched'));
    ctx.navigate(`#/plan/${encodeURIComponent(planId)}`);
  } catch (error) {
    toast(problemNotice(error, `POST /api/v1/plans/{id}/${action}`).textContent ?? '');
  }
}

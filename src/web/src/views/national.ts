import * as L from 'leaflet';
import { itemsOf } from '../api.ts';
import { formatNumber, h, toast } from '../dom.ts';
import { t } from '../i18n.ts';
import { createMap } from '../map.ts';
import { idOf, num, obj, arr, problemNotice, stateOf, str, type Json, type ViewContext } from '../context.ts';
import { keepLive } from '../sse.ts';
import { dateOnly, roundsOf, table } from './common.ts';

const REGIONS = ['Centro', 'Noreste', 'Noroeste', 'Sureste', 'Suroeste'];
const LAST_ROUND = 'rutas.national.round';

interface Counts {
  planned: number;
  delivered: number;
  notDelivered: number;
  withEvidence: number;
  pieces: number;
}

function counts(row: Json): Counts {
  return {
    planned: num(row.planned ?? row.unitsPlanned) ?? 0,
    delivered: num(row.delivered ?? row.unitsDelivered) ?? 0,
    notDelivered: num(row.notDelivered ?? row.unitsNotDelivered) ?? 0,
    withEvidence: num(row.withEvidence ?? row.unitsWithEvidence) ?? 0,
    pieces: num(row.piecesDelivered ?? row.pieces) ?? 0,
  };
}

function pct(c: Counts): number {
  return c.planned > 0 ? (100 * c.delivered) / c.planned : 0;
}

function rowCells(name: string, c: Counts): (string | number)[] {
  return [name, c.planned, c.delivered, c.notDelivered, c.withEvidence, c.pieces, `${formatNumber(pct(c), 1)} %`];
}

export async function nationalView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const select = h('select', { id: 'n-round' });
  const live = h('span', { class: 'badge', id: 'n-live' });
  const totals = h('div', { id: 'n-totals' });
  const tables = h('div', { id: 'n-tables' });
  const mapEl = h('div', { class: 'map small', id: 'n-map' });
  const gallery = h('div', { class: 'gallery', id: 'n-gallery' });
  const region = h('select', { id: 'n-region' }, h('option', { value: '' }, t('filter.all')), REGIONS.map((r) => h('option', { value: r }, r)));
  root.append(
    h('h1', null, t('national.title')),
    h(
      'div',
      { class: 'card row' },
      h('label', null, t('coord.round'), select),
      live,
      h('label', null, t('national.reportRegion'), region),
      h('button', { type: 'button', class: 'secondary', id: 'n-report', onclick: () => void report() }, t('national.report')),
    ),
    totals,
    h('div', { class: 'split' }, h('section', { class: 'card' }, tables), h('section', { class: 'card' }, mapEl)),
    h('section', { class: 'card' }, h('h2', null, t('national.gallery')), gallery),
  );

  let rounds: Json[];
  try {
    rounds = roundsOf(await ctx.api.get('rounds', ctx.signal));
  } catch (error) {
    tables.replaceChildren(problemNotice(error, 'GET /api/v1/rounds'));
    return;
  }
  const wanted = params[0] ?? localStorage.getItem(LAST_ROUND) ?? idOf(rounds[0]);
  for (const r of rounds) select.appendChild(h('option', { value: idOf(r), selected: idOf(r) === wanted }, `${str(r.name)} (${dateOnly(r.deliveryStart)})`));
  select.addEventListener('change', () => {
    localStorage.setItem(LAST_ROUND, select.value);
    ctx.navigate(`#/national/${encodeURIComponent(select.value)}`);
  });
  const roundId = select.value;
  if (!roundId) {
    tables.replaceChildren(h('p', { class: 'muted' }, t('none')));
    return;
  }

  const { map, basemap } = createMap(mapEl);
  const choropleth = L.layerGroup().addTo(map);
  const geo = await fetch('/geo/mx-states.json').then((r) => r.json() as Promise<GeoJSON.FeatureCollection>);

  const report = async (): Promise<void> => {
    try {
      const q = region.value ? `?region=${encodeURIComponent(region.value)}` : '';
      await ctx.api.download(`/api/v1/rounds/${encodeURIComponent(roundId)}/evidence-report${q}`, `evidencias-${roundId}.pdf`);
    } catch (error) {
      toast(problemNotice(error, 'GET /api/v1/rounds/{id}/evidence-report').textContent ?? '');
    }
  };

  let fitted = false;
  const refresh = async (): Promise<void> => {
    let progress: Json;
    try {
      progress = obj(await ctx.api.get(`rounds/${encodeURIComponent(roundId)}/progress`, ctx.signal));
    } catch (error) {
      tables.replaceChildren(problemNotice(error, 'GET /api/v1/rounds/{id}/progress'));
      return;
    }
    const states = arr(progress.states ?? progress.byState);
    const regions = arr(progress.regions ?? progress.byRegion);
    const total = counts(obj(progress.total ?? progress.totals ?? progress.national));
    if (!progress.total && !progress.totals && !progress.national) {
      for (const s of states) {
        const c = counts(s);
        for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
      }
    }
    totals.replaceChildren(
      h(
        'div',
        { class: 'kpis', id: 'n-kpis', dataset: { delivered: String(total.delivered), planned: String(total.planned) } },
        ...[
          ['national.planned', total.planned],
          ['national.delivered', total.delivered],
          ['national.notDelivered', total.notDelivered],
          ['national.withEvidence', total.withEvidence],
          ['national.pieces', total.pieces],
        ].map(([k, v]) => h('div', { class: 'kpi', dataset: { kpi: String(k) } }, h('div', { class: 'v' }, formatNumber(v as number)), h('div', { class: 'k' }, t(k as 'national.planned')))),
        h('div', { class: 'kpi' }, h('div', { class: 'v' }, `${formatNumber(pct(total), 1)} %`), h('div', { class: 'k' }, t('national.pct'))),
      ),
    );
    const headers = [t('national.state'), t('national.planned'), t('national.delivered'), t('national.notDelivered'), t('national.withEvidence'), t('national.pieces'), t('national.pct')];
    tables.replaceChildren(
      h('h2', null, t('national.region')),
      table([t('national.region'), ...headers.slice(1)], regions.map((r) => rowCells(str(r.region ?? r.name), counts(r))), { id: 'n-regions' }),
      h('h2', null, t('national.state')),
      table(headers, states.map((s) => rowCells(stateOf(s.state ?? s).name || str(s.name), counts(s))), { id: 'n-states' }),
    );
    const byCode = new Map(states.map((s) => [stateOf(s.state ?? s).code || str(s.code, ''), counts(s)]));
    await basemap;
    choropleth.clearLayers();
    const layer = L.geoJSON(geo, {
      filter: (f) => byCode.has(str(obj(f.properties).code, '')),
      style: (f) => {
        const c = byCode.get(str(obj(f?.properties).code, ''))!;
        const p = pct(c) / 100;
        return { color: '#235b4e', weight: 1, fillColor: `rgb(${Math.round(230 - 190 * p)},${Math.round(230 - 100 * p)},${Math.round(230 - 160 * p)})`, fillOpacity: 0.85, className: 'progress-state' };
      },
      onEachFeature: (f, layer) => {
        const c = byCode.get(str(obj(f.properties).code, ''))!;
        layer.bindTooltip(`${str(obj(f.properties).name)}: ${c.delivered}/${c.planned} (${formatNumber(pct(c), 1)} %)`);
      },
    }).addTo(choropleth);
    if (!fitted && layer.getBounds().isValid()) {
      fitted = true;
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    }
    live.textContent = `${t('national.live')} · ${new Date().toLocaleTimeString()}`;
    void loadGallery();
  };

  const shownEvidence = new Set<string>();
  const loadGallery = async (): Promise<void> => {
    let items: Json[];
    try {
      items = itemsOf<Json>(await ctx.api.get(`rounds/${encodeURIComponent(roundId)}/evidence?limit=48`, ctx.signal));
    } catch (error) {
      if (shownEvidence.size === 0) gallery.replaceChildren(problemNotice(error, 'GET /api/v1/rounds/{id}/evidence'));
      return;
    }
    if (shownEvidence.size === 0) gallery.replaceChildren();
    for (const e of items) {
      const id = idOf(e) || str(e.sha256, str(e.hash, ''));
      if (shownEvidence.has(id)) continue;
      shownEvidence.add(id);
      const img = h('img', { alt: `${str(e.unitName ?? e.name, '')} ${str(e.clues, '')}`, loading: 'lazy' });
      const thumb = str(e.thumbnailUrl ?? e.thumbUrl, '') || `/api/v1/evidence/${encodeURIComponent(id)}/thumbnail`;
      gallery.appendChild(h('figure', { dataset: { evidence: id } }, img, h('figcaption', null, `${str(e.unitName ?? e.name, '')} · ${str(e.clues, '')}`)));
      ctx.api
        .raw(thumb, { headers: { accept: 'image/*' } })
        .then((r) => r.blob())
        .then((blob) => {
          img.src = URL.createObjectURL(blob);
        })
        .catch(() => undefined);
    }
  };

  await refresh();
  keepLive(ctx.api, `/api/v1/rounds/${encodeURIComponent(roundId)}/progress/events`, refresh, ctx.signal, 5000);
}

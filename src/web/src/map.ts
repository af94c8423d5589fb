import * as L from 'leaflet';
import { gridCluster } from './cluster.ts';
import { tileUrl } from './settings.ts';
import { t } from './i18n.ts';

/** Mexico's centre and a zoom that shows the whole country on a tablet. */
const MEXICO: L.LatLngExpression = [23.6, -102.5];

let statesGeo: Promise<GeoJSON.FeatureCollection> | undefined;
function loadStates(): Promise<GeoJSON.FeatureCollection> {
  statesGeo ??= fetch('/geo/mx-states.json').then((r) => (r.ok ? (r.json() as Promise<GeoJSON.FeatureCollection>) : { type: 'FeatureCollection', features: [] }));
  return statesGeo;
}

export interface ConsoleMap {
  map: L.Map;
  /** Resolves once the state basemap is drawn (tests wait on the states layer too). */
  basemap: Promise<void>;
}

/** A map with the offline state basemap (from data/) and, if configured, a tile layer. */
export function createMap(container: HTMLElement): ConsoleMap {
  container.setAttribute('role', 'region');
  container.setAttribute('aria-label', t('map.label'));
  const map = L.map(container, { center: MEXICO, zoom: 5, minZoom: 4, maxZoom: 16, zoomSnap: 0.5, keyboard: true, preferCanvas: false });
  const tiles = tileUrl();
  if (tiles) L.tileLayer(tiles, { maxZoom: 18, attribution: '&copy; OpenStreetMap' }).addTo(map);
  const basemap = loadStates().then((geo) => {
    L.geoJSON(geo, {
      interactive: false,
      style: () => ({ className: 'state-shape', color: '#8a8d8c', weight: 1, fillColor: '#fbfbf8', fillOpacity: tiles ? 0.05 : 1 }),
    }).addTo(map);
  });
  return { map, basemap };
}

export interface MapUnit {
  clues: string;
  name: string;
  lat: number;
  lng: number;
  approximate: boolean;
  color: string;
  popup?: string;
}

/**
 * Units drawn with grid clustering; re-clustered on every zoom or pan. Exact locations are solid
 * circles, approximate ones (locationPrecision ≠ exact) hollow dashed circles.
 */
export class UnitsLayer {
  private readonly group = L.layerGroup();
  private units: MapUnit[] = [];

  constructor(
    private readonly map: L.Map,
    private readonly cellPx = 56,
  ) {
    this.group.addTo(map);
    map.on('zoomend moveend', () => this.render());
  }

  setUnits(units: MapUnit[], fit = false): void {
    this.units = units;
    if (fit && units.length > 0) {
      // fitBounds triggers moveend, which renders.
      this.map.fitBounds(L.latLngBounds(units.map((u) => [u.lat, u.lng] as L.LatLngTuple)), { padding: [24, 24], maxZoom: 12 });
    }
    this.render();
  }

  private render(): void {
    this.group.clearLayers();
    const zoom = this.map.getZoom();
    const bounds = this.map.getBounds().pad(0.3);
    const visible = this.units.filter((u) => bounds.contains([u.lat, u.lng]));
    const points = visible.map((u) => {
      const p = this.map.project([u.lat, u.lng], zoom);
      return { x: p.x, y: p.y, value: u };
    });
    const clusters = zoom >= 11 ? points.map((p) => ({ x: p.x, y: p.y, members: [p.value] })) : gridCluster(points, this.cellPx);
    for (const cluster of clusters) {
      if (cluster.members.length === 1) {
        this.group.addLayer(unitMarker(cluster.members[0]));
        continue;
      }
      const centre = this.map.unproject([cluster.x, cluster.y], zoom);
      const n = cluster.members.length;
      const size = Math.round(26 + Math.min(24, Math.log2(n) * 4));
      // The cluster takes the most frequent colour of its units, so hot spots stay visible.
      const tally = new Map<string, number>();
      for (const m of cluster.members) tally.set(m.color, (tally.get(m.color) ?? 0) + 1);
      const color = [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const label = `${n}`;
      const icon = L.divIcon({ className: '', html: `<div class="cluster-icon" style="width:${size}px;height:${size}px;background:${color}">${label}</div>`, iconSize: [size, size] });
      const marker = L.marker(centre, { icon, keyboard: true, title: label });
      marker.on('click', () => this.map.setView(centre, Math.min(zoom + 2, 16)));
      this.group.addLayer(marker);
    }
  }
}

function unitMarker(u: MapUnit): L.CircleMarker {
  const marker = L.circleMarker([u.lat, u.lng], {
    radius: 6,
    color: u.color,
    weight: 2,
    fillColor: u.approximate ? '#ffffff' : u.color,
    fillOpacity: u.approximate ? 0.6 : 0.9,
    dashArray: u.approximate ? '2 3' : undefined,
    className: u.approximate ? 'unit-approx' : 'unit-exact',
  });
  marker.bindPopup(u.popup ?? `<strong>${escapeHtml(u.name)}</strong><br>${escapeHtml(u.clues)}`);
  return marker;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Distinct, colour-blind-friendlier colours for vehicles (cycled). */
export const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b2182b', '#4d4d4d'];

export function colorFor(key: string, keys: string[]): string {
  const i = keys.indexOf(key);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

export const RISK_COLORS: Record<string, string> = { high: '#b3261e', medium: '#e08e0b', low: '#2e7d32', unknown: '#6f7271' };
export const STATUS_COLORS: Record<string, string> = { delivered: '#2e7d32', planned: '#1565c0', notDelivered: '#b3261e', uncovered: '#6f7271' };

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { booleanPointInPolygon, pointToPolygonDistance } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

/**
 * Reference data shipped in data/ (see data/SOURCES.md): the 23 IMSS-Bienestar states, their
 * municipalities with one point each, the state polygons and the five regions of the operation.
 * Loaded once per process and never mutated: it is immutable reference data, not a connection.
 */

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');

export interface State {
  /** Two-digit INEGI code, e.g. "07". */
  code: string;
  name: string;
  abbr: string;
  /** The two letters every CLUES of the state starts with (e.g. "CS" for Chiapas). */
  cluesPrefix: string;
  imssBienestar: boolean;
  capital: string;
  capitalLat: number;
  capitalLng: number;
  /** Centro, Noreste, Noroeste, Sureste or Suroeste (only IMSS-Bienestar states). */
  region: Region | undefined;
}

export const REGIONS = ['Centro', 'Noreste', 'Noroeste', 'Sureste', 'Suroeste'] as const;
export type Region = (typeof REGIONS)[number];

export interface Municipality {
  stateCode: string;
  /** Three-digit INEGI municipality code within the state, e.g. "017". */
  code: string;
  name: string;
  lat: number;
  lng: number;
}

export interface ReferenceData {
  states: State[];
  /** Only the 23 IMSS-Bienestar states, by INEGI code. */
  imbStates: Map<string, State>;
  statesByCode: Map<string, State>;
  statesByPrefix: Map<string, State>;
  /** Key `${stateCode}${municipalityCode}` (5 digits). */
  municipalities: Map<string, Municipality>;
  /** Finds a state by INEGI code ("7", "07") or name ("CHIAPAS", "Veracruz"); undefined if unknown. */
  findState(codeOrName: string): State | undefined;
  /** Finds a municipality of a state by INEGI code ("17", "017") or name (accents and case ignored). */
  findMunicipality(stateCode: string, codeOrName: string): Municipality | undefined;
  /** True when the point lies in the state's polygon or within the tolerance of its border. */
  pointInState(stateCode: string, lat: number, lng: number, toleranceKm?: number): boolean;
  /** The polygon index (0 = the largest) the point falls in, for island detection; -1 if none. */
  polygonIndexInState(stateCode: string, lat: number, lng: number): number;
}

/** Natural Earth's 1:10m borders are generalised: 2.4 % of real units fall just outside (geo/SOURCES.md). */
export const STATE_BORDER_TOLERANCE_KM = 15;

/** Mexico's bounding box (generous), used to tell "outside Mexico" from "outside its state". */
export const MEXICO_BBOX = { minLat: 14.3, maxLat: 32.8, minLng: -118.6, maxLng: -86.5 } as const;

export function inMexicoBbox(lat: number, lng: number): boolean {
  return lat >= MEXICO_BBOX.minLat && lat <= MEXICO_BBOX.maxLat && lng >= MEXICO_BBOX.minLng && lng <= MEXICO_BBOX.maxLng;
}

/** Upper case, no accents, only letters/digits and single spaces: how names are compared. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

export function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, bom: true, trim: true });
}

function num(value: string, what: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw new Error(`${what}: not a number: "${value}"`);
  return n;
}

type StateFeature = Feature<Polygon | MultiPolygon, { code: string; name: string }>;

/** Polygons of a state sorted by area proxy (ring length), largest first. */
function splitPolygons(feature: StateFeature): Feature<Polygon>[] {
  const geometry = feature.geometry;
  const rings = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const area = (coords: number[][][]): number => {
    const ring = coords[0];
    let sum = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
    return Math.abs(sum / 2);
  };
  return rings
    .map((coordinates) => ({ coordinates, area: area(coordinates) }))
    .sort((a, b) => b.area - a.area)
    .map(({ coordinates }) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } }));
}

export function loadReferenceData(dataDir: string = DATA_DIR): ReferenceData {
  const regionRows = readCsv(join(dataDir, 'regions.csv'));
  const regionByState = new Map(regionRows.map((row) => [row.state_code, row.region as Region]));
  for (const [code, region] of regionByState) {
    if (!REGIONS.includes(region)) throw new Error(`regions.csv: state ${code} has unknown region "${region}"`);
  }
  const states: State[] = readCsv(join(dataDir, 'geo', 'states.csv')).map((row) => ({
    code: row.code,
    name: row.name,
    abbr: row.abbr,
    cluesPrefix: row.clues_prefix,
    imssBienestar: row.imss_bienestar === 'true',
    capital: row.capital,
    capitalLat: num(row.capital_lat, `states.csv ${row.code}`),
    capitalLng: num(row.capital_lng, `states.csv ${row.code}`),
    region: regionByState.get(row.code),
  }));
  const statesByCode = new Map(states.map((s) => [s.code, s]));
  const imbStates = new Map(states.filter((s) => s.imssBienestar).map((s) => [s.code, s]));
  const statesByPrefix = new Map(states.map((s) => [s.cluesPrefix, s]));
  const stateNames = new Map<string, State>();
  for (const s of states) {
    stateNames.set(normaliseName(s.name), s);
    // Short forms used by DGIS files ("VERACRUZ", "MICHOACAN", "COAHUILA", "MEXICO", "CDMX").
    stateNames.set(normaliseName(s.name.split(' de ')[0]), s);
    stateNames.set(normaliseName(s.abbr), s);
  }
  stateNames.set('ESTADO DE MEXICO', statesByCode.get('15')!);
  stateNames.set('DISTRITO FEDERAL', statesByCode.get('09')!);
  stateNames.set('CDMX', statesByCode.get('09')!);

  const municipalities = new Map<string, Municipality>();
  const municipalityNames = new Map<string, Municipality>();
  for (const row of readCsv(join(dataDir, 'geo', 'municipalities.csv'))) {
    const m: Municipality = {
      stateCode: row.state_code,
      code: row.municipality_code,
      name: row.municipality,
      lat: num(row.lat, `municipalities.csv ${row.state_code}${row.municipality_code}`),
      lng: num(row.lng, `municipalities.csv ${row.state_code}${row.municipality_code}`),
    };
    municipalities.set(`${m.stateCode}${m.code}`, m);
    const key = `${m.stateCode}|${normaliseName(m.name)}`;
    if (!municipalityNames.has(key)) municipalityNames.set(key, m);
  }
  for (const row of readCsv(join(dataDir, 'geo', 'municipality-aliases.csv'))) {
    const m = municipalities.get(`${row.state_code}${row.municipality_code}`);
    if (!m) throw new Error(`municipality-aliases.csv: ${row.state_code}${row.municipality_code} is not in municipalities.csv`);
    municipalityNames.set(`${row.state_code}|${normaliseName(row.name)}`, m);
  }

  const geo = JSON.parse(readFileSync(join(dataDir, 'geo', 'mx-states.geojson'), 'utf8')) as { features: StateFeature[] };
  const shapes = new Map<string, { whole: StateFeature; parts: Feature<Polygon>[] }>();
  for (const feature of geo.features) shapes.set(feature.properties.code, { whole: feature, parts: splitPolygons(feature) });

  const findState = (codeOrName: string): State | undefined => {
    const raw = codeOrName.trim();
    if (/^\d{1,2}(\.0+)?$/.test(raw)) return statesByCode.get(String(parseInt(raw, 10)).padStart(2, '0'));
    return stateNames.get(normaliseName(raw));
  };
  const findMunicipality = (stateCode: string, codeOrName: string): Municipality | undefined => {
    const raw = codeOrName.trim();
    if (/^\d{1,3}(\.0+)?$/.test(raw)) return municipalities.get(`${stateCode}${String(parseInt(raw, 10)).padStart(3, '0')}`);
    return municipalityNames.get(`${stateCode}|${normaliseName(raw)}`);
  };
  const pointInState = (stateCode: string, lat: number, lng: number, toleranceKm = STATE_BORDER_TOLERANCE_KM): boolean => {
    const shape = shapes.get(stateCode);
    if (!shape) return false;
    const point: [number, number] = [lng, lat];
    if (booleanPointInPolygon(point, shape.whole)) return true;
    if (toleranceKm <= 0) return false;
    return shape.parts.some((part) => pointToPolygonDistance(point, part, { units: 'kilometers' }) <= toleranceKm);
  };
  const polygonIndexInState = (stateCode: string, lat: number, lng: number): number => {
    const shape = shapes.get(stateCode);
    if (!shape) return -1;
    return shape.parts.findIndex((part) => booleanPointInPolygon([lng, lat], part));
  };
  return { states, imbStates, statesByCode, statesByPrefix, municipalities, findState, findMunicipality, pointInState, polygonIndexInState };
}

let cached: ReferenceData | undefined;

/** The shipped reference data, parsed on first use (≈ 50 ms) and shared by the process. */
export function referenceData(): ReferenceData {
  cached ??= loadReferenceData();
  return cached;
}

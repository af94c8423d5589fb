/**
 * One CLUES row → a normalised unit, or the reason it is skipped. Header names follow the DGIS
 * file (`CLUES`, `CLAVE DE LA INSTITUCION`, `NOMBRE DE TIPOLOGIA`, `LATITUD`, …); CLUES_IMB.xlsx
 * and our own catalogue CSV (`clues,name,tipologia,state_code,…`) use variants handled below.
 */
import { inMexicoBbox, normaliseName, type Municipality, type ReferenceData, type State } from './reference.ts';
import { classifyUnit, type SizeClass } from './tipologia.ts';

export type Field =
  | 'clues'
  | 'institutionCode'
  | 'institutionName'
  | 'stateCode'
  | 'stateName'
  | 'municipalityCode'
  | 'municipalityName'
  | 'localityCode'
  | 'localityName'
  | 'establishmentType'
  | 'tipologia'
  | 'catalogType'
  | 'name'
  | 'status'
  | 'level'
  | 'lat'
  | 'lng';

/** Accepted header spellings per field, compared after normaliseName (accents, case, punctuation). */
const HEADER_ALIASES: Record<Field, string[]> = {
  clues: ['CLUES', 'CLAVE CLUES'],
  institutionCode: ['CLAVE DE LA INSTITUCION', 'CLAVE INSTITUCION', 'INSTITUCION CLAVE'],
  institutionName: ['NOMBRE DE LA INSTITUCION', 'INSTITUCION', 'NOMBRE INSTITUCION', 'INSTITUTION'],
  stateCode: ['CLAVE DE LA ENTIDAD', 'CLAVE ENTIDAD', 'CVE ENT', 'STATE CODE', 'ID ENTIDAD'],
  stateName: ['ENTIDAD', 'NOMBRE DE LA ENTIDAD', 'NOMBRE ENTIDAD', 'ESTADO', 'STATE'],
  municipalityCode: ['CLAVE DEL MUNICIPIO', 'CLAVE MUNICIPIO', 'CVE MUN', 'MUNICIPALITY CODE'],
  municipalityName: ['MUNICIPIO', 'NOMBRE DEL MUNICIPIO', 'NOMBRE MUNICIPIO', 'MUNICIPALITY'],
  localityCode: ['CLAVE DE LA LOCALIDAD', 'CLAVE LOCALIDAD', 'CVE LOC'],
  localityName: ['LOCALIDAD', 'NOMBRE DE LA LOCALIDAD', 'NOMBRE LOCALIDAD', 'LOCALITY'],
  establishmentType: ['NOMBRE TIPO ESTABLECIMIENTO', 'TIPO ESTABLECIMIENTO', 'TIPO DE ESTABLECIMIENTO'],
  tipologia: ['NOMBRE DE TIPOLOGIA', 'NOMBRE TIPOLOGIA', 'TIPOLOGIA', 'TIPOLOGIA ORIGINAL'],
  catalogType: ['TIPO UNIDAD MEDICA', 'TIPO DE UNIDAD MEDICA', 'TYPE'],
  name: ['NOMBRE DE LA UNIDAD', 'NOMBRE UNIDAD', 'NOMBRE DE LA UNIDAD MEDICA', 'NAME'],
  status: ['ESTATUS DE OPERACION', 'ESTATUS OPERACION', 'ESTATUS'],
  level: ['NIVEL ATENCION', 'NIVEL DE ATENCION', 'LEVEL'],
  lat: ['LATITUD', 'LAT'],
  lng: ['LONGITUD', 'LNG', 'LON'],
};

export type HeaderMap = Partial<Record<Field, string>>;

const KNOWN_HEADERS = new Set(Object.values(HEADER_ALIASES).flat());

/** True for a header some field may be read from (the others need not be kept in memory). */
export function isKnownHeader(header: string): boolean {
  return KNOWN_HEADERS.has(normaliseName(header));
}

export class MissingColumnsError extends Error {
  override name = 'MissingColumnsError';
}

/** Maps the file's headers to fields; throws naming what is missing when a required one is absent. */
export function mapHeaders(headers: string[]): HeaderMap {
  const byNormal = new Map(headers.map((header) => [normaliseName(header), header]));
  const map: HeaderMap = {};
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [Field, string[]][]) {
    const found = aliases.find((alias) => byNormal.has(alias));
    if (found) map[field] = byNormal.get(found);
  }
  const missing: string[] = [];
  if (!map.clues) missing.push('CLUES');
  if (!map.name) missing.push('NOMBRE DE LA UNIDAD');
  if (!map.stateCode && !map.stateName) missing.push('CLAVE DE LA ENTIDAD or ENTIDAD');
  if (!map.municipalityCode && !map.municipalityName) missing.push('CLAVE DEL MUNICIPIO or MUNICIPIO');
  if (missing.length > 0) throw new MissingColumnsError(`missing column(s): ${missing.join('; ')} (found: ${headers.join(', ')})`);
  return map;
}

export const SKIP_REASONS = ['not-in-operation', 'other-institution', 'not-a-care-unit', 'unknown-state-or-municipality', 'malformed'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const COORDINATE_PROBLEMS = ['missing', 'zero', 'outside-mexico', 'outside-state'] as const;
export type CoordinateProblem = (typeof COORDINATE_PROBLEMS)[number];

export interface NormalisedRow {
  line: number;
  clues: string;
  name: string;
  institution: string;
  state: State;
  municipality: Municipality;
  localityCode?: string;
  localityName?: string;
  level: 1 | 2 | 3;
  tipologia: string;
  type: string;
  sizeClass: SizeClass;
  nucleosBasicos: number | null;
  /** The file's own coordinate when usable. */
  point?: { lat: number; lng: number };
  /** Why the file's coordinate is not usable. */
  coordinateProblem?: CoordinateProblem;
  rawCoordinate?: string;
}

export type RowOutcome = { kind: 'unit'; row: NormalisedRow } | { kind: 'skip'; line: number; clues: string; reason: SkipReason; detail: string };

const CLUES_PATTERN = /^[A-Z]{5}\d{6}$/;

function parseCoordinate(value: string): number | undefined {
  const text = value.trim().replace(',', '.');
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function parseLevel(value: string): 1 | 2 | 3 | 'none' | undefined {
  const v = normaliseName(value);
  if (v === '') return undefined;
  if (v === 'PRIMER NIVEL' || v === '1') return 1;
  if (v === 'SEGUNDO NIVEL' || v === '2') return 2;
  if (v === 'TERCER NIVEL' || v === '3') return 3;
  if (v === 'NO APLICA') return 'none';
  return undefined;
}

/** Human-readable unit type from the size class (the tipología keeps the official wording). */
export function unitTypeLabel(sizeClass: SizeClass, tipologia: string): string {
  switch (sizeClass) {
    case 'movil':
      return 'unidad móvil';
    case 'uneme':
      return 'UNEME';
    case 'caaps':
      return 'CAAPS';
    case 'cessa':
      return 'CESSA';
    case 'hospital':
      return 'hospital';
    case 'clinica':
      return tipologia.trim() === '' ? 'otra unidad de primer nivel' : tipologia.trim().toLowerCase();
    default:
      return 'centro de salud';
  }
}

/**
 * Normalises one row. `institutions` are the CLUES institution codes to keep (default IMB).
 * Coordinates never cause a skip: a bad one is reported as `coordinateProblem` and placed later.
 */
export function normaliseRow(cells: Record<string, string>, line: number, headers: HeaderMap, reference: ReferenceData, institutions: ReadonlySet<string>): RowOutcome {
  const get = (field: Field): string => {
    const header = headers[field];
    return header === undefined ? '' : (cells[header] ?? '').trim();
  };
  const clues = get('clues').toUpperCase().replace(/\s+/g, '');
  const skip = (reason: SkipReason, detail: string): RowOutcome => ({ kind: 'skip', line, clues, reason, detail });
  if (!CLUES_PATTERN.test(clues)) return skip('malformed', clues === '' ? 'no CLUES' : `"${clues}" is not a CLUES (2 letters of state, 3 of institution, 6 digits)`);
  const name = get('name').replace(/\s+/g, ' ');
  if (name === '') return skip('malformed', 'no unit name');

  const institution = (get('institutionCode') || clues.slice(2, 5)).toUpperCase();
  if (!institutions.has(institution)) return skip('other-institution', `institution ${institution}${get('institutionName') ? ` (${get('institutionName')})` : ''}`);
  const status = get('status');
  if (status !== '' && normaliseName(status) !== 'EN OPERACION') return skip('not-in-operation', `status "${status}"`);
  const levelText = get('level');
  const level = parseLevel(levelText);
  if (level === 'none') return skip('not-a-care-unit', `level "${levelText}" (administrative record)`);

  const stateText = get('stateCode') || get('stateName');
  const state = reference.findState(stateText) ?? (get('stateName') ? reference.findState(get('stateName')) : undefined);
  if (!state) return skip('unknown-state-or-municipality', `unknown state "${stateText}"`);
  if (!reference.imbStates.has(state.code)) return skip('unknown-state-or-municipality', `state ${state.code} ${state.name} is not an IMSS-Bienestar state`);
  const municipalityText = get('municipalityCode') || get('municipalityName');
  const municipality =
    reference.findMunicipality(state.code, municipalityText) ?? (get('municipalityName') ? reference.findMunicipality(state.code, get('municipalityName')) : undefined);
  if (!municipality) return skip('unknown-state-or-municipality', `unknown municipality "${municipalityText}" of ${state.name}`);

  const tipologia = get('tipologia').replace(/\s+/g, ' ');
  const typeHint = `${get('catalogType')} ${get('establishmentType')}`;
  const { sizeClass, nucleosBasicos } = classifyUnit(tipologia, typeHint, typeof level === 'number' ? level : 1);

  const rawLat = get('lat');
  const rawLng = get('lng');
  const lat = parseCoordinate(rawLat);
  const lng = parseCoordinate(rawLng);
  let point: NormalisedRow['point'];
  let coordinateProblem: CoordinateProblem | undefined;
  if (lat === undefined || lng === undefined) coordinateProblem = 'missing';
  else if (lat === 0 || lng === 0) coordinateProblem = 'zero';
  else if (!inMexicoBbox(lat, lng)) coordinateProblem = 'outside-mexico';
  else if (!reference.pointInState(state.code, lat, lng)) coordinateProblem = 'outside-state';
  else point = { lat, lng };

  const localityCode = get('localityCode');
  const localityName = get('localityName');
  return {
    kind: 'unit',
    row: {
      line,
      clues,
      name,
      institution,
      state,
      municipality,
      ...(/^\d{1,4}(\.0+)?$/.test(localityCode) ? { localityCode: String(parseInt(localityCode, 10)).padStart(4, '0') } : {}),
      ...(localityName !== '' ? { localityName } : {}),
      level: typeof level === 'number' ? level : 1,
      tipologia,
      type: unitTypeLabel(sizeClass, tipologia),
      sizeClass,
      nucleosBasicos,
      ...(point ? { point } : {}),
      ...(coordinateProblem ? { coordinateProblem, rawCoordinate: `${rawLat || '—'}, ${rawLng || '—'}` } : {}),
    },
  };
}

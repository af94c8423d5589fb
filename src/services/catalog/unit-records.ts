/**
 * Turns a located unit into the fields stored for it, and merges those into an existing unit
 * following the rules shared by the seed and the CLUES import:
 * - official fields (name, tipología, state, municipality, level, …) come from the newest source;
 * - a coordinate is never replaced by a less precise one (exact > locality > municipality);
 * - operational fields (time windows, service time, access notes, contact, active) are written
 *   only when the unit is created: after that they belong to the people who edit them.
 */
import type { HealthUnit, HealthUnitInput } from '../../repositories/units.ts';
import { accessFor, stateWarehouseId, type NetworkSettings } from './network.ts';
import type { ReferenceData, State } from './reference.ts';
import type { SizeClassRecord } from './kit.ts';
import type { SizeClass } from './tipologia.ts';

export type LocationPrecision = 'exact' | 'locality' | 'municipality';
export type UnitSource = 'catalog' | 'clues-import' | 'manual';

export const PRECISION_RANK: Record<LocationPrecision, number> = { exact: 3, locality: 2, municipality: 1 };

export interface LocatedUnit {
  clues: string;
  name: string;
  institution: string;
  state: State;
  municipality: { code?: string; name: string };
  locality?: string;
  level: 1 | 2 | 3;
  type: string;
  tipologia: string;
  sizeClass: SizeClass;
  lat: number;
  lng: number;
  precision: LocationPrecision;
}

export interface UnitContext {
  reference: ReferenceData;
  sizeClasses: Map<SizeClass, SizeClassRecord>;
  boatUnits: Map<string, string>;
  settings: NetworkSettings;
}

/** Fields every write sets (official data). */
export type OfficialFields = Pick<
  HealthUnitInput,
  'clues' | 'name' | 'institution' | 'state' | 'municipality' | 'locality' | 'level' | 'type' | 'tipologia' | 'sizeClass' | 'location' | 'locationPrecision' | 'source' | 'warehouseId'
>;
/** Fields written only on insert (operational data). */
export type OperationalFields = Pick<HealthUnitInput, 'timeWindows' | 'serviceTimeMin' | 'access' | 'active' | 'synthetic'>;

function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** Rounds a coordinate to 6 decimals (≈ 0.1 m): stable comparisons, no false "changes". */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function officialFields(unit: LocatedUnit, source: UnitSource): OfficialFields {
  return {
    clues: unit.clues,
    name: unit.name,
    institution: unit.institution,
    state: { code: unit.state.code, name: unit.state.name },
    municipality: unit.municipality.code ? { code: unit.municipality.code, name: unit.municipality.name } : { name: unit.municipality.name },
    ...(unit.locality ? { locality: unit.locality } : {}),
    level: unit.level,
    type: unit.type,
    tipologia: unit.tipologia,
    sizeClass: unit.sizeClass,
    location: { type: 'Point', coordinates: [round6(unit.lng), round6(unit.lat)] },
    locationPrecision: unit.precision,
    source,
    warehouseId: stateWarehouseId(unit.state.code),
  };
}

export function operationalFields(unit: LocatedUnit, context: UnitContext): OperationalFields {
  const sizeClass = context.sizeClasses.get(unit.sizeClass)!;
  return {
    timeWindows: [{ startMin: minutes(sizeClass.windowStart), endMin: minutes(sizeClass.windowEnd) }],
    serviceTimeMin: sizeClass.serviceTimeMin,
    access: accessFor({ clues: unit.clues, stateCode: unit.state.code, lat: unit.lat, lng: unit.lng }, unit.state, context.reference, context.boatUnits, context.settings),
    active: true,
    synthetic: false,
  };
}

/** JSON with sorted keys: equality of stored vs new values regardless of key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface MergeResult {
  /** Fields to $set (only those that differ); empty when nothing changes. */
  set: Partial<OfficialFields>;
  /** The existing coordinate was kept because the new one is less precise. */
  keptLocation: boolean;
}

/** What to write into an existing unit so it carries `incoming` (see the rules at the top). */
export function mergeOfficial(existing: HealthUnit, incoming: OfficialFields): MergeResult {
  const next: Partial<OfficialFields> = { ...incoming };
  let keptLocation = false;
  const existingRank = existing.location ? PRECISION_RANK[existing.locationPrecision] : 0;
  if (existingRank > PRECISION_RANK[incoming.locationPrecision ?? 'municipality']) {
    delete next.location;
    delete next.locationPrecision;
    keptLocation = true;
  }
  const set: Partial<OfficialFields> = {};
  for (const [key, value] of Object.entries(next) as [keyof OfficialFields, unknown][]) {
    if (stable((existing as unknown as Record<string, unknown>)[key]) !== stable(value)) (set as Record<string, unknown>)[key] = value;
  }
  return { set, keptLocation };
}

import { randomBytes } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import type { Page, PageRequest } from '../repositories/common.ts';
import type { HealthUnit, HealthUnitInput, HealthUnitPatch, UnitFilter, UnitRepository } from '../repositories/units.ts';
import type { WarehouseRepository } from '../repositories/warehouses.ts';
import { authorize, authorizeState, authorizeUnit, scopedState, type Principal } from './auth.ts';
import { stateName } from './states.ts';

export type { HealthUnit, UnitFilter } from '../repositories/units.ts';

type GeoPoint = NonNullable<HealthUnit['location']>;
type Precision = HealthUnit['locationPrecision'];

/** Where to put a unit registered without coordinates (the catalogue engineer's gazetteer plugs in here). */
export type PlaceUnit = (unit: { state: { code: string; name: string }; municipality: { code?: string; name: string }; locality?: string }) =>
  | Promise<{ location: GeoPoint; locationPrecision: Precision } | undefined>
  | { location: GeoPoint; locationPrecision: Precision }
  | undefined;

/** Size class of a unit from its tipología / type / level, when the caller gives none. */
export type ClassifyUnit = (unit: { tipologia?: string; type: string; level: number }) => string | undefined;

/** Loose bounding box of Mexico; a coordinate outside it cannot be right (swapped lat/lng, zeros). */
const MEXICO = { minLng: -118.6, minLat: 14.3, maxLng: -86.5, maxLat: 32.8 };

export function insideMexico(coordinates: readonly number[]): boolean {
  const [lng, lat] = coordinates;
  return coordinates.length === 2 && lng >= MEXICO.minLng && lng <= MEXICO.maxLng && lat >= MEXICO.minLat && lat <= MEXICO.maxLat;
}

export interface NewUnit {
  clues?: string;
  name: string;
  institution?: string;
  state: { code: string; name?: string };
  municipality: { code?: string; name: string };
  locality?: string;
  level?: 1 | 2 | 3;
  type: string;
  tipologia?: string;
  sizeClass?: string;
  location?: GeoPoint;
  timeWindows?: HealthUnit['timeWindows'];
  serviceTimeMin?: number;
  access?: Partial<HealthUnit['access']>;
  warehouseId?: string;
  contact?: HealthUnit['contact'];
  synthetic?: boolean;
}

export type UnitPatch = Partial<Omit<NewUnit, 'clues' | 'state' | 'access' | 'contact'>> & {
  state?: { code: string; name?: string };
  access?: Partial<HealthUnit['access']>;
  contact?: HealthUnit['contact'];
  active?: boolean;
};

function locationErrors(location: GeoPoint | undefined): FieldError[] {
  if (location === undefined) return [];
  return insideMexico(location.coordinates) ? [] : [{ pointer: '/body/location/coordinates', detail: 'must be [longitude, latitude] inside Mexico' }];
}

function windowErrors(windows: HealthUnit['timeWindows'] | undefined): FieldError[] {
  return (windows ?? []).flatMap((w, i) => (w.endMin <= w.startMin ? [{ pointer: `/body/timeWindows/${i}/endMin`, detail: 'must be after startMin' }] : []));
}

export function createUnitService(deps: {
  units: UnitRepository;
  warehouses: Pick<WarehouseRepository, 'get'>;
  placeUnit?: PlaceUnit;
  classifyUnit?: ClassifyUnit;
}) {
  const { units } = deps;

  async function load(clues: string): Promise<HealthUnit> {
    const unit = await units.get(clues);
    if (!unit) throw new NotFoundError(`No unit with CLUES ${clues}.`);
    return unit;
  }

  async function warehouseErrors(warehouseId: string | undefined): Promise<FieldError[]> {
    if (warehouseId === undefined) return [];
    return (await deps.warehouses.get(warehouseId)) ? [] : [{ pointer: '/body/warehouseId', detail: `no warehouse ${warehouseId}` }];
  }

  return {
    /** Lets the catalogue code plug in the gazetteer after construction. */
    setPlaceUnit(place: PlaceUnit): void {
      deps.placeUnit = place;
    },

    async list(principal: Principal, filter: UnitFilter, page: PageRequest): Promise<Page<HealthUnit>> {
      authorize(principal, 'units:read');
      return units.list({ ...filter, state: scopedState(principal, filter.state) }, page);
    },

    async get(principal: Principal, clues: string): Promise<HealthUnit> {
      if (principal.role === 'unit') authorizeUnit(principal, { clues }, 'units:read', 'own-unit:read');
      const unit = await load(clues);
      authorizeUnit(principal, unit, 'units:read', 'own-unit:read');
      return unit;
    },

    /** Registers a unit (a unit missing from the catalogue: `source: manual`). */
    async create(principal: Principal, input: NewUnit): Promise<HealthUnit> {
      authorize(principal, 'units:write');
      authorizeState(principal, input.state.code);
      const errors: FieldError[] = [];
      const name = input.state.name ?? stateName(input.state.code);
      if (name === undefined) errors.push({ pointer: '/body/state/code', detail: 'unknown INEGI state code' });
      errors.push(...locationErrors(input.location), ...windowErrors(input.timeWindows), ...(await warehouseErrors(input.warehouseId)));
      const level = input.level ?? 1;
      const sizeClass = input.sizeClass ?? deps.classifyUnit?.({ tipologia: input.tipologia, type: input.type, level });
      if (sizeClass === undefined) errors.push({ pointer: '/body/sizeClass', detail: 'is required (no tipología to derive it from)' });
      if (errors.length > 0 || name === undefined || sizeClass === undefined) throw new ValidationError('The unit is not valid.', errors);
      const state = { code: input.state.code, name };
      let location = input.location;
      let locationPrecision: Precision = 'exact';
      if (location === undefined) {
        const placed = await deps.placeUnit?.({ state, municipality: input.municipality, locality: input.locality });
        location = placed?.location;
        locationPrecision = placed?.locationPrecision ?? 'municipality';
      }
      const clues = input.clues ?? `PROV${input.state.code}${randomBytes(4).toString('hex').toUpperCase()}`;
      const record: HealthUnitInput = {
        clues,
        name: input.name,
        institution: input.institution ?? 'IMB',
        state,
        municipality: input.municipality,
        locality: input.locality,
        level,
        type: input.type,
        tipologia: input.tipologia,
        sizeClass,
        location: location ? { type: 'Point', coordinates: [location.coordinates[0], location.coordinates[1]] } : undefined,
        locationPrecision,
        source: 'manual',
        timeWindows: input.timeWindows,
        serviceTimeMin: input.serviceTimeMin,
        access: input.access ? { remote: false, fourByFour: false, multiDay: false, boat: false, ...input.access } : undefined,
        warehouseId: input.warehouseId,
        contact: input.contact,
        synthetic: input.synthetic ?? false,
        active: true,
      };
      return units.create(record);
    },

    async update(principal: Principal, clues: string, patch: UnitPatch): Promise<HealthUnit> {
      authorize(principal, 'units:write');
      const unit = await load(clues);
      authorizeUnit(principal, unit, 'units:write');
      const errors: FieldError[] = [...locationErrors(patch.location), ...windowErrors(patch.timeWindows), ...(await warehouseErrors(patch.warehouseId))];
      let state: HealthUnit['state'] | undefined;
      if (patch.state !== undefined) {
        authorizeState(principal, patch.state.code);
        const name = patch.state.name ?? stateName(patch.state.code);
        if (name === undefined) errors.push({ pointer: '/body/state/code', detail: 'unknown INEGI state code' });
        else state = { code: patch.state.code, name };
      }
      if (errors.length > 0) throw new ValidationError('The change is not valid.', errors);
      const changes: HealthUnitPatch = {
        ...patch,
        state,
        location: patch.location ? { type: 'Point', coordinates: [patch.location.coordinates[0], patch.location.coordinates[1]] } : undefined,
        // A location given by hand is the unit's own coordinate.
        locationPrecision: patch.location ? 'exact' : undefined,
        access: patch.access ? { ...unit.access, ...patch.access } : undefined,
        contact: patch.contact ? { ...unit.contact, ...patch.contact } : undefined,
        municipality: patch.municipality ? { ...patch.municipality } : undefined,
      };
      return units.update(clues, changes);
    },

    /** DELETE deactivates: units are never removed (their reports and plans refer to them). */
    async deactivate(principal: Principal, clues: string): Promise<HealthUnit> {
      authorize(principal, 'units:write');
      const unit = await load(clues);
      authorizeUnit(principal, unit, 'units:write');
      return units.update(clues, { active: false });
    },
  };
}

export type UnitService = ReturnType<typeof createUnitService>;

/**
 * Warehouses, fleet and access notes of the national network, from data/network.csv and the
 * reference data. Everything here is pure: inputs in, records out (the seed writes them).
 */
import { join } from 'node:path';
import { DATA_DIR, readCsv, type ReferenceData, type State } from './reference.ts';

export type NetworkSettings = Record<string, string>;

export function loadNetworkSettings(dataDir = DATA_DIR): NetworkSettings {
  return Object.fromEntries(readCsv(join(dataDir, 'network.csv')).map((row) => [row.key, row.value]));
}

function numberSetting(settings: NetworkSettings, key: string): number {
  const value = Number(settings[key]);
  if (settings[key] === undefined || !Number.isFinite(value) || value < 0) throw new Error(`data/network.csv: "${key}" must be a non-negative number`);
  return value;
}

function coordinateSetting(settings: NetworkSettings, key: string): number {
  const value = Number(settings[key]);
  if (settings[key] === undefined || !Number.isFinite(value) || Math.abs(value) > 180) throw new Error(`data/network.csv: "${key}" must be a coordinate in degrees`);
  return value;
}

export interface WarehouseRecord {
  id: string;
  name: string;
  kind: 'national-hub' | 'state-warehouse';
  state: { code: string; name: string };
  lat: number;
  lng: number;
  address?: string;
}

export const HUB_ID = 'CEFEDIS';

export function stateWarehouseId(stateCode: string): string {
  return `ALM-${stateCode}`;
}

/** The national hub plus one state warehouse per IMSS-Bienestar state, at its capital (assumption). */
export function buildWarehouses(reference: ReferenceData, settings: NetworkSettings): WarehouseRecord[] {
  const hubState = reference.statesByCode.get(settings.hub_state_code);
  if (!hubState) throw new Error('data/network.csv: hub_state_code is not a state');
  const hub: WarehouseRecord = {
    id: settings.hub_id ?? HUB_ID,
    name: settings.hub_name,
    kind: 'national-hub',
    state: { code: hubState.code, name: hubState.name },
    lat: coordinateSetting(settings, 'hub_lat'),
    lng: coordinateSetting(settings, 'hub_lng'),
    address: settings.hub_address,
  };
  const states = [...reference.imbStates.values()].sort((a, b) => a.code.localeCompare(b.code));
  return [
    hub,
    ...states.map((state) => ({
      id: stateWarehouseId(state.code),
      name: `Almacén estatal ${state.name} (${state.capital})`,
      kind: 'state-warehouse' as const,
      state: { code: state.code, name: state.name },
      lat: state.capitalLat,
      lng: state.capitalLng,
      address: `${state.capital} (ubicación supuesta: capital del estado)`,
    })),
  ];
}

/**
 * Largest-remainder apportionment of `total` over weights, with at least `minimum` each.
 * Deterministic: ties go to the earlier key. Σ result = total (throws if the minimum does not fit).
 */
export function apportion(total: number, weights: readonly { key: string; weight: number }[], minimum = 0): Map<string, number> {
  if (minimum * weights.length > total) throw new Error(`cannot give ${minimum} of ${total} to each of ${weights.length}`);
  const result = new Map(weights.map(({ key }) => [key, minimum]));
  const rest = total - minimum * weights.length;
  const sum = weights.reduce((acc, w) => acc + w.weight, 0);
  if (rest === 0 || sum <= 0) return result;
  const shares = weights.map(({ key, weight }, index) => {
    const exact = (rest * weight) / sum;
    return { key, index, floor: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let given = 0;
  for (const share of shares) {
    result.set(share.key, result.get(share.key)! + share.floor);
    given += share.floor;
  }
  shares.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; i < rest - given; i += 1) result.set(shares[i].key, result.get(shares[i].key)! + 1);
  return result;
}

export type FleetType = '3.5t-truck' | '1.5t-van' | 'refrigerated' | 'boat';

export interface VehicleRecord {
  id: string;
  name: string;
  type: FleetType;
  capacity: { kg: number; m3: number; coldBoxes: number };
  homeWarehouseId: string;
}

/**
 * The published national fleet (96 × 3.5 t, 38 × 1.5 t, 27 refrigerated; operation.md §5) split
 * over the state warehouses in proportion to their workload (30-day kit pieces of their units),
 * at least one of each kind per state; the 35 sanitary bodies are recorded on 3.5 t trucks in the
 * same proportion. One boat per state with units that need one (and the states listed in
 * `boat_extra_states`). Which vehicles each state really has is not published.
 */
export function buildFleet(workloadByState: Map<string, number>, boatStates: Set<string>, settings: NetworkSettings): VehicleRecord[] {
  const states = [...workloadByState.keys()].sort();
  const weights = states.map((key) => ({ key, weight: workloadByState.get(key)! }));
  const trucks = apportion(numberSetting(settings, 'trucks_3_5t'), weights, 1);
  const vans = apportion(numberSetting(settings, 'vans_1_5t'), weights, 1);
  const reefers = apportion(numberSetting(settings, 'refrigerated'), weights, 1);
  const sanitary = apportion(numberSetting(settings, 'sanitary_bodies'), weights, 1);
  const extraBoats = (settings.boat_extra_states ?? '').split(/[;\s]+/).filter((code) => code !== '');
  const cap = (prefix: string) => ({
    kg: numberSetting(settings, `${prefix}_capacity_kg`),
    m3: numberSetting(settings, `${prefix}_capacity_m3`),
    coldBoxes: settings[`${prefix}_cold_boxes`] === undefined ? 0 : numberSetting(settings, `${prefix}_cold_boxes`),
  });
  const vehicles: VehicleRecord[] = [];
  for (const state of states) {
    const home = stateWarehouseId(state);
    const nTrucks = trucks.get(state)!;
    const nSanitary = Math.min(sanitary.get(state)!, nTrucks);
    for (let i = 1; i <= nTrucks; i += 1) {
      vehicles.push({
        id: `${home}-T${String(i).padStart(2, '0')}`,
        name: `Camión 3.5 t${i <= nSanitary ? ' (caja sanitaria)' : ''} ${i}`,
        type: '3.5t-truck',
        capacity: cap('truck_3_5t'),
        homeWarehouseId: home,
      });
    }
    for (let i = 1; i <= vans.get(state)!; i += 1) {
      vehicles.push({ id: `${home}-V${String(i).padStart(2, '0')}`, name: `Camioneta 1.5 t ${i}`, type: '1.5t-van', capacity: cap('van_1_5t'), homeWarehouseId: home });
    }
    for (let i = 1; i <= reefers.get(state)!; i += 1) {
      vehicles.push({ id: `${home}-R${String(i).padStart(2, '0')}`, name: `Caja refrigerada ${i}`, type: 'refrigerated', capacity: cap('refrigerated'), homeWarehouseId: home });
    }
    if (boatStates.has(state) || extraBoats.includes(state)) {
      vehicles.push({ id: `${home}-B01`, name: 'Lancha 1', type: 'boat', capacity: cap('boat'), homeWarehouseId: home });
    }
  }
  return vehicles;
}

export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface AccessRecord {
  remote: boolean;
  fourByFour: boolean;
  multiDay: boolean;
  boat: boolean;
  notes?: string;
}

export function loadBoatUnits(dataDir = DATA_DIR): Map<string, string> {
  return new Map(readCsv(join(dataDir, 'units', 'boat-access.csv')).map((row) => [row.clues, `${row.place}: ${row.evidence}`]));
}

/**
 * Access notes of a unit (inferred, and said so): remote / multi-day from the estimated road
 * distance to its state warehouse (haversine × circuity, thresholds in data/network.csv), boat from
 * data/units/boat-access.csv or a point inside an island polygon of its state. 4×4 need is not
 * inferable from the data and stays false until someone records it.
 */
export function accessFor(
  unit: { clues: string; stateCode: string; lat: number; lng: number },
  warehouse: State,
  reference: ReferenceData,
  boatUnits: Map<string, string>,
  settings: NetworkSettings,
): AccessRecord {
  const roadKm = haversineKm(unit.lat, unit.lng, warehouse.capitalLat, warehouse.capitalLng) * numberSetting(settings, 'circuity_factor');
  const remote = roadKm > numberSetting(settings, 'remote_road_km');
  const multiDay = roadKm > numberSetting(settings, 'multi_day_road_km');
  const boatNote = boatUnits.get(unit.clues) ?? (reference.polygonIndexInState(unit.stateCode, unit.lat, unit.lng) > 0 ? 'point inside an island polygon of its state' : undefined);
  const notes: string[] = [];
  if (remote) notes.push(`remota: ≈ ${Math.round(roadKm)} km por carretera estimados desde el almacén estatal (inferido)`);
  if (boatNote) notes.push(`requiere lancha (inferido): ${boatNote}`);
  return { remote, fourByFour: false, multiDay, boat: boatNote !== undefined, ...(notes.length > 0 ? { notes: notes.join('; ') } : {}) };
}

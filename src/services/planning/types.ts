/**
 * Data shapes of plan generation. Plain data (JSON and structured-clone friendly) so the same
 * shapes flow from the repositories into the engine, into worker jobs and back into documents.
 *
 * Capacity dimensions are always, in this order: weightKg, volumeM3, coldBoxes.
 */
import type { KitComposition } from '../../../solver/replenishment/index.ts';

export const DIMENSIONS = ['weightKg', 'volumeM3', 'coldBoxes'] as const;

export interface StateInfo {
  /** INEGI 2-digit code, e.g. "20". */
  code: string;
  name: string;
}

export interface MinuteWindow {
  /** Minutes after local midnight. */
  startMin: number;
  endMin: number;
}

export interface PlanningUnit {
  clues: string;
  name: string;
  /** e.g. "centro de salud", shown as TIPO DE UNIDAD MÉDICA. */
  type: string;
  level: number;
  state: StateInfo;
  municipality?: string;
  /** WGS84; absent when the catalogue has no usable location (→ unassigned `no_location`). */
  lng?: number;
  lat?: number;
  timeWindows: MinuteWindow[];
  serviceTimeMin: number;
  access: { remote: boolean; fourByFour: boolean; multiDay: boolean; boat: boolean };
  /** Serving warehouse; when absent the state's warehouse is used. */
  warehouseId?: string;
  sizeClass: string;
  contact?: { receiverName?: string; phone?: string; email?: string };
}

export interface PlanningWarehouse {
  id: string;
  name: string;
  state: StateInfo;
  lng: number;
  lat: number;
  /** Loading dock hours, minutes after local midnight. */
  openMin: number;
  closeMin: number;
  /** State coordinator named on the route programme. */
  coordinator?: string;
  /** The national hub (CEFEDIS) supplies warehouses, not units. */
  hub?: boolean;
}

/** A group of identical vehicles based at one warehouse. */
export interface PlanningVehicleType {
  id: string;
  warehouseId: string;
  name: string;
  /** Physical vehicles of this type at the warehouse (each can do one trip per day). */
  count: number;
  capacityKg: number;
  capacityM3: number;
  /** Cold boxes the vehicle can carry (0: no cold chain). */
  coldBoxes: number;
  /** e.g. 'cold', '4x4', 'boat'. */
  skills: string[];
  fixedCost: number;
  costPerKm: number;
  costPerHour: number;
  /** Minutes after local midnight. */
  shiftStartMin: number;
  shiftEndMin: number;
  /** Multi-day trips (remote units): driving minutes per day and most days of one trip. */
  maxDrivingMinPerDay?: number;
  maxDays?: number;
  overnightRestMin?: number;
}

/** A lot of one item on a warehouse shelf (available = quantity − reserved). */
export interface PlanningLot {
  warehouseId: string;
  lotCode: string;
  code: string;
  expiryDate: string;
  available: number;
}

export interface LotPickLine {
  lotCode: string;
  expiryDate: string;
  quantity: number;
}

/** One kit line with its lots (only lines with quantity > 0 are kept). */
export interface KitLineOut {
  code: string;
  name: string;
  category: 'medicine' | 'supply';
  quantity: number;
  coldChain: boolean;
  controlled: boolean;
  /** Lots picked FEFO; empty when the warehouse does not track lots. */
  lots: LotPickLine[];
  /** Pieces that no usable lot could fill (reason in `shortReason`). */
  short: number;
  shortReason?: 'no_stock' | 'expired' | 'short_shelf_life';
}

export interface KitTotalsOut {
  claves: number;
  medicinePieces: number;
  supplyPieces: number;
  weightKg: number;
  volumeM3: number;
  coldBoxes: number;
}

export interface UnitKit {
  clues: string;
  totals: KitTotalsOut;
  lines: KitLineOut[];
}

/** Why a due unit is not on a route. Never silently dropped. */
export type UnassignedReason =
  | 'no_location'
  | 'no_warehouse'
  | 'no_vehicle'
  | 'empty_kit'
  | 'capacity'
  | 'time_window'
  | 'skill'
  | 'shift_length'
  | 'unreachable'
  | 'fleet_days'
  | 'optional';

export const UNASSIGNED_REASONS: readonly UnassignedReason[] = [
  'no_location',
  'no_warehouse',
  'no_vehicle',
  'empty_kit',
  'capacity',
  'time_window',
  'skill',
  'shift_length',
  'unreachable',
  'fleet_days',
  'optional',
];

export const REASON_DETAIL: Record<UnassignedReason, string> = {
  no_location: 'the unit has no coordinates in the catalogue',
  no_warehouse: 'no warehouse serves the unit\u2019s state',
  no_vehicle: 'the serving warehouse has no vehicles',
  empty_kit: 'nothing to deliver: every kit line is 0',
  capacity: 'the kit does not fit in any vehicle of the warehouse (kg, m\u00b3 or cold boxes)',
  time_window: 'no vehicle can reach the unit inside its opening hours',
  skill: 'the unit needs a vehicle the warehouse lacks (cold chain, 4x4 or boat)',
  shift_length: 'the trip does not fit in a shift or in the longest multi-day trip',
  unreachable: 'there is no road (or one leg is longer than a day of driving)',
  fleet_days: 'the fleet has no vehicle-day left in the round\u2019s delivery days',
  optional: 'left out as optional',
};

export interface UnassignedUnit {
  clues: string;
  name: string;
  state: StateInfo;
  warehouseId?: string;
  reason: UnassignedReason;
  detail: string;
}

export interface PlannedStop {
  seq: number;
  clues: string;
  name: string;
  unitType: string;
  state: StateInfo;
  lng: number;
  lat: number;
  /** ISO date of the visit. */
  date: string;
  /** 0-based day within the trip (multi-day trips). */
  tripDay: number;
  arrivalMin: number;
  startMin: number;
  departureMin: number;
  /** Local time of arrival "HH:MM". */
  eta: string;
  /** The crew rests overnight after this stop. */
  overnightAfter: boolean;
  totals: KitTotalsOut;
  receiverName?: string;
  phone?: string;
  email?: string;
}

export interface PlannedRoute {
  /** Unique in the plan: "<warehouseId>-<n>". */
  routeKey: string;
  /** Route number within the warehouse, by date then vehicle ("RUTAS" on the programme). */
  number: number;
  warehouseId: string;
  state: StateInfo;
  /** Physical vehicle: "<warehouseId>.<vehicleTypeId>.<k>" (k 1-based). */
  vehicleId: string;
  vehicleTypeId: string;
  vehicleName: string;
  /** First day of the trip (ISO date) and the 0-based index in the round's delivery days. */
  startDate: string;
  dayIndex: number;
  tripDays: number;
  startMin: number;
  endMin: number;
  distanceKm: number;
  durationMin: number;
  drivingMin: number;
  cost: number;
  load: { weightKg: number; volumeM3: number; coldBoxes: number };
  capacity: { weightKg: number; volumeM3: number; coldBoxes: number };
  stops: PlannedStop[];
}

export interface RationedItem {
  warehouseId: string;
  code: string;
  requested: number;
  allocated: number;
  shortfall: number;
  unitsShort: number;
}

export interface KpiBlock {
  unitsDue: number;
  unitsServed: number;
  unitsUnassigned: number;
  kits: number;
  medicinePieces: number;
  supplyPieces: number;
  routes: number;
  vehicles: number;
  distanceKm: number;
  drivingHours: number;
  durationHours: number;
  cost: number;
  /** Load / capacity of the vehicles used, per dimension (0..1); null when no capacity. */
  utilisation: { weightKg: number | null; volumeM3: number | null; coldBoxes: number | null };
  itemsRationed: number;
  /** Routes starting on each delivery day, in day order. */
  routesPerDay: number[];
}

export interface PlanKpis {
  plan: KpiBlock;
  byState: (KpiBlock & { state: StateInfo })[];
}

export interface BaselineSummary {
  method: 'clarke-wright' | 'nearest-neighbour';
  routes: number;
  distanceKm: number;
  cost: number;
  unassigned: number;
}

export interface WarehouseOutcome {
  warehouseId: string;
  state: StateInfo;
  units: number;
  routes: number;
  distanceKm: number;
  cost: number;
  runtimeMs: number;
  iterations: number;
  feasible: boolean;
  violations: number;
  /** 'hgs' (the search) or 'clarke-wright' where the baseline did better within the time limit. */
  method?: 'hgs' | 'clarke-wright';
  baseline?: { clarkeWright: BaselineSummary; nearestNeighbour: BaselineSummary };
}

/** Everything a finished plan generation produced. */
export interface PlanResult {
  deliveryDates: string[];
  routes: PlannedRoute[];
  kits: UnitKit[];
  unassigned: UnassignedUnit[];
  rationing: RationedItem[];
  kpis: PlanKpis;
  warehouses: WarehouseOutcome[];
  /** Units the round asked for. */
  unitsDue: number;
}

/** Kits as produced by the replenishment core (re-exported for the engine). */
export type { KitComposition };

/**
 * Builds the routing problem of one warehouse for a round: the warehouse is the depot, each due
 * unit with a kit is a client (demand = kit kg, m³, cold boxes), and each vehicle type is offered
 * once per delivery day (count × days): the fleet counts per day. A serialisable
 * {@link WarehouseJob} carries it to a worker thread — or to another machine.
 */
import type { ClientInput, HgsParams, ProblemInput, TimeWindowInput, VehicleTypeInput } from '../../../solver/index.ts';
import type { TravelMatrix } from './distance.ts';
import type { KitTotalsOut, PlanningUnit, PlanningVehicleType, PlanningWarehouse } from './types.ts';

/**
 * Population sizes for searches of a few seconds: with the HGS-CVRP defaults (μ = 25, λ = 40:
 * 100 educated individuals before the first crossover) a warehouse of ~100 units with time
 * windows gets one or two generations in 1–2 s; with μ = 4, λ = 8 it gets about a hundred and
 * beats the Clarke–Wright baseline (measured on Campeche, 103 units: 3,179 km vs 3,446 km).
 */
export const TIME_BOUNDED_PARAMS: Partial<HgsParams> = { mu: 4, lambda: 8 };

/** Suffix of the multi-day variant of a vehicle type in solver problems. */
export const TRIP_SUFFIX = '~trip';

/** The fleet's vehicle type id behind a solver vehicle type id. */
export function physicalTypeId(solverTypeId: string): string {
  return solverTypeId.endsWith(TRIP_SUFFIX) ? solverTypeId.slice(0, -TRIP_SUFFIX.length) : solverTypeId;
}

export interface WarehouseJob {
  warehouseId: string;
  problem: ProblemInput;
  /** Vehicle type id of each problem vehicle type (same index). */
  vehicleTypeIds: string[];
  /** Round delivery days available to this warehouse. */
  days: number;
  timeLimitMs: number;
  seed: number;
  maxIterations?: number;
  /** HGS tuning for this job (see {@link TIME_BOUNDED_PARAMS}). */
  params?: Partial<HgsParams>;
  /** Also build the Clarke–Wright and nearest-neighbour baselines (benchmark). */
  baseline: boolean;
}

export interface ProblemUnit {
  unit: PlanningUnit;
  totals: KitTotalsOut;
}

/** Skills a unit needs from the vehicle. */
export function requiredSkills(unit: PlanningUnit, totals: KitTotalsOut): string[] {
  // 'land': boats serve only the units that need a boat, and land vehicles never those.
  const skills: string[] = unit.access.boat ? [] : ['land'];
  // Cold chain is a capacity (cold boxes per vehicle), not a skill: see PASSIVE_COLD_BOXES.
  void totals;
  if (unit.access.fourByFour) skills.push('4x4');
  if (unit.access.boat) skills.push('boat');
  return skills;
}

function isMultiDay(type: PlanningVehicleType, days: number): boolean {
  return type.maxDrivingMinPerDay !== undefined && (type.maxDays ?? 1) > 1 && days > 1;
}

/**
 * Problem nodes: 0 = warehouse, 1..n = units in the order given; `matrix` must follow it.
 * Remote / multi-day units get their window on every day a multi-day trip can last, so a trip
 * may reach them after an overnight rest; other units are visited on the trip's first day.
 */
export function buildWarehouseProblem(input: {
  warehouse: PlanningWarehouse;
  units: readonly ProblemUnit[];
  vehicleTypes: readonly PlanningVehicleType[];
  matrix: TravelMatrix;
  days: number;
}): { problem: ProblemInput; vehicleTypeIds: string[] } {
  const { warehouse, units, vehicleTypes, matrix, days } = input;
  if (matrix.size !== units.length + 1) throw new RangeError(`matrix has ${matrix.size} nodes, expected ${units.length + 1}`);
  const longestTrip = Math.max(1, ...vehicleTypes.map((t) => (isMultiDay(t, days) ? Math.min(t.maxDays ?? 1, days) : 1)));
  const clients = units.map(({ unit, totals }): ClientInput => {
    const daily = unit.timeWindows.length > 0 ? unit.timeWindows : [{ startMin: 0, endMin: 1440 }];
    const repeat = unit.access.remote || unit.access.multiDay ? longestTrip : 1;
    const timeWindows: TimeWindowInput[] = [];
    for (let d = 0; d < repeat; d++) for (const w of daily) timeWindows.push({ startMin: d * 1440 + w.startMin, endMin: d * 1440 + w.endMin });
    return {
      id: unit.clues,
      demand: [totals.weightKg, totals.volumeM3, totals.coldBoxes],
      serviceMin: unit.serviceTimeMin,
      timeWindows,
      skills: requiredSkills(unit, totals),
    };
  });
  // Each vehicle can make one trip a day: a day-trip variant offers count × days trips. Where
  // remote units exist, a multi-day variant takes some of those vehicle-days (tripDays each),
  // so the solver never plans more vehicle-days than the fleet has.
  const remoteUnits = units.filter(({ unit }) => unit.access.remote || unit.access.multiDay).length;
  const fleetSize = vehicleTypes.reduce((sum, t) => sum + Math.max(0, t.count), 0);
  const vehicleTypeIds: string[] = [];
  const types: VehicleTypeInput[] = [];
  for (const t of vehicleTypes) {
    if (t.count <= 0) continue;
    const start = Math.max(t.shiftStartMin, warehouse.openMin);
    const end = Math.min(t.shiftEndMin, warehouse.closeMin);
    const base: VehicleTypeInput = {
      id: t.id,
      count: t.count * days,
      capacity: [t.capacityKg, t.capacityM3, t.coldBoxes],
      fixedCost: t.fixedCost,
      costPerDistance: t.costPerKm,
      costPerHour: t.costPerHour,
      shiftStartMin: start,
      shiftEndMin: end,
      skills: t.skills.includes('boat') ? t.skills : [...t.skills, 'land'],
    };
    const tripDays = isMultiDay(t, days) ? Math.min(t.maxDays ?? 1, days) : 1;
    const trips = tripDays > 1 && remoteUnits > 0 ? Math.min(t.count * Math.floor(days / tripDays), Math.ceil((remoteUnits * t.count) / (4 * fleetSize))) : 0;
    if (trips > 0) {
      types.push({
        ...base,
        id: `${t.id}${TRIP_SUFFIX}`,
        count: trips,
        shiftEndMin: (tripDays - 1) * 1440 + end,
        maxDrivingMinPerDay: t.maxDrivingMinPerDay,
        maxDays: tripDays,
        overnightRestMin: t.overnightRestMin ?? 600,
      });
      vehicleTypeIds.push(t.id);
      base.count -= trips * tripDays;
    }
    if (base.count > 0) {
      types.push(base);
      vehicleTypeIds.push(t.id);
    }
  }
  const problem: ProblemInput = {
    name: `warehouse ${warehouse.id}`,
    dimensions: ['weightKg', 'volumeM3', 'coldBoxes'],
    depots: [{ id: warehouse.id, timeWindow: { startMin: warehouse.openMin, endMin: (longestTrip - 1) * 1440 + warehouse.closeMin } }],
    clients,
    vehicleTypes: types,
    distance: matrix.distanceKm,
    duration: matrix.durationMin,
  };
  return { problem, vehicleTypeIds };
}

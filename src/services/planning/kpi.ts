/** KPIs of a plan, for the whole plan and per state. */
import type { KpiBlock, PlanKpis, PlannedRoute, RationedItem, StateInfo, UnassignedUnit } from './types.ts';

function emptyBlock(days: number): KpiBlock & { capacity: [number, number, number]; load: [number, number, number]; vehicleSet: Set<string> } {
  return {
    unitsDue: 0,
    unitsServed: 0,
    unitsUnassigned: 0,
    kits: 0,
    medicinePieces: 0,
    supplyPieces: 0,
    routes: 0,
    vehicles: 0,
    distanceKm: 0,
    drivingHours: 0,
    durationHours: 0,
    cost: 0,
    utilisation: { weightKg: null, volumeM3: null, coldBoxes: null },
    itemsRationed: 0,
    routesPerDay: new Array<number>(days).fill(0),
    capacity: [0, 0, 0],
    load: [0, 0, 0],
    vehicleSet: new Set(),
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Kits and pieces are counted from the stops' totals (each stop carries its kit's totals), so
 * the kit documents are not an input: replanning recomputes a plan's KPIs from its header and
 * route documents alone.
 */
export function computeKpis(input: {
  routes: readonly PlannedRoute[];
  /** Only the state is read (a replan also lists units with reason `unit_closed`). */
  unassigned: readonly Pick<UnassignedUnit, 'state'>[];
  /** Due units per state code. */
  dueByState: ReadonlyMap<string, StateInfo & { due: number }>;
  rationing: readonly RationedItem[];
  /** Warehouse → state code, to attribute rationed items. */
  warehouseState: ReadonlyMap<string, string>;
  days: number;
}): PlanKpis {
  const plan = emptyBlock(input.days);
  const states = new Map<string, ReturnType<typeof emptyBlock> & { state: StateInfo }>();
  const stateBlock = (state: StateInfo) => {
    let block = states.get(state.code);
    if (!block) states.set(state.code, (block = Object.assign(emptyBlock(input.days), { state: { code: state.code, name: state.name } })));
    return block;
  };
  for (const [code, info] of input.dueByState) {
    const block = stateBlock({ code, name: info.name });
    block.unitsDue = info.due;
    plan.unitsDue += info.due;
  }
  for (const route of input.routes) {
    for (const block of [plan, stateBlock(route.state)]) {
      block.routes += 1;
      block.vehicleSet.add(route.vehicleId);
      block.distanceKm += route.distanceKm;
      block.drivingHours += route.drivingMin / 60;
      block.durationHours += route.durationMin / 60;
      block.cost += route.cost;
      block.routesPerDay[route.dayIndex] += 1;
      block.load[0] += route.load.weightKg;
      block.load[1] += route.load.volumeM3;
      block.load[2] += route.load.coldBoxes;
      block.capacity[0] += route.capacity.weightKg;
      block.capacity[1] += route.capacity.volumeM3;
      block.capacity[2] += route.capacity.coldBoxes;
    }
    for (const stop of route.stops) {
      for (const block of [plan, stateBlock(stop.state)]) {
        block.unitsServed += 1;
        if (stop.totals.claves > 0) block.kits += 1;
        block.medicinePieces += stop.totals.medicinePieces;
        block.supplyPieces += stop.totals.supplyPieces;
      }
    }
  }
  for (const u of input.unassigned) {
    plan.unitsUnassigned += 1;
    stateBlock(u.state).unitsUnassigned += 1;
  }
  const rationedCodes = new Set<string>();
  const rationedByState = new Map<string, Set<string>>();
  for (const r of input.rationing) {
    rationedCodes.add(r.code);
    const code = input.warehouseState.get(r.warehouseId);
    if (code === undefined) continue;
    let set = rationedByState.get(code);
    if (!set) rationedByState.set(code, (set = new Set()));
    set.add(r.code);
  }
  plan.itemsRationed = rationedCodes.size;
  for (const [code, set] of rationedByState) {
    const block = states.get(code);
    if (block) block.itemsRationed = set.size;
  }
  const finish = (block: ReturnType<typeof emptyBlock>): KpiBlock => ({
    unitsDue: block.unitsDue,
    unitsServed: block.unitsServed,
    unitsUnassigned: block.unitsUnassigned,
    kits: block.kits,
    medicinePieces: block.medicinePieces,
    supplyPieces: block.supplyPieces,
    routes: block.routes,
    vehicles: block.vehicleSet.size,
    distanceKm: round(block.distanceKm, 1),
    drivingHours: round(block.drivingHours, 1),
    durationHours: round(block.durationHours, 1),
    cost: round(block.cost, 2),
    utilisation: {
      weightKg: block.capacity[0] > 0 ? round(block.load[0] / block.capacity[0], 3) : null,
      volumeM3: block.capacity[1] > 0 ? round(block.load[1] / block.capacity[1], 3) : null,
      coldBoxes: block.capacity[2] > 0 ? round(block.load[2] / block.capacity[2], 3) : null,
    },
    itemsRationed: block.itemsRationed,
    routesPerDay: block.routesPerDay,
  });
  return {
    plan: finish(plan),
    byState: [...states.values()].sort((a, b) => a.state.code.localeCompare(b.state.code)).map((block) => ({ state: block.state, ...finish(block) })),
  };
}

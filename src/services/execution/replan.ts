import { solve, type ProblemInput } from '../../../solver/index.ts';
import { ValidationError, type FieldError } from '../../errors.ts';
import type { DistanceProvider } from '../planning/distance.ts';
import type { ExecPlan, ExecRoute, ExecStop, ExecUnassigned } from './types.ts';

/**
 * Replanning a plan on the road: vehicles broke down (`vehiclesOut`) or units closed
 * (`unitsClosed`) from a date on. Routes that are not affected stay exactly as they were;
 * stops already delivered never move. The undelivered stops of the vehicles that are out are
 * reassigned, per warehouse, to the vehicle-days of that warehouse that are still free, with
 * the routing solver; what cannot be placed is reported with the solver's reason.
 */

export interface ReplanRequest {
  vehiclesOut?: string[];
  unitsClosed?: string[];
  /** First ISO date the change applies to (routes starting earlier are history). */
  from: string;
}

export interface ReplanChanges {
  from: string;
  keptRoutes: string[];
  changedRoutes: { routeKey: string; vehicleId: string; removedStops: string[]; why: 'vehicle-out' | 'unit-closed' }[];
  cancelledRoutes: string[];
  newRoutes: { routeKey: string; vehicleId: string; date: string; stops: string[] }[];
  moved: { clues: string; fromRoute: string; toRoute: string; date: string }[];
  closedUnits: string[];
  unassigned: { clues: string; reason: string }[];
}

export interface ReplanResult {
  routes: ExecRoute[];
  unassigned: ExecUnassigned[];
  changes: ReplanChanges;
}

export interface ReplanDeps {
  distance: DistanceProvider;
  /** Solver budget per warehouse sub-problem. */
  timeLimitMs: number;
  seed?: number;
}

interface FreeVehicleDay {
  vehicleId: string;
  vehicleTypeId?: string;
  date: string;
  template: ExecRoute;
}

function validate(plan: ExecPlan, request: ReplanRequest, delivered: ReadonlySet<string>): void {
  const errors: FieldError[] = [];
  const vehicles = new Set(plan.routes.map((route) => route.vehicleId));
  const stops = new Set(plan.routes.flatMap((route) => route.stops.map((stop) => stop.clues)));
  (request.vehiclesOut ?? []).forEach((id, index) => {
    if (!vehicles.has(id)) errors.push({ pointer: `/body/vehiclesOut/${index}`, detail: `vehicle ${id} has no route in plan ${plan.id}` });
  });
  (request.unitsClosed ?? []).forEach((clues, index) => {
    if (!stops.has(clues)) errors.push({ pointer: `/body/unitsClosed/${index}`, detail: `unit ${clues} is not a stop of plan ${plan.id}` });
    else if (delivered.has(clues)) errors.push({ pointer: `/body/unitsClosed/${index}`, detail: `unit ${clues} already has a delivery record` });
  });
  if ((request.vehiclesOut ?? []).length === 0 && (request.unitsClosed ?? []).length === 0) {
    errors.push({ pointer: '/body', detail: 'give vehiclesOut and/or unitsClosed' });
  }
  if (errors.length > 0) throw new ValidationError('The replanning request does not match the plan.', errors);
}

function planDates(plan: ExecPlan): string[] {
  const dates = new Set(plan.deliveryDates ?? []);
  for (const route of plan.routes) dates.add(route.startDate);
  return [...dates].sort();
}

/** Vehicle-days of a warehouse, from `from` on, on which the vehicle has no route and is not out. */
function freeVehicleDays(plan: ExecPlan, warehouseId: string, out: ReadonlySet<string>, from: string): FreeVehicleDay[] {
  const routes = plan.routes.filter((route) => route.warehouseId === warehouseId);
  const busy = new Set<string>();
  for (const route of routes) {
    for (let day = 0; day < Math.max(1, route.tripDays ?? 1); day += 1) {
      busy.add(`${route.vehicleId}|${addDays(route.startDate, day)}`);
    }
  }
  const templates = new Map<string, ExecRoute>();
  for (const route of routes) if (!out.has(route.vehicleId) && !templates.has(route.vehicleId)) templates.set(route.vehicleId, route);
  const free: FreeVehicleDay[] = [];
  for (const date of planDates(plan).filter((d) => d >= from)) {
    for (const [vehicleId, template] of [...templates.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!busy.has(`${vehicleId}|${date}`)) free.push({ vehicleId, vehicleTypeId: template.vehicleTypeId, date, template });
    }
  }
  return free;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function reassign(
  plan: ExecPlan,
  warehouseId: string,
  pool: { stop: ExecStop; fromRoute: string }[],
  free: FreeVehicleDay[],
  depot: { lng: number; lat: number },
  deps: ReplanDeps,
): Promise<{ routes: ExecRoute[]; unassigned: { stop: ExecStop; reason: string }[]; moved: ReplanChanges['moved'] }> {
  const located = pool.filter(({ stop }) => stop.lng !== undefined && stop.lat !== undefined);
  const unassigned: { stop: ExecStop; reason: string }[] = pool.filter((p) => !located.includes(p)).map(({ stop }) => ({ stop, reason: 'no_location' }));
  if (located.length === 0) return { routes: [], unassigned, moved: [] };
  if (free.length === 0) return { routes: [], unassigned: [...unassigned, ...located.map(({ stop }) => ({ stop, reason: 'fleet_days' }))], moved: [] };
  const points = [depot, ...located.map(({ stop }) => ({ lng: stop.lng!, lat: stop.lat! }))];
  const matrix = await deps.distance.matrix(points);
  const problem: ProblemInput = {
    name: `replan-${plan.id}-${warehouseId}`,
    dimensions: ['weightKg', 'volumeM3', 'coldBoxes'],
    depots: [{ id: warehouseId }],
    clients: located.map(({ stop }) => ({
      id: stop.clues,
      demand: [stop.weightKg ?? 0, stop.volumeM3 ?? 0, stop.coldBoxes ?? 0],
      serviceMin: stop.serviceTimeMin ?? 20,
      timeWindows: stop.timeWindows,
    })),
    // One vehicle type per free vehicle-day: every day shares the same clock, so the solver's
    // choice of type is the choice of vehicle and day.
    vehicleTypes: free.map((slot, index) => ({
      id: `${index}`,
      count: 1,
      capacity: [slot.template.capacity?.weightKg ?? 1e9, slot.template.capacity?.volumeM3 ?? 1e9, slot.template.capacity?.coldBoxes ?? 1e9],
      skills: slot.template.skills,
      shiftStartMin: slot.template.shiftStartMin ?? 420,
      shiftEndMin: slot.template.shiftEndMin ?? 1140,
      // Prefer earlier days: a later vehicle-day costs a little more.
      fixedCost: 1 + index / free.length,
    })),
    distance: matrix.distanceKm,
    duration: matrix.durationMin,
  };
  const result = await solve(problem, { timeLimitMs: deps.timeLimitMs, seed: deps.seed ?? 1, workers: 0 });
  const routes: ExecRoute[] = [];
  const moved: ReplanChanges['moved'] = [];
  const maxNumber = Math.max(0, ...plan.routes.filter((r) => r.warehouseId === warehouseId).map((r) => r.number ?? 0));
  result.routes
    .map((route) => ({ route, slot: free[Number(route.vehicleTypeId)] }))
    .sort((a, b) => (a.slot.date < b.slot.date ? -1 : a.slot.date > b.slot.date ? 1 : a.slot.vehicleId < b.slot.vehicleId ? -1 : 1))
    .forEach(({ route, slot }, index) => {
      const routeKey = `${warehouseId}-R${maxNumber + index + 1}`;
      const stops = route.clients.map((client, seq) => ({
        ...located[client].stop,
        seq: seq + 1,
        date: slot.date,
        arrivalMin: Math.round(route.stops[seq].arrivalMin),
        startMin: Math.round(route.stops[seq].startMin),
        departureMin: Math.round(route.stops[seq].departureMin),
      }));
      for (const client of route.clients) moved.push({ clues: located[client].stop.clues, fromRoute: located[client].fromRoute, toRoute: routeKey, date: slot.date });
      routes.push({
        ...slot.template,
        routeKey,
        number: maxNumber + index + 1,
        vehicleId: slot.vehicleId,
        startDate: slot.date,
        tripDays: 1,
        distanceKm: Math.round(route.distance * 10) / 10,
        startMin: Math.round(route.startMin * 10) / 10,
        endMin: Math.round(route.endMin * 10) / 10,
        durationMin: Math.round(route.durationMin * 10) / 10,
        drivingMin: Math.round(route.drivingMin * 10) / 10,
        stops,
      });
    });
  for (const item of result.unassigned) unassigned.push({ stop: located[item.client].stop, reason: item.reason });
  return { routes, unassigned, moved };
}

export async function replanPlan(plan: ExecPlan, delivered: ReadonlySet<string>, request: ReplanRequest, deps: ReplanDeps): Promise<ReplanResult> {
  validate(plan, request, delivered);
  const out = new Set(request.vehiclesOut ?? []);
  const closed = new Set(request.unitsClosed ?? []);
  const changes: ReplanChanges = { from: request.from, keptRoutes: [], changedRoutes: [], cancelledRoutes: [], newRoutes: [], moved: [], closedUnits: [], unassigned: [] };
  const routes: ExecRoute[] = [];
  const unassigned: ExecUnassigned[] = [...plan.unassigned];
  const pools = new Map<string, { stops: { stop: ExecStop; fromRoute: string }[]; depot?: { lng: number; lat: number } }>();

  for (const route of plan.routes) {
    const active = route.startDate >= request.from;
    const closedHere = route.stops.filter((stop) => closed.has(stop.clues) && !delivered.has(stop.clues));
    const vehicleOut = active && out.has(route.vehicleId);
    if (!vehicleOut && closedHere.length === 0) {
      routes.push(route);
      changes.keptRoutes.push(route.routeKey);
      continue;
    }
    for (const stop of closedHere) {
      changes.closedUnits.push(stop.clues);
      unassigned.push({ clues: stop.clues, name: stop.name, state: stop.state, reason: 'unit_closed' });
    }
    let remaining = route.stops.filter((stop) => !closedHere.includes(stop));
    const removed = closedHere.map((stop) => stop.clues);
    if (vehicleOut) {
      const moving = remaining.filter((stop) => !delivered.has(stop.clues));
      const pool = pools.get(route.warehouseId) ?? { stops: [] };
      pool.depot ??= route.depot;
      pool.stops.push(...moving.map((stop) => ({ stop, fromRoute: route.routeKey })));
      pools.set(route.warehouseId, pool);
      removed.push(...moving.map((stop) => stop.clues));
      remaining = remaining.filter((stop) => delivered.has(stop.clues));
    }
    if (remaining.length === 0) {
      changes.cancelledRoutes.push(route.routeKey);
    } else {
      routes.push({ ...route, stops: remaining.map((stop, index) => ({ ...stop, seq: index + 1 })) });
    }
    changes.changedRoutes.push({ routeKey: route.routeKey, vehicleId: route.vehicleId, removedStops: removed, why: vehicleOut ? 'vehicle-out' : 'unit-closed' });
  }

  for (const [warehouseId, pool] of [...pools.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (pool.stops.length === 0) continue;
    const depot = pool.depot ?? centroid(pool.stops.map(({ stop }) => stop));
    const free = freeVehicleDays(plan, warehouseId, out, request.from);
    const result = await reassign(plan, warehouseId, pool.stops, free, depot, deps);
    routes.push(...result.routes);
    changes.moved.push(...result.moved);
    for (const route of result.routes) changes.newRoutes.push({ routeKey: route.routeKey, vehicleId: route.vehicleId, date: route.startDate, stops: route.stops.map((s) => s.clues) });
    for (const item of result.unassigned) {
      changes.unassigned.push({ clues: item.stop.clues, reason: item.reason });
      unassigned.push({ clues: item.stop.clues, name: item.stop.name, state: item.stop.state, reason: item.reason });
    }
  }
  return { routes, unassigned, changes };
}

function centroid(stops: ExecStop[]): { lng: number; lat: number } {
  const located = stops.filter((s) => s.lng !== undefined && s.lat !== undefined);
  if (located.length === 0) return { lng: 0, lat: 0 };
  return { lng: located.reduce((s, x) => s + x.lng!, 0) / located.length, lat: located.reduce((s, x) => s + x.lat!, 0) / located.length };
}

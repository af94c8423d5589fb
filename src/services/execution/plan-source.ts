import type { PlanReplanRepository } from '../../repositories/deliveries-plans.ts';
import type { PlanHeader, PlanRepository } from '../../repositories/plans.ts';
import type { RoundRepository } from '../../repositories/rounds.ts';
import type { UnitRepository } from '../../repositories/units.ts';
import type { VehicleRepository } from '../../repositories/vehicles.ts';
import type { WarehouseRepository } from '../../repositories/warehouses.ts';
import { computeKpis } from '../planning/kpi.ts';
import type { PlanKpis, PlannedRoute, PlannedStop, RationedItem, StateInfo, UnassignedUnit, UnitKit } from '../planning/types.ts';
import type { ExecLine, ExecPlan, ExecPlanHeader, ExecRoute, ExecStop, ExecUnassigned, PlanSource } from './types.ts';

/**
 * The execution view over the rounds/plans module's documents: a plan header with its current
 * `generation`, one route document per route and one kit document per stop. Complete plans are
 * cached by (plan, generation, updatedAt) so live progress does not re-read ~1,100 routes on
 * every refresh.
 */

export interface PlanSourceDeps {
  plans: PlanRepository;
  rounds: RoundRepository;
  warehouses: WarehouseRepository;
  vehicles: VehicleRepository;
  units: UnitRepository;
  replans: PlanReplanRepository;
}

type RawStop = PlannedStop & { serviceTimeMin?: number; timeWindows?: { startMin: number; endMin: number }[] };
type RawRoute = PlannedRoute & { stops: RawStop[] };

/**
 * The plans module's original object rides along under a symbol: object spreads (replanning
 * copies stops and routes) keep it, so saving writes back every field we did not change.
 */
const RAW = Symbol('raw');
type WithRaw<T> = T & { [RAW]?: unknown };

function toStop(raw: RawStop): ExecStop {
  const stop: ExecStop = {
    clues: raw.clues,
    name: raw.name,
    state: { code: raw.state.code, name: raw.state.name },
    seq: raw.seq,
    date: raw.date,
    lng: raw.lng,
    lat: raw.lat,
    serviceTimeMin: raw.serviceTimeMin,
    timeWindows: raw.timeWindows,
    medicinePieces: raw.totals?.medicinePieces ?? 0,
    supplyPieces: raw.totals?.supplyPieces ?? 0,
    weightKg: raw.totals?.weightKg,
    volumeM3: raw.totals?.volumeM3,
    coldBoxes: raw.totals?.coldBoxes,
  };
  (stop as WithRaw<ExecStop>)[RAW] = raw;
  return stop;
}

function toRoute(raw: RawRoute): ExecRoute {
  const route: ExecRoute = {
    routeKey: raw.routeKey,
    number: raw.number,
    warehouseId: raw.warehouseId,
    state: { code: raw.state.code, name: raw.state.name },
    vehicleId: raw.vehicleId,
    vehicleTypeId: raw.vehicleTypeId,
    startDate: raw.startDate,
    tripDays: raw.tripDays,
    distanceKm: raw.distanceKm,
    capacity: raw.capacity,
    stops: (raw.stops ?? []).map(toStop),
  };
  (route as WithRaw<ExecRoute>)[RAW] = raw;
  return route;
}

function toUnassigned(raw: unknown): ExecUnassigned {
  const unit = raw as Partial<UnassignedUnit> & { clues: string };
  return { clues: unit.clues, name: unit.name ?? unit.clues, state: unit.state ?? { code: '00', name: '' }, reason: unit.reason ?? 'unknown' };
}

function toHeader(header: PlanHeader): ExecPlanHeader {
  return { id: header.id, roundId: header.roundId, status: header.status, deliveryDates: header.deliveryDates, unassigned: (header.unassigned ?? []).map(toUnassigned) };
}

function clock(minutes: number): string {
  const m = Math.round(minutes) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Back to the plans module's shape, keeping every field replanning did not change. */
function toRaw(route: ExecRoute): RawRoute {
  const base = ((route as WithRaw<ExecRoute>)[RAW] as RawRoute | undefined) ?? ({} as RawRoute);
  const stops = route.stops.map((stop): RawStop => {
    const raw = ((stop as WithRaw<ExecStop>)[RAW] as RawStop | undefined) ?? ({} as RawStop);
    const timed = stop.startMin !== undefined ? { arrivalMin: stop.arrivalMin ?? stop.startMin, startMin: stop.startMin, departureMin: stop.departureMin ?? stop.startMin, eta: clock(stop.arrivalMin ?? stop.startMin), tripDay: 0, overnightAfter: false } : {};
    return { ...raw, seq: stop.seq, date: stop.date, ...timed };
  });
  return { ...base, routeKey: route.routeKey, number: route.number ?? base.number, vehicleId: route.vehicleId, startDate: route.startDate, tripDays: route.tripDays ?? base.tripDays, distanceKm: route.distanceKm ?? base.distanceKm, stops };
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * A route replanning changed or built, back in the plans module's shape. A new route starts as
 * a copy of another route of its vehicle, so what the KPIs read is set from this route: its
 * day, its load (the sum of its stops' kits, rounded as the planner rounds it) and, for new
 * routes, the solver's schedule. Cost stays the copied route's (the replan solver's costs are
 * not the plan's).
 */
function toReplannedRaw(route: ExecRoute, deliveryDates: readonly string[]): RawRoute {
  const raw = toRaw(route);
  const dayIndex = deliveryDates.indexOf(route.startDate);
  const load = { weightKg: 0, volumeM3: 0, coldBoxes: 0 };
  for (const stop of raw.stops) {
    load.weightKg += stop.totals?.weightKg ?? 0;
    load.volumeM3 += stop.totals?.volumeM3 ?? 0;
    load.coldBoxes += stop.totals?.coldBoxes ?? 0;
  }
  return {
    ...raw,
    dayIndex: dayIndex >= 0 ? dayIndex : raw.dayIndex,
    startMin: route.startMin ?? raw.startMin,
    endMin: route.endMin ?? raw.endMin,
    durationMin: route.durationMin ?? raw.durationMin,
    drivingMin: route.drivingMin ?? raw.drivingMin,
    load: { weightKg: round3(load.weightKg), volumeM3: round3(load.volumeM3), coldBoxes: load.coldBoxes },
  };
}

/**
 * Due units per state. Replanning does not change which units are due: the stored KPIs say it;
 * a plan stored without KPIs falls back to its routes and unassigned list before the change
 * (every due unit is on one or the other — generation refuses a plan that drops one).
 */
function dueByState(stored: PlanKpis | undefined, before: ExecPlan): Map<string, StateInfo & { due: number }> {
  const due = new Map<string, StateInfo & { due: number }>();
  if (stored) {
    for (const block of stored.byState) due.set(block.state.code, { code: block.state.code, name: block.state.name, due: block.unitsDue });
    return due;
  }
  const count = (state: StateInfo) => {
    const entry = due.get(state.code) ?? { code: state.code, name: state.name, due: 0 };
    entry.due += 1;
    due.set(state.code, entry);
  };
  for (const route of before.routes) for (const stop of route.stops) count(stop.state);
  for (const unit of before.unassigned) count(unit.state);
  return due;
}

export function createPlanSource(deps: PlanSourceDeps): PlanSource {
  const cache = new Map<string, { stamp: string; plan: ExecPlan }>();

  /**
   * The plan's KPIs after a replan, over all its routes (delivered and closed stops stay on
   * theirs), by the planner's own computeKpis: the stored rationing and delivery days, due
   * units as before.
   */
  async function replannedKpis(header: PlanHeader, before: ExecPlan, routes: readonly PlannedRoute[], unassigned: readonly { state: StateInfo }[]): Promise<PlanKpis> {
    const rationing = (header.rationing ?? []) as RationedItem[];
    const warehouseState = new Map<string, string>();
    for (const id of new Set(rationing.map((r) => r.warehouseId))) {
      const warehouse = await deps.warehouses.get(id);
      if (warehouse) warehouseState.set(id, warehouse.state.code);
    }
    return computeKpis({ routes, unassigned, dueByState: dueByState(header.kpis as PlanKpis | undefined, before), rationing, warehouseState, days: header.deliveryDates.length });
  }

  async function full(header: PlanHeader, fresh = false): Promise<ExecPlan> {
    // Route documents also change without the header (a delivery closes its stop): the cache
    // serves progress, which reads stop status from deliveries; writers ask for a fresh copy.
    const stamp = `${header.generation ?? ''}|${new Date(header.updatedAt).getTime()}`;
    const hit = cache.get(header.id);
    if (!fresh && hit && hit.stamp === stamp) return hit.plan;
    const docs = header.generation ? await deps.plans.routes(header.routeIds ?? []) : [];
    const plan: ExecPlan = { ...toHeader(header), routes: docs.map((doc) => toRoute(doc.route as RawRoute)) };
    cache.set(header.id, { stamp, plan });
    return plan;
  }

  async function enrich(plan: ExecPlan): Promise<void> {
    // Depots, shifts and unit windows for the solver (plan documents keep only what the
    // programme and manifests need).
    const warehouses = new Map<string, { lng: number; lat: number }>();
    for (const id of new Set(plan.routes.map((r) => r.warehouseId))) {
      const warehouse = await deps.warehouses.get(id);
      if (warehouse) warehouses.set(id, { lng: warehouse.location.coordinates[0], lat: warehouse.location.coordinates[1] });
    }
    const vehicleTypes = new Map<string, { shiftStartMin: number; shiftEndMin: number; skills: string[] }>();
    for (const id of new Set(plan.routes.map((r) => r.vehicleTypeId).filter((v): v is string => v !== undefined))) {
      const vehicle = await deps.vehicles.get(id);
      if (vehicle) vehicleTypes.set(id, { shiftStartMin: vehicle.shift.startMin, shiftEndMin: vehicle.shift.endMin, skills: (vehicle as { skills?: string[] }).skills ?? [] });
    }
    const units = new Map((await deps.units.getMany(plan.routes.flatMap((r) => r.stops.map((s) => s.clues)))).map((u) => [u.clues, u]));
    for (const route of plan.routes) {
      route.depot ??= warehouses.get(route.warehouseId);
      const type = route.vehicleTypeId ? vehicleTypes.get(route.vehicleTypeId) : undefined;
      route.shiftStartMin ??= type?.shiftStartMin;
      route.shiftEndMin ??= type?.shiftEndMin;
      route.skills ??= type?.skills;
      for (const stop of route.stops) {
        const unit = units.get(stop.clues);
        stop.serviceTimeMin ??= unit?.serviceTimeMin;
        stop.timeWindows ??= unit?.timeWindows;
      }
    }
  }

  return {
    prepareForReplan: enrich,

    async getRound(roundId) {
      const round = await deps.rounds.get(roundId);
      return round ? { id: round.id, name: round.name, status: round.status } : undefined;
    },

    async getPlanHeader(planId) {
      const header = await deps.plans.get(planId);
      return header ? toHeader(header) : undefined;
    },

    async getPlan(planId, options) {
      const header = await deps.plans.get(planId);
      return header ? full(header, options?.fresh) : undefined;
    },

    async getStop(planId, clues) {
      const header = await deps.plans.get(planId);
      if (!header?.generation) return undefined;
      const [kit] = await deps.plans.kits([`${header.generation}:${clues}`]);
      if (kit) {
        const [routeDoc] = await deps.plans.routes([`${header.generation}:${kit.routeKey}`]);
        const route = routeDoc ? toRoute(routeDoc.route as RawRoute) : undefined;
        const stop = route?.stops.find((s) => s.clues === clues);
        if (route && stop) return { route, stop };
      }
      const plan = await full(header);
      for (const route of plan.routes) {
        const stop = route.stops.find((s) => s.clues === clues);
        if (stop) return { route, stop };
      }
      return undefined;
    },

    async stopLines(planId, clues) {
      const header = await deps.plans.get(planId);
      if (!header?.generation) return undefined;
      const [doc] = await deps.plans.kits([`${header.generation}:${clues}`]);
      if (!doc) return undefined;
      const kit = doc.kit as UnitKit;
      return (kit.lines ?? []).map(
        (line): ExecLine => ({
          itemCode: line.code,
          quantity: line.quantity,
          short: line.short ?? 0,
          lots: (line.lots ?? []).map((lot) => ({ lotNumber: lot.lotCode, quantity: lot.quantity })),
        }),
      );
    },

    async plansOfRound(roundId) {
      const round = await deps.rounds.get(roundId);
      const planId = round?.approvedPlanId ?? round?.currentPlanId;
      if (!planId) return [];
      const header = await deps.plans.get(planId);
      return header ? [await full(header)] : [];
    },

    async closeStop(planId, routeKey, clues, outcome) {
      const header = await deps.plans.get(planId);
      if (!header?.generation) return;
      await deps.replans.closeStop(`${header.generation}:${routeKey}`, clues, { status: outcome.delivered ? 'delivered' : 'not-delivered', at: outcome.at, reason: outcome.reason });
    },

    async saveRoutes(planId, routes, unassigned, note) {
      const header = await deps.plans.get(planId);
      if (!header?.generation) throw new Error(`plan ${planId} has no complete generation`);
      const generation = header.generation;
      const before = await full(header);
      const beforeKeys = new Map(before.routes.map((r) => [r.routeKey, r]));
      const changedOrNew = routes.filter((r) => beforeKeys.get(r.routeKey) !== r);
      const routeOf = new Map<string, string>();
      for (const route of routes) for (const stop of route.stops) routeOf.set(stop.clues, route.routeKey);
      const kitRouteKeys = before.routes.flatMap((r) => r.stops.filter((s) => routeOf.has(s.clues) && routeOf.get(s.clues) !== r.routeKey).map((s) => ({ clues: s.clues, routeKey: routeOf.get(s.clues)! })));
      const changed = new Set(changedOrNew);
      const raws = new Map(routes.map((route) => [route, changed.has(route) ? toReplannedRaw(route, header.deliveryDates) : toRaw(route)]));
      const storedUnassigned = unassigned.map((u) => ({ clues: u.clues, name: u.name, state: u.state, reason: u.reason, detail: u.reason === 'unit_closed' ? 'the unit closed during the round' : u.reason }));
      const kpis = await replannedKpis(header, before, [...raws.values()], storedUnassigned);
      const vehicles = new Map<string, { vehicleId: string; warehouseId: string; stateCode: string; routeIds: string[] }>();
      for (const route of routes) {
        const entry = vehicles.get(route.vehicleId) ?? { vehicleId: route.vehicleId, warehouseId: route.warehouseId, stateCode: route.state.code, routeIds: [] };
        entry.routeIds.push(`${generation}:${route.routeKey}`);
        vehicles.set(route.vehicleId, entry);
      }
      await deps.replans.applyReplan({
        planId,
        generation,
        routes: changedOrNew.map((route) => ({ id: `${generation}:${route.routeKey}`, routeKey: route.routeKey, route: raws.get(route) })),
        kitRouteKeys,
        header: {
          routeIds: routes.map((r) => `${generation}:${r.routeKey}`),
          unassigned: storedUnassigned,
          vehicles: [...vehicles.values()],
          kpis,
          replans: { at: new Date(), note },
        },
      });
      cache.delete(planId);
    },
  };
}

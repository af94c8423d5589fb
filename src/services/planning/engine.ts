/**
 * Plan generation without a database: due units → kits and lots → one routing job per warehouse
 * (solved in parallel) → dated routes → KPIs. The planning service feeds it from the
 * repositories and stores the result; the benchmark feeds it the seeded network directly.
 */
import type { CycleUnitLine } from '../../../solver/replenishment/index.ts';
import { assembleWarehouseRoutes } from './assemble.ts';
import { deliveryDates as datesOf } from './calendar.ts';
import type { DistanceProvider } from './distance.ts';
import { runPool, type JobRunner, type WarehouseJobResult } from './jobs.ts';
import { composeWarehouseKits, type Catalogue } from './kits.ts';
import { computeKpis } from './kpi.ts';
import { buildWarehouseProblem, TIME_BOUNDED_PARAMS, type WarehouseJob } from './problem.ts';
import type { HgsParams } from '../../../solver/index.ts';
import {
  REASON_DETAIL,
  type BaselineSummary,
  type KitTotalsOut,
  type PlannedRoute,
  type PlanningLot,
  type PlanningUnit,
  type PlanningVehicleType,
  type PlanningWarehouse,
  type PlanResult,
  type RationedItem,
  type StateInfo,
  type UnassignedReason,
  type UnassignedUnit,
  type UnitKit,
  type WarehouseOutcome,
} from './types.ts';

export interface PlanningInput {
  deliveryStart: string;
  deliveryEnd: string;
  /** The round's due units. */
  units: PlanningUnit[];
  warehouses: PlanningWarehouse[];
  vehicleTypes: PlanningVehicleType[];
  catalogue: Catalogue;
  /** Lots with available quantities; a warehouse without lots does not track stock. */
  lots: PlanningLot[];
  unitStock?: ReadonlyMap<string, readonly CycleUnitLine[]>;
}

export type PlanStage = 'queued' | 'loading' | 'kits' | 'distances' | 'routing' | 'assembling' | 'writing' | 'done';

export interface EngineOptions {
  distance: DistanceProvider;
  runner: JobRunner;
  /** Warehouse jobs solved at the same time (cores). */
  concurrency: number;
  /** Wall-clock target of the routing stage; split over warehouses by size. */
  routingBudgetMs: number;
  /** Floor and ceiling of one warehouse's time limit. */
  minJobMs?: number;
  maxIterations?: number;
  /** HGS tuning per warehouse search (default {@link TIME_BOUNDED_PARAMS}). */
  solverParams?: Partial<HgsParams>;
  seed?: number;
  minShelfLifeDays: number;
  restWeekdays?: number[];
  baseline?: boolean;
  signal?: AbortSignal;
  onProgress?: (stage: PlanStage, percent: number) => void;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('plan generation aborted');
}

/** The warehouse serving each unit: its own, else its state's (not the national hub). */
export function warehouseFor(unit: PlanningUnit, warehouses: ReadonlyMap<string, PlanningWarehouse>, byState: ReadonlyMap<string, PlanningWarehouse>): PlanningWarehouse | undefined {
  const own = unit.warehouseId ? warehouses.get(unit.warehouseId) : undefined;
  if (own && !own.hub) return own;
  return byState.get(unit.state.code);
}

export async function generatePlan(input: PlanningInput, options: EngineOptions): Promise<PlanResult> {
  const progress = options.onProgress ?? (() => undefined);
  const dates = datesOf(input.deliveryStart, input.deliveryEnd, options.restWeekdays);
  const unassigned: UnassignedUnit[] = [];
  const miss = (unit: PlanningUnit, reason: UnassignedReason, warehouseId?: string): void => {
    const entry: UnassignedUnit = { clues: unit.clues, name: unit.name, state: unit.state, reason, detail: REASON_DETAIL[reason] };
    if (warehouseId !== undefined) entry.warehouseId = warehouseId;
    unassigned.push(entry);
  };
  const warehouses = new Map(input.warehouses.map((w) => [w.id, w]));
  const byState = new Map<string, PlanningWarehouse>();
  for (const w of input.warehouses) if (!w.hub && !byState.has(w.state.code)) byState.set(w.state.code, w);
  const unitsByWarehouse = new Map<string, PlanningUnit[]>();
  const dueByState = new Map<string, StateInfo & { due: number }>();
  for (const unit of input.units) {
    const entry = dueByState.get(unit.state.code) ?? { ...unit.state, due: 0 };
    entry.due += 1;
    dueByState.set(unit.state.code, entry);
    const warehouse = warehouseFor(unit, warehouses, byState);
    if (!warehouse) {
      miss(unit, 'no_warehouse');
      continue;
    }
    if (unit.lng === undefined || unit.lat === undefined) {
      miss(unit, 'no_location', warehouse.id);
      continue;
    }
    const list = unitsByWarehouse.get(warehouse.id) ?? [];
    list.push(unit);
    unitsByWarehouse.set(warehouse.id, list);
  }
  progress('kits', 5);

  // Kits and lots, warehouse by warehouse.
  const kits: UnitKit[] = [];
  const rationing: RationedItem[] = [];
  const totals = new Map<string, KitTotalsOut>();
  const routable = new Map<string, PlanningUnit[]>();
  let done = 0;
  for (const [warehouseId, units] of unitsByWarehouse) {
    throwIfAborted(options.signal);
    const composed = await composeWarehouseKits({
      warehouseId,
      units,
      catalogue: input.catalogue,
      lots: input.lots.filter((l) => l.warehouseId === warehouseId),
      unitStock: input.unitStock,
      lastDeliveryDate: dates[dates.length - 1],
      minShelfLifeDays: options.minShelfLifeDays,
    });
    rationing.push(...composed.rationing);
    const types = input.vehicleTypes.filter((t) => t.warehouseId === warehouseId && t.count > 0);
    const kitByClues = new Map(composed.kits.map((k) => [k.clues, k]));
    const keep: PlanningUnit[] = [];
    for (const unit of units) {
      const kit = kitByClues.get(unit.clues)!;
      if (kit.totals.claves === 0) miss(unit, 'empty_kit', warehouseId);
      else if (types.length === 0) miss(unit, 'no_vehicle', warehouseId);
      else {
        kits.push(kit);
        totals.set(unit.clues, kit.totals);
        keep.push(unit);
      }
    }
    if (keep.length > 0) routable.set(warehouseId, keep);
    done += 1;
    progress('kits', 5 + Math.round((10 * done) / unitsByWarehouse.size));
  }

  // Distances and jobs.
  progress('distances', 15);
  const jobs: WarehouseJob[] = [];
  const totalUnits = [...routable.values()].reduce((sum, list) => sum + list.length, 0);
  const concurrency = Math.max(1, options.concurrency);
  done = 0;
  for (const [warehouseId, units] of routable) {
    throwIfAborted(options.signal);
    const warehouse = warehouses.get(warehouseId)!;
    const matrix = await options.distance.matrix(
      [{ lng: warehouse.lng, lat: warehouse.lat }, ...units.map((u) => ({ lng: u.lng!, lat: u.lat! }))],
      options.signal,
    );
    const { problem, vehicleTypeIds } = buildWarehouseProblem({
      warehouse,
      units: units.map((unit) => ({ unit, totals: totals.get(unit.clues)! })),
      vehicleTypes: input.vehicleTypes.filter((t) => t.warehouseId === warehouseId),
      matrix,
      days: dates.length,
    });
    const share = Math.round((options.routingBudgetMs * concurrency * units.length) / Math.max(1, totalUnits));
    jobs.push({
      warehouseId,
      problem,
      vehicleTypeIds,
      days: dates.length,
      timeLimitMs: Math.max(options.minJobMs ?? 500, Math.min(options.routingBudgetMs, share)),
      maxIterations: options.maxIterations,
      params: options.solverParams ?? TIME_BOUNDED_PARAMS,
      seed: options.seed ?? 1,
      baseline: options.baseline ?? false,
    });
    done += 1;
    progress('distances', 15 + Math.round((10 * done) / routable.size));
  }

  // Routing: largest warehouses first so the pool ends together.
  progress('routing', 25);
  jobs.sort((a, b) => b.problem.clients.length - a.problem.clients.length);
  done = 0;
  const results = await runPool(jobs, concurrency, async (job) => {
    throwIfAborted(options.signal);
    const out = await options.runner.run(job, options.signal);
    throwIfAborted(options.signal);
    done += 1;
    progress('routing', 25 + Math.round((60 * done) / jobs.length));
    return out;
  });

  progress('assembling', 86);
  const unitByClues = new Map(input.units.map((u) => [u.clues, u]));
  const routes: PlannedRoute[] = [];
  const outcomes: WarehouseOutcome[] = [];
  results.forEach((out: WarehouseJobResult, index) => {
    const job = jobs[index];
    const warehouse = warehouses.get(job.warehouseId)!;
    const assembled = assembleWarehouseRoutes({
      warehouse,
      result: out.result,
      vehicleTypes: input.vehicleTypes.filter((t) => t.warehouseId === job.warehouseId),
      deliveryDates: dates,
      units: unitByClues,
      totals,
    });
    routes.push(...assembled.routes);
    for (const u of assembled.unassigned) miss(unitByClues.get(u.clues)!, u.reason, warehouse.id);
    const summary = (b: NonNullable<WarehouseJobResult['baseline']>['clarkeWright']): BaselineSummary => ({
      method: b.method,
      routes: b.routes.length,
      distanceKm: Math.round(b.distance * 10) / 10,
      cost: Math.round(b.cost * 100) / 100,
      unassigned: b.unassigned.length,
    });
    outcomes.push({
      warehouseId: warehouse.id,
      state: warehouse.state,
      units: job.problem.clients.length,
      routes: assembled.routes.length,
      distanceKm: Math.round(assembled.routes.reduce((s, r) => s + r.distanceKm, 0) * 10) / 10,
      cost: Math.round(assembled.routes.reduce((s, r) => s + r.cost, 0) * 100) / 100,
      runtimeMs: out.result.runtimeMs,
      iterations: out.result.iterations,
      feasible: out.result.feasible,
      violations: out.result.violations.length,
      method: out.method ?? 'hgs',
      baseline: out.baseline ? { clarkeWright: summary(out.baseline.clarkeWright), nearestNeighbour: summary(out.baseline.nearestNeighbour) } : undefined,
    });
  });
  const served = new Set(routes.flatMap((r) => r.stops.map((s) => s.clues)));
  const shipped = kits.filter((k) => served.has(k.clues));
  // Route numbers ("RUTAS" on the programme) run per state, by day, then warehouse and vehicle.
  routes.sort((a, b) => a.state.code.localeCompare(b.state.code) || a.dayIndex - b.dayIndex || a.warehouseId.localeCompare(b.warehouseId) || a.number - b.number);
  let previousState = '';
  let counter = 0;
  for (const route of routes) {
    counter = route.state.code === previousState ? counter + 1 : 1;
    previousState = route.state.code;
    route.number = counter;
    route.routeKey = `${route.warehouseId}-${String(counter).padStart(3, '0')}`;
  }
  unassigned.sort((a, b) => a.state.code.localeCompare(b.state.code) || a.clues.localeCompare(b.clues));
  const kpis = computeKpis({
    routes,
    unassigned,
    dueByState,
    rationing,
    warehouseState: new Map(input.warehouses.map((w) => [w.id, w.state.code])),
    days: dates.length,
  });
  return { deliveryDates: dates, routes, kits: shipped, unassigned, rationing, kpis, warehouses: outcomes, unitsDue: input.units.length };
}

/** Due units that are neither on a route nor listed as unassigned (must be empty). */
export function silentlyDropped(input: Pick<PlanningInput, 'units'>, result: Pick<PlanResult, 'routes' | 'unassigned'>): string[] {
  const seen = new Set<string>();
  for (const r of result.routes) for (const s of r.stops) seen.add(s.clues);
  for (const u of result.unassigned) seen.add(u.clues);
  return input.units.map((u) => u.clues).filter((c) => !seen.has(c));
}

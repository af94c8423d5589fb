/**
 * The planning service: one implementation behind the API, the CLI and the scheduler.
 * A plan is requested (header `queued`), then generated: inputs are loaded, the engine computes
 * kits and routes, the routes and kits are written under a fresh generation id and, last, the
 * header is flipped to `draft` with that generation in one single-document update. A run that
 * fails or is aborted is marked `failed` and its orphan documents are deleted; a run whose
 * instance died stops heart-beating and is marked `failed` by {@link PlanningService.recoverStale}.
 */
import { randomBytes } from 'node:crypto';
import type { HealthUnitDoc } from '../../../models/health-unit.ts';
import type { PlanStatus } from '../../../models/plan.ts';
import type { PlanKitDoc } from '../../../models/plan-kit.ts';
import type { PlanRouteDoc } from '../../../models/plan-route.ts';
import type { StockReportPeriod } from '../../../solver/replenishment/index.ts';
import type { CycleUnitLine } from '../../../solver/replenishment/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { PlanHeader, PlanRepository } from '../../repositories/plans.ts';
import type { PlanInputRepository } from '../../repositories/plans-inputs.ts';
import type { PlanLotRepository } from '../../repositories/plans-lots.ts';
import type { Round, RoundRepository } from '../../repositories/rounds.ts';
import { authorize, can, type Principal } from '../auth.ts';
import { actorName, type Actor } from '../rounds.ts';
import type { DistanceProvider } from './distance.ts';
import { generatePlan, silentlyDropped, type PlanningInput, type PlanStage } from './engine.ts';
import { routesGeoJson, type GeoJsonFeatureCollection } from './geojson.ts';
import { LocalJobRunner, type JobRunner } from './jobs.ts';
import { reservationLines } from './lots.ts';
import { buildManifest, manifestCsv, manifestHtml, stopsCsv, type Manifest } from './manifest.ts';
import { buildProgrammeWorkbook, programmeFileName, programmeStates } from './programme.ts';
import type { PlannedRoute, PlanningUnit, PlanningVehicleType, PlanningWarehouse, PlanResult, UnitKit } from './types.ts';

export interface PlanningSettings {
  timeBudgetMs: number;
  minJobMs: number;
  maxIterations: number;
  concurrency: number;
  heartbeatMs: number;
  staleAfterMs: number;
  maxDrivingMinPerDay: number;
  maxTripDays: number;
  overnightRestMin: number;
  restWeekdays: number[];
  coldBoxCapacityM3: number;
  /** Cold boxes (passive coolers) a vehicle without refrigeration carries on a trip. */
  passiveColdBoxes: number;
  minShelfLifeDays: number;
}

export interface PlanningServiceDeps {
  rounds: RoundRepository;
  plans: PlanRepository;
  inputs: PlanInputRepository;
  lots: PlanLotRepository;
  settings: PlanningSettings;
  distance: DistanceProvider;
  /** Solves warehouse jobs; default: a pool of `concurrency` worker threads per generation. */
  runner?: JobRunner;
  logger: Logger;
  /** Identifies this process in plan headers (who runs a generation). */
  instanceId?: string;
}

/** Test hooks: called between the writes of a generation (simulate a crash or an abort there). */
export interface GenerationHooks {
  afterRoutesWritten?: () => void | Promise<void>;
}

export interface PlanRequest {
  seed?: number;
  timeBudgetMs?: number;
}

export interface PlanView {
  id: string;
  roundId: string;
  status: PlanStatus;
  stage: string;
  percent: number;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  dispatchedBy: string | null;
  dispatchedAt: string | null;
  error: { code: string; message: string } | null;
  deliveryDates: string[];
  kpis: PlanResult['kpis'] | null;
  unassigned: PlanResult['unassigned'];
  rationing: PlanResult['rationing'];
  warehouses: PlanResult['warehouses'];
  reservation: { lots: number; pieces: number } | null;
  /** Milliseconds per generation stage and in total (null until generated). */
  timingsMs: Record<string, number> | null;
}

export interface ManifestSummary {
  vehicleId: string;
  warehouseId: string;
  state: { code: string; name: string };
  vehicleName: string;
  trips: { routeKey: string; number: number; startDate: string; tripDays: number; stops: number; weightKg: number; volumeM3: number; coldBoxes: number; distanceKm: number }[];
}

const READABLE: PlanStatus[] = ['draft', 'approved', 'dispatched', 'superseded'];
const iso = (d: Date | undefined): string | null => (d ? new Date(d).toISOString() : null);

function planId(): string {
  return `pln-${randomBytes(6).toString('hex')}`;
}

/** Skills a vehicle brings, from its kind and equipment. */
export function vehicleSkills(type: string, coldBoxes: number): string[] {
  const skills: string[] = [];
  if (coldBoxes > 0) skills.push('cold');
  if (type === 'boat') skills.push('boat');
  if (type === '4x4-pickup') skills.push('4x4');
  return skills;
}

export class PlanningService {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly instanceId: string;

  constructor(private readonly deps: PlanningServiceDeps) {
    this.instanceId = deps.instanceId ?? `inst-${randomBytes(4).toString('hex')}`;
  }

  // ---------------------------------------------------------------- requesting and generating

  /**
   * Creates a queued plan for a round. 409 when the round is closed/cancelled, already has an
   * approved plan (regenerating never replaces it) or a generation is already under way.
   */
  async requestPlan(roundId: string, request: PlanRequest, actor: Actor): Promise<PlanHeader> {
    authorize(actor as Principal, 'plans:write');
    const round = await this.roundFor(roundId, actor);
    if (actor.state !== undefined && (round.states.length !== 1 || round.states[0] !== actor.state)) {
      throw new ForbiddenError(`This token is limited to state ${actor.state}; round ${roundId} is not limited to it.`);
    }
    if (round.status !== 'planned') throw new ConflictError(`Round ${roundId} is ${round.status}; plans are generated for planned rounds.`);
    if (round.approvedPlanId) throw new ConflictError(`Round ${roundId} already has an approved plan (${round.approvedPlanId}); it is never replaced by a new generation.`);
    await this.recoverStale();
    const active = await this.deps.plans.list({ roundId, status: ['queued', 'running'] });
    if (active.length > 0) throw new ConflictError(`Plan ${active[0].id} of round ${roundId} is still being generated; wait for it or let it fail.`);
    if (request.timeBudgetMs !== undefined && !(request.timeBudgetMs >= 100)) {
      throw new ValidationError('The plan request is not valid.', [{ pointer: '/body/timeBudgetMs', detail: 'must be at least 100' }]);
    }
    return this.deps.plans.create({
      id: planId(),
      roundId,
      status: 'queued',
      stage: 'queued',
      percent: 0,
      owner: this.instanceId,
      heartbeatAt: new Date(),
      options: { seed: request.seed ?? 1, timeBudgetMs: request.timeBudgetMs },
      deliveryDates: [],
      unassigned: [],
      rationing: [],
      warehouses: [],
      routeIds: [],
      vehicles: [],
      createdBy: actorName(actor),
    });
  }

  /** Starts a queued plan's generation in the background (API); failures are recorded on the plan. */
  startInBackground(id: string): void {
    const controller = new AbortController();
    const done = this.generate(id, { signal: controller.signal })
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.error({ err: error, planId: id }, 'plan generation failed'))
      .finally(() => this.running.delete(id));
    this.running.set(id, { controller, done });
  }

  /** Aborts background generations (shutdown); each is marked failed and cleaned up. */
  async stop(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort(new Error('the service is shutting down'));
    await Promise.all([...this.running.values()].map((run) => run.done));
  }

  /** Waits for a background generation (tests, CLI). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  /**
   * Generates a queued plan and returns its header once it is a complete draft. Throws when it
   * failed (the header then says `failed` and no document of the run is left behind).
   */
  async generate(id: string, options: { signal?: AbortSignal; hooks?: GenerationHooks } = {}): Promise<PlanHeader> {
    const generation = `gen-${randomBytes(6).toString('hex')}`;
    const claimed = await this.deps.plans.update(
      id,
      { status: 'queued' },
      { status: 'running', owner: this.instanceId, heartbeatAt: new Date(), runGeneration: generation, startedAt: new Date(), stage: 'loading', percent: 1 },
    );
    if (!claimed) throw new ConflictError(`Plan ${id} is not queued; another run took it or it finished.`);
    const local = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
    const heartbeat = setInterval(() => {
      this.deps.plans.update(id, { status: 'running', owner: this.instanceId }, { heartbeatAt: new Date() }).then(
        (alive) => {
          if (!alive) local.abort(new Error('the plan was taken away from this run (marked failed or cancelled)'));
        },
        (error: unknown) => this.deps.logger.warn({ err: error, planId: id }, 'plan heartbeat failed'),
      );
    }, this.deps.settings.heartbeatMs);
    heartbeat.unref();
    let lastWrite = 0;
    let lastPercent = -1;
    const startedAt = Date.now();
    const timings: Record<string, number> = {};
    let currentStage = 'loading';
    let stageStart = startedAt;
    const progress = (stage: PlanStage, percent: number): void => {
      const now = Date.now();
      if (stage !== currentStage) {
        timings[currentStage] = (timings[currentStage] ?? 0) + now - stageStart;
        currentStage = stage;
        stageStart = now;
      }
      if (percent === lastPercent || (now - lastWrite < 250 && percent < 99)) return;
      lastWrite = now;
      lastPercent = percent;
      this.deps.plans.update(id, { status: 'running', owner: this.instanceId }, { stage, percent, heartbeatAt: new Date() }).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, planId: id }, 'plan progress write failed');
      });
    };
    const runner = this.deps.runner ?? new LocalJobRunner(this.deps.settings.concurrency);
    try {
      const round = await this.deps.rounds.get(claimed.roundId);
      if (!round) throw new NotFoundError(`Round ${claimed.roundId} no longer exists.`);
      const input = await this.loadInput(round);
      progress('kits', 4);
      const result = await generatePlan(input, {
        distance: this.deps.distance,
        runner,
        concurrency: this.deps.settings.concurrency,
        routingBudgetMs: claimed.options.timeBudgetMs ?? this.deps.settings.timeBudgetMs,
        minJobMs: this.deps.settings.minJobMs,
        maxIterations: this.deps.settings.maxIterations > 0 ? this.deps.settings.maxIterations : undefined,
        seed: claimed.options.seed,
        minShelfLifeDays: this.deps.settings.minShelfLifeDays,
        restWeekdays: this.deps.settings.restWeekdays,
        signal,
        onProgress: progress,
      });
      const dropped = silentlyDropped(input, result);
      if (dropped.length > 0) throw new Error(`internal: ${dropped.length} due units neither routed nor listed (${dropped.slice(0, 5).join(', ')})`);
      progress('writing', 90);
      const routeDocs: PlanRouteDoc[] = result.routes.map((route) => ({ _id: `${generation}:${route.routeKey}`, planId: id, generation, routeKey: route.routeKey, route }));
      const routeOf = new Map<string, PlannedRoute>();
      for (const route of result.routes) for (const stop of route.stops) routeOf.set(stop.clues, route);
      const kitDocs: PlanKitDoc[] = result.kits.map((kit) => {
        const route = routeOf.get(kit.clues)!;
        return { _id: `${generation}:${kit.clues}`, planId: id, generation, clues: kit.clues, routeKey: route.routeKey, kit: storedKit(kit, route.warehouseId) };
      });
      signal.throwIfAborted();
      await this.deps.plans.insertRoutes(routeDocs);
      await options.hooks?.afterRoutesWritten?.();
      signal.throwIfAborted();
      progress('writing', 95);
      await this.deps.plans.insertKits(kitDocs);
      signal.throwIfAborted();
      const vehicles = new Map<string, { vehicleId: string; warehouseId: string; stateCode: string; routeIds: string[] }>();
      for (const route of result.routes) {
        const entry = vehicles.get(route.vehicleId) ?? { vehicleId: route.vehicleId, warehouseId: route.warehouseId, stateCode: route.state.code, routeIds: [] };
        entry.routeIds.push(`${generation}:${route.routeKey}`);
        vehicles.set(route.vehicleId, entry);
      }
      timings[currentStage] = (timings[currentStage] ?? 0) + Date.now() - stageStart;
      timings.total = Date.now() - startedAt;
      // The flip: one single-document update makes the whole generation visible at once.
      const flipped = await this.deps.plans.update(
        id,
        { status: 'running', owner: this.instanceId, runGeneration: generation },
        {
          status: 'draft',
          stage: 'done',
          percent: 100,
          generation,
          finishedAt: new Date(),
          deliveryDates: result.deliveryDates,
          kpis: result.kpis,
          unassigned: result.unassigned,
          rationing: result.rationing,
          warehouses: result.warehouses,
          timingsMs: timings,
          items: catalogueOf(input),
          routeIds: routeDocs.map((d) => d._id),
          vehicles: [...vehicles.values()].sort((a, b) => a.vehicleId.localeCompare(b.vehicleId)),
        },
        ['runGeneration'],
      );
      if (!flipped) throw new ConflictError(`Plan ${id} was taken away from this run before it finished.`);
      await this.afterDraft(flipped);
      return flipped;
    } catch (error) {
      await this.fail(id, generation, error);
      throw error;
    } finally {
      clearInterval(heartbeat);
      if (runner !== this.deps.runner) await runner.close?.();
    }
  }

  /** A new draft replaces older drafts of its round (never an approved plan). */
  private async afterDraft(plan: PlanHeader): Promise<void> {
    for (const old of await this.deps.plans.list({ roundId: plan.roundId, status: 'draft' })) {
      if (old.id !== plan.id && old.createdAt <= plan.createdAt) await this.deps.plans.update(old.id, { status: 'draft' }, { status: 'superseded' });
    }
    await this.deps.rounds.update(plan.roundId, { approvedPlanId: { $exists: false } }, { currentPlanId: plan.id });
  }

  private async fail(id: string, generation: string, error: unknown): Promise<void> {
    const aborted = error instanceof Error && (error.name === 'AbortError' || /abort|shutting down|taken away/i.test(error.message));
    const message = error instanceof Error ? error.message : String(error);
    try {
      await this.deps.plans.update(
        id,
        { status: { $in: ['running', 'queued'] }, runGeneration: generation },
        { status: 'failed', stage: 'failed', finishedAt: new Date(), error: { code: aborted ? 'aborted' : 'generation_failed', message } },
      );
      await this.deps.plans.deleteGeneration(generation);
    } catch (cleanup) {
      this.deps.logger.error({ err: cleanup, planId: id }, 'could not mark a failed plan; recoverStale will');
    }
  }

  /** Marks runs without a heartbeat for `staleAfterMs` as failed and deletes their documents. */
  async recoverStale(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.deps.settings.staleAfterMs);
    let count = 0;
    for (const plan of await this.deps.plans.stale(before)) {
      const marked = await this.deps.plans.update(
        plan.id,
        { status: plan.status, heartbeatAt: { $lt: before } },
        { status: 'failed', stage: 'failed', finishedAt: now, error: { code: 'interrupted', message: 'the generation stopped (its instance died or lost the database); nothing of it is kept' } },
      );
      if (!marked) continue;
      count += 1;
      if (plan.runGeneration) await this.deps.plans.deleteGeneration(plan.runGeneration);
    }
    return count;
  }

  // ---------------------------------------------------------------- inputs

  /** What the engine needs for a round, loaded from the catalogue (public for the benchmark). */
  async loadInput(round: Round): Promise<PlanningInput> {
    const s = this.deps.settings;
    const [unitDocs, warehouseDocs, vehicleDocs, itemDocs, templateDocs] = await Promise.all([
      this.deps.inputs.units({ levels: round.level === 'first' ? [1] : [2, 3], states: round.states, clues: round.units }),
      this.deps.inputs.warehouses(),
      this.deps.inputs.vehicles(),
      this.deps.inputs.items(),
      this.deps.inputs.kitTemplates(),
    ]);
    const coordinators = new Map(round.coordinators.map((c) => [c.state, c.name]));
    const warehouses: PlanningWarehouse[] = warehouseDocs.map((w) => ({
      id: w._id,
      name: w.name,
      state: { code: w.state.code, name: w.state.name },
      lng: w.location.coordinates[0],
      lat: w.location.coordinates[1],
      openMin: w.openingHours?.startMin ?? 420,
      closeMin: w.openingHours?.endMin ?? 1140,
      coordinator: coordinators.get(w.state.code),
      hub: w.kind === 'national-hub',
    }));
    const groups = new Map<string, PlanningVehicleType>();
    for (const v of vehicleDocs) {
      const key = [v.homeWarehouseId, v.type, v.capacity.kg, v.capacity.m3, v.capacity.coldBoxes ?? 0, v.shift.startMin, v.shift.endMin, v.costPerKm, v.costPerHour, v.fixedCost].join('|');
      const group = groups.get(key);
      if (group) {
        group.count += 1;
        continue;
      }
      const multiDay = v.type !== 'boat' && s.maxTripDays > 1;
      groups.set(key, {
        id: `${v.type}-${groups.size + 1}`,
        warehouseId: v.homeWarehouseId,
        name: v.name?.replace(/\s+\d+$/, '') ?? v.type,
        count: 1,
        capacityKg: v.capacity.kg,
        capacityM3: v.capacity.m3,
        // A vehicle without refrigeration still carries passive cold boxes (assumption, configurable).
        coldBoxes: (v.capacity.coldBoxes ?? 0) > 0 ? v.capacity.coldBoxes : s.passiveColdBoxes,
        skills: vehicleSkills(v.type, v.capacity.coldBoxes ?? 0),
        // Without configured costs a route still costs its kilometres.
        fixedCost: v.fixedCost,
        costPerKm: v.costPerKm > 0 || v.costPerHour > 0 ? v.costPerKm : 1,
        costPerHour: v.costPerHour,
        shiftStartMin: v.shift.startMin,
        shiftEndMin: v.shift.endMin,
        maxDrivingMinPerDay: multiDay ? s.maxDrivingMinPerDay : undefined,
        maxDays: multiDay ? s.maxTripDays : undefined,
        overnightRestMin: multiDay ? s.overnightRestMin : undefined,
      });
    }
    const units = unitDocs.map((u) => planningUnit(u));
    const templates: Record<string, Record<string, number>> = {};
    for (const t of templateDocs) templates[t.sizeClass] = Object.fromEntries(t.lines.map((l) => [l.code, l.quantity]));
    const lotDocs = await this.deps.inputs.lots(warehouses.map((w) => w.id));
    const stock = await this.deps.inputs.currentStock(units.map((u) => u.clues));
    const itemCodes = new Set(itemDocs.map((i) => i.code));
    const unitStock = new Map<string, CycleUnitLine[]>();
    for (const [clues, items] of stock) {
      unitStock.set(
        clues,
        Object.entries(items)
          .filter(([code]) => itemCodes.has(code))
          .map(([code, item]) => ({
            code,
            stockOnHand: item.soh,
            reports: item.history.map((h): StockReportPeriod => ({ totalConsumedQuantity: h.consumed, totalStockoutDays: h.stockoutDays })),
          })),
      );
    }
    return {
      deliveryStart: round.deliveryStart,
      deliveryEnd: round.deliveryEnd,
      units,
      warehouses,
      vehicleTypes: [...groups.values()],
      catalogue: {
        items: itemDocs.map((i) => ({ code: i.code, name: i.name, presentation: i.presentation ?? '', category: i.category, coldChain: i.coldChain, controlled: i.controlled })),
        logistics: itemDocs.map((i) => ({ code: i.code, weightKgPerPiece: i.unitWeightKg, volumeM3PerPiece: i.unitVolumeM3 })),
        template: templates,
        coldBoxCapacityM3: s.coldBoxCapacityM3,
      },
      lots: lotDocs
        .filter((l) => l.quantity - l.reserved > 0)
        .map((l) => ({ warehouseId: l.warehouseId, lotCode: l.lotNumber, code: l.itemCode, expiryDate: new Date(l.expiry).toISOString().slice(0, 10), available: l.quantity - l.reserved })),
      unitStock,
    };
  }

  // ---------------------------------------------------------------- reading

  private async roundFor(roundId: string, actor: Actor): Promise<Round> {
    const round = await this.deps.rounds.get(roundId);
    if (!round || (actor.state !== undefined && round.states.length > 0 && !round.states.includes(actor.state))) throw new NotFoundError(`No round ${roundId}.`);
    return round;
  }

  async getHeader(id: string, actor: Actor): Promise<PlanHeader> {
    authorize(actor as Principal, 'plans:read');
    const plan = await this.deps.plans.get(id);
    if (!plan) throw new NotFoundError(`No plan ${id}.`);
    await this.roundFor(plan.roundId, actor).catch(() => {
      throw new NotFoundError(`No plan ${id}.`);
    });
    if ((plan.status === 'running' || plan.status === 'queued') && plan.heartbeatAt && Date.now() - new Date(plan.heartbeatAt).getTime() > this.deps.settings.staleAfterMs) {
      await this.recoverStale();
      return (await this.deps.plans.get(id))!;
    }
    return plan;
  }

  view(plan: PlanHeader, actor: Actor): PlanView {
    const unassigned = plan.unassigned as PlanResult['unassigned'];
    const kpis = (plan.kpis as PlanResult['kpis'] | undefined) ?? null;
    const scoped = actor.state;
    return {
      id: plan.id,
      roundId: plan.roundId,
      status: plan.status,
      stage: plan.stage,
      percent: plan.percent,
      createdBy: plan.createdBy,
      createdAt: plan.createdAt.toISOString(),
      startedAt: iso(plan.startedAt),
      finishedAt: iso(plan.finishedAt),
      approvedBy: plan.approvedBy ?? null,
      approvedAt: iso(plan.approvedAt),
      dispatchedBy: plan.dispatchedBy ?? null,
      dispatchedAt: iso(plan.dispatchedAt),
      error: plan.error?.code ? { code: plan.error.code, message: plan.error.message } : null,
      deliveryDates: plan.deliveryDates,
      kpis: kpis && scoped ? { plan: kpis.plan, byState: kpis.byState.filter((s) => s.state.code === scoped) } : kpis,
      unassigned: scoped ? unassigned.filter((u) => u.state.code === scoped) : unassigned,
      rationing: plan.rationing as PlanResult['rationing'],
      warehouses: (plan.warehouses as PlanResult['warehouses']).filter((w) => !scoped || w.state.code === scoped),
      reservation: (plan.reservation as PlanView['reservation']) ?? null,
      timingsMs: plan.timingsMs ?? null,
    };
  }

  async get(id: string, actor: Actor): Promise<PlanView> {
    return this.view(await this.getHeader(id, actor), actor);
  }

  async list(roundId: string, actor: Actor): Promise<PlanView[]> {
    authorize(actor as Principal, 'plans:read');
    await this.roundFor(roundId, actor);
    const headers = await this.deps.plans.list({ roundId });
    return headers.map((h) => this.view({ ...h, unassigned: [], rationing: [], warehouses: [], routeIds: [], vehicles: [] }, actor));
  }

  /** A complete plan's header, or 409 while it is not (queued, running, failed, cancelled). */
  private async readable(id: string, actor: Actor): Promise<PlanHeader & { generation: string }> {
    const plan = await this.getHeader(id, actor);
    if (!READABLE.includes(plan.status) || !plan.generation) {
      throw new ConflictError(`Plan ${id} is ${plan.status}; its routes exist once it is generated (status draft, approved or dispatched).`);
    }
    return plan as PlanHeader & { generation: string };
  }

  private stateFilter(actor: Actor, requested: string | undefined): string | undefined {
    if (actor.state !== undefined && requested !== undefined && requested !== actor.state) throw new ForbiddenError(`This token is limited to state ${actor.state}.`);
    return actor.state ?? requested;
  }

  async routes(id: string, actor: Actor, state?: string): Promise<{ plan: PlanHeader; routes: PlannedRoute[] }> {
    const plan = await this.readable(id, actor);
    const only = this.stateFilter(actor, state);
    const ids = only === undefined ? plan.routeIds : plan.vehicles.filter((v) => v.stateCode === only).flatMap((v) => v.routeIds);
    const docs = await this.deps.plans.routes(ids);
    return { plan, routes: docs.map((d) => d.route as PlannedRoute) };
  }

  async geojson(id: string, actor: Actor, state?: string): Promise<GeoJsonFeatureCollection> {
    const { routes } = await this.routes(id, actor, state);
    const warehouses = await this.deps.inputs.warehouses();
    return routesGeoJson(routes, new Map(warehouses.map((w) => [w._id, { lng: w.location.coordinates[0], lat: w.location.coordinates[1] }])));
  }

  async manifests(id: string, actor: Actor, state?: string): Promise<ManifestSummary[]> {
    authorize(actor as Principal, 'manifests:read');
    const { routes } = await this.routes(id, actor, state);
    const byVehicle = new Map<string, PlannedRoute[]>();
    for (const r of routes) byVehicle.set(r.vehicleId, [...(byVehicle.get(r.vehicleId) ?? []), r]);
    return [...byVehicle.values()]
      .map((list) => list.sort((a, b) => a.dayIndex - b.dayIndex))
      .map((list) => ({
        vehicleId: list[0].vehicleId,
        warehouseId: list[0].warehouseId,
        state: list[0].state,
        vehicleName: list[0].vehicleName,
        trips: list.map((r) => ({
          routeKey: r.routeKey,
          number: r.number,
          startDate: r.startDate,
          tripDays: r.tripDays,
          stops: r.stops.length,
          weightKg: r.load.weightKg,
          volumeM3: r.load.volumeM3,
          coldBoxes: r.load.coldBoxes,
          distanceKm: r.distanceKm,
        })),
      }))
      .sort((a, b) => a.vehicleId.localeCompare(b.vehicleId));
  }

  async manifestsCsv(id: string, actor: Actor, state?: string): Promise<string> {
    authorize(actor as Principal, 'manifests:read');
    return stopsCsv((await this.routes(id, actor, state)).routes);
  }

  async manifest(id: string, vehicleId: string, actor: Actor): Promise<{ manifest: Manifest; kits: Map<string, UnitKit>; roundName: string }> {
    authorize(actor as Principal, 'manifests:read');
    const plan = await this.readable(id, actor);
    const entry = plan.vehicles.find((v) => v.vehicleId === vehicleId);
    if (!entry || (actor.state !== undefined && entry.stateCode !== actor.state)) throw new NotFoundError(`Vehicle ${vehicleId} has no trips in plan ${id}.`);
    const routes = (await this.deps.plans.routes(entry.routeIds)).map((d) => d.route as PlannedRoute);
    const kitDocs = await this.deps.plans.kits(routes.flatMap((r) => r.stops.map((s) => `${plan.generation}:${s.clues}`)));
    const items = new Map(((plan.items ?? []) as CatalogueEntry[]).map((i) => [i.code, i]));
    const kits = new Map(kitDocs.map((d) => [d.clues, hydrateKit(d.kit as StoredKit, items)]));
    const round = await this.deps.rounds.get(plan.roundId);
    return { manifest: buildManifest(routes, kits), kits, roundName: round?.name ?? plan.roundId };
  }

  async manifestCsv(id: string, vehicleId: string, actor: Actor): Promise<string> {
    const { manifest, kits } = await this.manifest(id, vehicleId, actor);
    return manifestCsv(manifest, kits);
  }

  async manifestHtml(id: string, vehicleId: string, actor: Actor): Promise<string> {
    const { manifest, roundName } = await this.manifest(id, vehicleId, actor);
    return manifestHtml(manifest, roundName);
  }

  /** The official route programme workbook (one sheet per state), and its file name. */
  async programme(id: string, actor: Actor, state?: string): Promise<{ fileName: string; content: Buffer }> {
    const { plan, routes } = await this.routes(id, actor, state);
    const round = (await this.deps.rounds.get(plan.roundId))!;
    const only = this.stateFilter(actor, state);
    const coordinators = new Map(round.coordinators.map((c) => [c.state, c.name]));
    const states = programmeStates(routes, coordinators);
    const unassigned = (plan.unassigned as PlanResult['unassigned']).filter((u) => only === undefined || u.state.code === only);
    const workbook = buildProgrammeWorkbook({ round, states, unassigned });
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const entity = only === undefined ? 'NACIONAL' : (states[0]?.state.name ?? unassigned[0]?.state.name ?? only);
    return { fileName: programmeFileName(entity, round.name), content };
  }

  // ---------------------------------------------------------------- lifecycle

  private async kitDocsOf(plan: PlanHeader & { generation: string }): Promise<PlanKitDoc[]> {
    const routes = (await this.deps.plans.routes(plan.routeIds)).map((d) => d.route as PlannedRoute);
    return this.deps.plans.kits(routes.flatMap((r) => r.stops.map((s) => `${plan.generation}:${s.clues}`)));
  }

  private requireNational(plan: PlanHeader, round: Round, actor: Actor): void {
    if (actor.state !== undefined && (round.states.length !== 1 || round.states[0] !== actor.state)) {
      throw new ForbiddenError(`Plan ${plan.id} covers more than state ${actor.state}; a national token must change it.`);
    }
  }

  /** draft → approved: reserves the plan's lot quantities (all or nothing). */
  async approve(id: string, actor: Actor): Promise<PlanView> {
    authorize(actor as Principal, 'plans:write');
    const plan = await this.readable(id, actor);
    const round = (await this.deps.rounds.get(plan.roundId))!;
    this.requireNational(plan, round, actor);
    if (plan.status === 'approved' || plan.status === 'dispatched') throw new ConflictError(`Plan ${id} is already ${plan.status}.`);
    if (plan.status !== 'draft') throw new ConflictError(`Plan ${id} is ${plan.status}; only the round's current draft can be approved.`);
    if (round.status !== 'planned') throw new ConflictError(`Round ${round.id} is ${round.status}.`);
    const claimed = await this.deps.rounds.update(round.id, { status: 'planned', approvedPlanId: { $exists: false } }, { approvedPlanId: id, currentPlanId: id });
    if (!claimed) throw new ConflictError(`Round ${round.id} already has an approved plan.`);
    const lines = reservationLines(await this.kitDocsOf(plan));
    const reserved = await this.deps.lots.reserveAll(lines, `plan:${id}`, actor.tokenId);
    if (!reserved.ok) {
      await this.deps.rounds.update(round.id, { approvedPlanId: id }, {}, ['approvedPlanId']);
      const detail = reserved.shortages.slice(0, 20).map((s, k) => ({ pointer: `/lots/${k}`, detail: `${s.warehouseId} ${s.itemCode} lot ${s.lotNumber}: needs ${s.quantity}, ${s.free} free` }));
      throw new ConflictError(`The warehouse stock changed since the plan was generated: ${reserved.shortages.length} lots cannot cover it. Regenerate the plan.`, detail);
    }
    const approved = await this.deps.plans.update(id, { status: 'draft' }, {
      status: 'approved',
      approvedBy: actorName(actor),
      approvedAt: new Date(),
      reservation: { lots: lines.length, pieces: lines.reduce((s, l) => s + l.quantity, 0) },
    });
    if (!approved) {
      await this.deps.lots.releaseAll(lines, `plan:${id}`, actor.tokenId);
      await this.deps.rounds.update(round.id, { approvedPlanId: id }, {}, ['approvedPlanId']);
      throw new ConflictError(`Plan ${id} changed while approving it; retry.`);
    }
    return this.view(approved, actor);
  }

  /** approved → dispatched: issues the reserved lot quantities; the round goes in progress. */
  async dispatch(id: string, actor: Actor): Promise<PlanView> {
    if (!can(actor, 'dispatch:write')) authorize(actor as Principal, 'plans:write');
    const plan = await this.readable(id, actor);
    const round = (await this.deps.rounds.get(plan.roundId))!;
    this.requireNational(plan, round, actor);
    if (plan.status === 'dispatched') throw new ConflictError(`Plan ${id} is already dispatched.`);
    if (plan.status !== 'approved') throw new ConflictError(`Plan ${id} is ${plan.status}; approve it before dispatching.`);
    const claimed = await this.deps.plans.update(id, { status: 'approved' }, { status: 'dispatched', dispatchedBy: actorName(actor), dispatchedAt: new Date() });
    if (!claimed) throw new ConflictError(`Plan ${id} changed while dispatching it; retry.`);
    const failed = await this.deps.lots.issueAll(reservationLines(await this.kitDocsOf(plan)), `plan:${id}`, actor.tokenId);
    if (failed.length > 0) this.deps.logger.error({ planId: id, failed }, 'some reserved lot quantities could not be issued');
    await this.deps.rounds.update(round.id, { status: 'planned' }, { status: 'in-progress' });
    return this.view(claimed, actor);
  }
}

/** Item attributes stored once per plan (kit lines store only code, quantities and lots). */
export interface CatalogueEntry {
  code: string;
  name: string;
  category: 'medicine' | 'supply';
  coldChain: boolean;
  controlled: boolean;
}

/** A stop's kit as stored in plan_kits: lines carry code, quantity and lots only (size). */
export interface StoredKit {
  clues: string;
  warehouseId: string;
  totals: UnitKit['totals'];
  lines: { code: string; quantity: number; lots: { lotCode: string; expiryDate: string; quantity: number }[]; short?: number; shortReason?: string }[];
}

function storedKit(kit: UnitKit, warehouseId: string): StoredKit {
  return {
    clues: kit.clues,
    warehouseId,
    totals: kit.totals,
    lines: kit.lines.map((l) => {
      const line: StoredKit['lines'][number] = { code: l.code, quantity: l.quantity, lots: l.lots };
      if (l.short > 0) {
        line.short = l.short;
        if (l.shortReason) line.shortReason = l.shortReason;
      }
      return line;
    }),
  };
}

function hydrateKit(kit: StoredKit, items: ReadonlyMap<string, CatalogueEntry>): UnitKit {
  return {
    clues: kit.clues,
    totals: kit.totals,
    lines: kit.lines.map((l) => {
      const item = items.get(l.code);
      const line: UnitKit['lines'][number] = {
        code: l.code,
        name: item?.name ?? l.code,
        category: item?.category ?? 'medicine',
        quantity: l.quantity,
        coldChain: item?.coldChain ?? false,
        controlled: item?.controlled ?? false,
        lots: l.lots,
        short: l.short ?? 0,
      };
      if (l.shortReason) line.shortReason = l.shortReason as NonNullable<UnitKit['lines'][number]['shortReason']>;
      return line;
    }),
  };
}

function catalogueOf(input: PlanningInput): CatalogueEntry[] {
  return input.catalogue.items.map((i) => ({ code: i.code, name: i.name, category: i.category, coldChain: i.coldChain, controlled: i.controlled }));
}

export function planningUnit(u: HealthUnitDoc): PlanningUnit {
  return {
    clues: u._id,
    name: u.name,
    type: u.type,
    level: u.level,
    state: { code: u.state.code, name: u.state.name },
    municipality: u.municipality?.name,
    lng: u.location?.coordinates[0],
    lat: u.location?.coordinates[1],
    timeWindows: (u.timeWindows ?? []).map((w) => ({ startMin: w.startMin, endMin: w.endMin })),
    serviceTimeMin: u.serviceTimeMin ?? 20,
    access: { remote: u.access?.remote ?? false, fourByFour: u.access?.fourByFour ?? false, multiDay: u.access?.multiDay ?? false, boat: u.access?.boat ?? false },
    warehouseId: u.warehouseId,
    sizeClass: u.sizeClass,
    contact: u.contact ? { receiverName: u.contact.receiverName, phone: u.contact.phone, email: u.contact.email } : undefined,
  };
}

/**
 * Replenishment runs (issue 7): load the network from the database, plan one cycle per warehouse
 * with the pure core (solver/replenishment), pick lots FEFO, and store the run as a header plus
 * per-unit and per-item documents. The header flips to `completed` last, in one update: a reader
 * never sees a partial run; a failure marks it `failed` and removes what was written.
 */
import { randomBytes } from 'node:crypto';
import { can, type Principal } from '../auth.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { Page, PageRequest } from '../../repositories/common.ts';
import type {
  ReplenishmentRepository,
  ReplenishmentRunDoc,
  ReplenishmentRunItemDoc,
  RunItemReport,
  RunUnitHeader,
  RunUnitRecord,
  RunOptions,
  RunSummary,
  RunWarehouseSummary,
} from '../../repositories/replenishment.ts';
import { ReplenishmentError, type KitTemplate } from '../../../solver/replenishment/index.ts';
import { WorkerPlanner, type WarehousePlanner } from './planner.ts';
import {
  DEFAULT_COLD_BOX_CAPACITY_M3,
  type CatalogueItem,
  type PlannedItem,
  type PlannedUnit,
  type PlanningLot,
  type PlanningPolicy,
  type PlanningUnit,
  type UnitStockRecord,
  type WarehousePlan,
} from './planning.ts';

/** Who asks: the token's role and optional state scope (INEGI code). */
export type RunActor = Pick<Principal, 'role' | 'state'> & { tokenId?: string };

export interface CreateRunRequest {
  warehouseId?: string;
  scope?: 'warehouse' | 'national';
  horizonDays?: number;
  safetyDays?: number;
  daysUntilNextDelivery?: number;
  deliveryDate?: string;
  emergencyDays?: number;
  minShelfLifeDays?: number;
  method?: 'highs' | 'water-filling';
  hospitalWeight?: number;
  remoteWeight?: number;
}

export interface ReplenishmentServiceDeps {
  repository: ReplenishmentRepository;
  /** config.minShelfLifeDays: the default minimum shelf life at delivery. */
  minShelfLifeDays: number;
  now?: () => Date;
  /** Run ids: 24 hex characters, time-ordered (tests may fix them). */
  newRunId?: () => string;
  /**
   * Where planWarehouse runs: a {@link WorkerPlanner} (worker threads, the default) or, in tests,
   * {@link inProcessPlanner}. The service's `close()` closes it.
   */
  planner?: WarehousePlanner;
  /** Usable volume of one cold box (config.coldBoxCapacityM3; default 0.02 m³). */
  coldBoxCapacityM3?: number;
}

const TIME_ZONE = 'America/Mexico_City';

/** The role policy of src/services/auth.ts: planners and admins write; admin, planner, national read. */
function allow(actor: RunActor, action: 'replenishment:read' | 'replenishment:write'): void {
  if (!can(actor, action)) {
    throw new ForbiddenError(`A ${actor.role} token cannot ${action === 'replenishment:write' ? 'compute replenishment runs' : 'read replenishment runs'}.`);
  }
}
const DAY_MS = 86_400_000;
const UNITS_IN_SHOW = 100;

/** A local calendar date in Mexico City, YYYY-MM-DD. */
export function localDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function dayOf(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && isoOf(dayOf(value)) === value;
}

/** Time-ordered id: 12 hex digits of milliseconds + 12 random hex digits. */
export function timeOrderedId(now = Date.now()): string {
  return `${now.toString(16).padStart(12, '0')}${randomBytes(6).toString('hex')}`;
}

function catalogueOf(items: Awaited<ReturnType<ReplenishmentRepository['catalogue']>>): CatalogueItem[] {
  return items.map((item) => ({
    code: item._id,
    name: item.name,
    presentation: item.presentation ?? '',
    category: item.category,
    coldChain: item.coldChain,
    controlled: item.controlled,
    packSize: item.packSize,
    unitWeightKg: item.unitWeightKg,
    unitVolumeM3: item.unitVolumeM3,
  }));
}

function templatesOf(docs: Awaited<ReturnType<ReplenishmentRepository['kitTemplates']>>): KitTemplate {
  return Object.fromEntries(docs.map((doc) => [doc._id, Object.fromEntries(doc.lines.map((line) => [line.code, line.quantity]))]));
}

/** Maps errors of the pure core on stored data to a 409 that names the offending field. */
function fromCore(error: unknown): unknown {
  if (error instanceof ReplenishmentError) {
    return new ConflictError(`The stored data cannot be planned: ${error.message}`, error.field ? [{ pointer: `/data/${error.field.replace(/\./g, '/')}`, detail: error.message }] : []);
  }
  return error;
}

interface ResolvedOptions extends RunOptions {
  /** Deliveries happen on `deliveryDate`; the days until then are consumed at the units. */
  coldBoxCapacityM3: number;
}

interface Group {
  warehouse: { id: string; name: string; state: string };
  units: Awaited<ReturnType<ReplenishmentRepository['activeUnits']>>;
}

export function createReplenishmentService(deps: ReplenishmentServiceDeps) {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const newRunId = deps.newRunId ?? (() => timeOrderedId());
  const planner = deps.planner ?? new WorkerPlanner();

  function resolveOptions(request: CreateRunRequest | ComputeKitsRequest, prefix: string): ResolvedOptions {
    const errors: FieldError[] = [];
    const today = localDate(now());
    if (request.deliveryDate !== undefined && !isIsoDate(request.deliveryDate)) errors.push({ pointer: `${prefix}/deliveryDate`, detail: 'must be a real date YYYY-MM-DD' });
    if (errors.length > 0) throw new ValidationError('The replenishment options are not valid.', errors);
    const daysUntilNextDelivery =
      request.daysUntilNextDelivery ?? (request.deliveryDate !== undefined ? Math.max(0, dayOf(request.deliveryDate) - dayOf(today)) : 0);
    return {
      horizonDays: request.horizonDays ?? 30,
      safetyDays: request.safetyDays ?? 7,
      daysUntilNextDelivery,
      emergencyDays: request.emergencyDays ?? 7,
      minShelfLifeDays: request.minShelfLifeDays ?? deps.minShelfLifeDays,
      method: request.method ?? 'highs',
      deliveryDate: request.deliveryDate ?? isoOf(dayOf(today) + daysUntilNextDelivery),
      hospitalWeight: request.hospitalWeight ?? 1,
      remoteWeight: request.remoteWeight ?? 1,
      coldBoxCapacityM3: deps.coldBoxCapacityM3 ?? DEFAULT_COLD_BOX_CAPACITY_M3,
    };
  }

  function policyOf(options: ResolvedOptions): PlanningPolicy {
    return {
      horizonDays: options.horizonDays,
      safetyDays: options.safetyDays,
      emergencyDays: options.emergencyDays,
      minShelfLifeDays: options.minShelfLifeDays,
      method: options.method,
      hospitalWeight: options.hospitalWeight,
      remoteWeight: options.remoteWeight,
      coldBoxCapacityM3: options.coldBoxCapacityM3,
    };
  }

  /** Latest stock per unit: CurrentStock, else the unit's stock reports. */
  async function stockOf(clues: readonly string[]): Promise<Map<string, Map<string, UnitStockRecord>>> {
    const result = new Map<string, Map<string, UnitStockRecord>>();
    for (const doc of await repository.currentStock(clues)) {
      const items = new Map<string, UnitStockRecord>();
      for (const [code, item] of Object.entries(doc.items)) {
        items.set(code, { stockOnHand: item.soh, history: (item.history ?? []).map((h) => ({ period: h.period, consumed: h.consumed, stockoutDays: h.stockoutDays })) });
      }
      result.set(doc._id, items);
    }
    const missing = clues.filter((c) => !result.has(c));
    if (missing.length > 0) {
      const reports = (await repository.stockReports(missing)).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
      for (const report of reports) {
        const items = result.get(report.unitClues) ?? new Map<string, UnitStockRecord>();
        for (const line of report.lines) {
          const record = items.get(line.code) ?? { stockOnHand: 0, history: [] };
          record.stockOnHand = line.soh; // reports are sorted oldest first: the last one wins
          record.history.push({ period: report.period, consumed: line.consumed, stockoutDays: line.stockoutDays });
          items.set(line.code, record);
        }
        result.set(report.unitClues, items);
      }
    }
    return result;
  }

  async function lotsOf(warehouseId: string): Promise<PlanningLot[]> {
    const lots = await repository.lotsOfWarehouse(warehouseId);
    return lots.map((lot) => ({
      itemCode: lot.itemCode,
      lotNumber: lot.lotNumber,
      expiryDate: new Date(lot.expiry).toISOString().slice(0, 10),
      quantity: lot.quantity,
      reserved: lot.reserved ?? 0,
    }));
  }

  function requireTemplates(units: readonly { _id: string; sizeClass: string }[], templates: KitTemplate): void {
    const missing = new Map<string, string[]>();
    for (const unit of units) {
      if (!Object.hasOwn(templates, unit.sizeClass)) missing.set(unit.sizeClass, [...(missing.get(unit.sizeClass) ?? []), unit._id]);
    }
    if (missing.size > 0) {
      const list = [...missing].map(([size, clues]) => `"${size}" (${clues.slice(0, 5).join(', ')}${clues.length > 5 ? ', …' : ''})`);
      throw new ConflictError(`No kit template for the size class of some units: ${list.join('; ')}. Create the kit templates first.`);
    }
  }

  async function planGroup(
    group: Group,
    catalogue: CatalogueItem[],
    templates: KitTemplate,
    options: ResolvedOptions,
    deliveryDates?: ReadonlyMap<string, string>,
  ): Promise<WarehousePlan> {
    const stock = await stockOf(group.units.map((u) => u._id));
    const lots = await lotsOf(group.warehouse.id);
    const today = dayOf(options.deliveryDate) - options.daysUntilNextDelivery;
    const units: PlanningUnit[] = group.units.map((unit) => {
      const deliveryDate = deliveryDates?.get(unit._id) ?? options.deliveryDate;
      return {
        clues: unit._id,
        name: unit.name,
        state: unit.state.code,
        sizeClass: unit.sizeClass,
        level: unit.level,
        remote: unit.access?.remote ?? false,
        stock: stock.get(unit._id) ?? new Map(),
        deliveryDate,
        daysUntilDelivery: Math.max(0, dayOf(deliveryDate) - today),
      };
    });
    try {
      return await planner.plan({ catalogue, templates, units, lots }, policyOf(options));
    } catch (error) {
      throw fromCore(error);
    }
  }

  function canRead(run: ReplenishmentRunDoc, actor: RunActor): boolean {
    return actor.state === undefined || run.state === actor.state;
  }

  async function readableRun(id: string, actor: RunActor): Promise<ReplenishmentRunDoc> {
    allow(actor, 'replenishment:read');
    const run = await repository.findRun(id);
    if (!run) throw new NotFoundError(`No replenishment run ${id}.`);
    if (!canRead(run, actor)) throw new ForbiddenError(`This token is limited to state ${actor.state}; run ${id} is not of that state.`);
    return run;
  }

  async function completedRun(id: string, actor: RunActor): Promise<ReplenishmentRunDoc> {
    const run = await readableRun(id, actor);
    if (run.status !== 'completed') throw new ConflictError(`Run ${id} is ${run.status}; only completed runs have results.`);
    return run;
  }

  async function resolveGroups(request: CreateRunRequest, actor: RunActor): Promise<{ scope: 'warehouse' | 'national'; groups: Group[]; unassigned: string[]; state?: string; warehouseId?: string }> {
    const national = request.scope === 'national';
    if (national && request.warehouseId !== undefined) {
      throw new ValidationError('A national run covers every warehouse.', [{ pointer: '/body/warehouseId', detail: 'must not be given with scope "national"' }]);
    }
    if (!national && request.warehouseId === undefined) {
      throw new ValidationError('Say which warehouse to plan, or ask for a national run.', [{ pointer: '/body/warehouseId', detail: 'is required unless scope is "national"' }]);
    }
    if (national) {
      if (actor.state !== undefined) throw new ForbiddenError(`This token is limited to state ${actor.state}; a national run needs an unscoped planner or an admin.`);
      const warehouses = new Map((await repository.warehouses()).map((w) => [w._id, w]));
      const byWarehouse = new Map<string, Group>();
      const unassigned: string[] = [];
      for (const unit of await repository.activeUnits()) {
        const warehouse = unit.warehouseId === undefined ? undefined : warehouses.get(unit.warehouseId);
        if (!warehouse) {
          unassigned.push(unit._id);
          continue;
        }
        const group = byWarehouse.get(warehouse._id) ?? { warehouse: { id: warehouse._id, name: warehouse.name, state: warehouse.state.code }, units: [] };
        group.units.push(unit);
        byWarehouse.set(warehouse._id, group);
      }
      const groups = [...byWarehouse.values()].sort((a, b) => (a.warehouse.id < b.warehouse.id ? -1 : 1));
      return { scope: 'national', groups, unassigned };
    }
    const warehouseId = request.warehouseId!;
    const warehouse = await repository.warehouse(warehouseId);
    if (!warehouse) throw new ValidationError(`No warehouse ${warehouseId}.`, [{ pointer: '/body/warehouseId', detail: `no warehouse with id "${warehouseId}"` }]);
    if (actor.state !== undefined && warehouse.state.code !== actor.state) {
      throw new ForbiddenError(`This token is limited to state ${actor.state}; warehouse ${warehouseId} is in state ${warehouse.state.code}.`);
    }
    const units = await repository.activeUnits(warehouseId);
    return {
      scope: 'warehouse',
      groups: [{ warehouse: { id: warehouse._id, name: warehouse.name, state: warehouse.state.code }, units }],
      unassigned: [],
      state: warehouse.state.code,
      warehouseId,
    };
  }

  function unitDoc(runId: string, warehouseId: string, unit: PlannedUnit): RunUnitRecord {
    const { usedTemplate: _usedTemplate, ...rest } = unit;
    return { ...rest, runId, warehouseId };
  }

  /** Sums the per-warehouse item reports of a run. */
  class ItemTotals {
    readonly reports = new Map<string, RunItemReport>();
    readonly perWarehouse = new Map<string, ReplenishmentRunItemDoc['warehouses']>();
    readonly shortUnits = new Map<string, ReplenishmentRunItemDoc['shortUnits']>();
    constructor(catalogue: readonly CatalogueItem[], horizonDays: number) {
      for (const item of catalogue) {
        this.reports.set(item.code, {
          code: item.code,
          name: item.name,
          available: 0,
          expiredQuantity: 0,
          shortShelfLifeQuantity: 0,
          requested: 0,
          allocated: 0,
          shortfall: 0,
          unitsShort: 0,
          minCoverageDays: horizonDays,
        });
        this.perWarehouse.set(item.code, []);
        this.shortUnits.set(item.code, []);
      }
    }
    add(warehouseId: string, items: readonly PlannedItem[]): void {
      for (const item of items) {
        const report = this.reports.get(item.code)!;
        report.available += item.available;
        report.expiredQuantity += item.expiredQuantity;
        report.shortShelfLifeQuantity += item.shortShelfLifeQuantity;
        report.requested += item.requested;
        report.allocated += item.allocated;
        report.shortfall += item.shortfall;
        report.unitsShort += item.unitsShort;
        report.minCoverageDays = Math.min(report.minCoverageDays, item.minCoverageDays);
        const { shortUnits, code: _code, name: _name, ...numbers } = item;
        this.perWarehouse.get(item.code)!.push({ warehouseId, ...numbers });
        this.shortUnits.get(item.code)!.push(...shortUnits.map((u) => ({ ...u, warehouseId })));
      }
    }
  }

  async function createRun(request: CreateRunRequest, actor: RunActor): Promise<RunView> {
    allow(actor, 'replenishment:write');
    const options = resolveOptions(request, '/body');
    const { scope, groups, unassigned, state, warehouseId } = await resolveGroups(request, actor);
    const catalogue = catalogueOf(await repository.catalogue());
    if (catalogue.length === 0) throw new ConflictError('The item catalogue is empty: import the items first.');
    const templates = templatesOf(await repository.kitTemplates());
    const allUnits = groups.flatMap((g) => g.units);
    if (allUnits.length === 0) {
      throw new ConflictError(scope === 'national' ? 'No active health unit is served by a warehouse.' : `Warehouse ${warehouseId} serves no active health unit.`);
    }
    requireTemplates(allUnits, templates);

    const { coldBoxCapacityM3: _capacity, ...storedOptions } = options;
    const runId = newRunId();
    await repository.createRun({
      _id: runId,
      scope,
      warehouseId,
      state,
      status: 'running',
      options: storedOptions,
      createdBy: actor.tokenId,
      createdAt: now(),
    });
    try {
      const totals = new ItemTotals(catalogue, options.horizonDays + options.safetyDays);
      const summary: RunSummary = {
        warehouses: groups.length,
        units: 0,
        unitsWithoutReports: 0,
        items: catalogue.length,
        itemsShort: 0,
        requestedPieces: 0,
        allocatedPieces: 0,
        shortfallPieces: 0,
        emergencyLines: 0,
        unfilledLotLines: 0,
        weightKg: 0,
        volumeM3: 0,
        coldBoxes: 0,
      };
      const warehouses: RunWarehouseSummary[] = [];
      for (const group of groups) {
        // One warehouse at a time: its result is stored and dropped before the next is planned,
        // so a national run never holds 9,500 × 147 lines in memory at once.
        const plan = await planGroup(group, catalogue, templates, options);
        await repository.insertUnits(plan.units.map((unit) => unitDoc(runId, group.warehouse.id, unit)));
        totals.add(group.warehouse.id, plan.items);
        summary.units += plan.units.length;
        summary.unitsWithoutReports += plan.units.filter((u) => u.usedTemplate).length;
        summary.emergencyLines += plan.emergencyLines;
        for (const unit of plan.units) {
          summary.unfilledLotLines += unit.unfilled.length;
          summary.weightKg += unit.totals.weightKg;
          summary.volumeM3 += unit.totals.volumeM3;
          summary.coldBoxes += unit.totals.coldBoxes;
        }
        warehouses.push({ warehouseId: group.warehouse.id, name: group.warehouse.name, state: group.warehouse.state, units: plan.units.length, itemsShort: plan.items.filter((i) => i.shortfall > 0).length, stockTracked: plan.stockTracked });
      }
      const rationing = [...totals.reports.values()];
      for (const report of rationing) {
        summary.requestedPieces += report.requested;
        summary.allocatedPieces += report.allocated;
        summary.shortfallPieces += report.shortfall;
        if (report.shortfall > 0) summary.itemsShort += 1;
      }
      summary.weightKg = Math.round(summary.weightKg * 1000) / 1000;
      summary.volumeM3 = Math.round(summary.volumeM3 * 1e6) / 1e6;
      await repository.insertItems(
        rationing.map((report) => ({
          runId,
          code: report.code,
          report,
          warehouses: totals.perWarehouse.get(report.code)!,
          shortUnits: totals.shortUnits.get(report.code)!.sort((a, b) => (a.coverageDaysAtDelivery ?? Infinity) - (b.coverageDaysAtDelivery ?? Infinity)),
        })),
      );
      const flipped = await repository.completeRun(runId, { summary, warehouses, rationing, unassignedUnits: scope === 'national' ? unassigned : undefined });
      if (!flipped) throw new ConflictError(`Run ${runId} was no longer running when it finished.`);
    } catch (error) {
      // Domain errors explain themselves; anything else is logged by the caller and not shown.
      const message = error instanceof DomainError ? error.message : 'An unexpected error stopped the run; it has been logged.';
      try {
        await repository.failRun(runId, message);
        await repository.deleteResults(runId);
      } catch (cleanup) {
        // The run stays unreadable either way (only `completed` runs serve results); report both.
        throw new AggregateError([error, cleanup], `Run ${runId} failed and could not be marked failed: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`, { cause: cleanup });
      }
      throw error;
    }
    return getRun(runId, actor);
  }

  async function getRun(id: string, actor: RunActor): Promise<RunView> {
    const run = await readableRun(id, actor);
    const view = runView(run);
    if (run.status === 'completed') {
      view.units = (await repository.listRunUnits(id, { limit: UNITS_IN_SHOW }, run.summary?.units ?? 0)).items.map(unitSummary);
      view.unitsTruncated = (run.summary?.units ?? 0) > UNITS_IN_SHOW;
    }
    return view;
  }

  return {
    createRun,
    getRun,
    /** Stops the planner's threads (graceful shutdown). */
    close: (): Promise<void> => planner.close(),
    async listRuns(filter: { status?: string; warehouseId?: string }, page: PageRequest, actor: RunActor): Promise<Page<RunView>> {
      allow(actor, 'replenishment:read');
      const result = await repository.listRuns({ ...filter, state: actor.state }, page);
      return { ...result, items: result.items.map(runView) };
    },
    async listRunUnits(id: string, page: PageRequest, actor: RunActor): Promise<Page<RunUnitSummary>> {
      const run = await completedRun(id, actor);
      const result = await repository.listRunUnits(id, page, run.summary?.units ?? 0);
      return { ...result, items: result.items.map(unitSummary) };
    },
    async getRunUnit(id: string, clues: string, actor: RunActor): Promise<RunUnitView> {
      await completedRun(id, actor);
      const doc = await repository.findRunUnit(id, clues);
      if (!doc) throw new NotFoundError(`Run ${id} has no unit ${clues}.`);
      return { ...unitSummary(doc), lines: doc.lines, lots: doc.lots, unfilled: doc.unfilled };
    },
    async getRunItem(id: string, code: string, actor: RunActor): Promise<RunItemView> {
      await completedRun(id, actor);
      const doc = await repository.findRunItem(id, code);
      if (!doc) throw new NotFoundError(`Run ${id} has no item ${code}.`);
      return { runId: id, ...doc.report, warehouses: doc.warehouses, shortUnits: doc.shortUnits };
    },

    /**
     * Kits for the units of a round (for the planning engine): the same cycle as a run, for the
     * given units of one warehouse, with FEFO lots, nothing stored and nothing reserved.
     * Units that do not exist, are inactive or are served by another warehouse are returned in
     * `notPlanned` with a reason, never dropped silently.
     */
    async computeKitsForUnits(request: ComputeKitsRequest): Promise<ComputeKitsResult> {
      const options = resolveOptions(request, '');
      const warehouse = await repository.warehouse(request.warehouseId);
      if (!warehouse) throw new NotFoundError(`No warehouse ${request.warehouseId}.`);
      const found = new Map((await repository.unitsByClues(request.units)).map((u) => [u._id, u]));
      const notPlanned: ComputeKitsResult['notPlanned'] = [];
      const units: Group['units'] = [];
      for (const clues of [...new Set(request.units)]) {
        const unit = found.get(clues);
        if (!unit) notPlanned.push({ clues, reason: 'unknown_unit' });
        else if (!unit.active) notPlanned.push({ clues, reason: 'inactive' });
        else if (unit.warehouseId !== undefined && unit.warehouseId !== warehouse._id) notPlanned.push({ clues, reason: 'other_warehouse' });
        else units.push(unit);
      }
      const catalogue = catalogueOf(await repository.catalogue());
      const templates = templatesOf(await repository.kitTemplates());
      requireTemplates(units, templates);
      if (units.length === 0) return { deliveryDate: options.deliveryDate, kits: [], rationing: [], notPlanned };
      const dates = request.deliveryDates ? new Map(Object.entries(request.deliveryDates)) : undefined;
      const plan = await planGroup({ warehouse: { id: warehouse._id, name: warehouse.name, state: warehouse.state.code }, units }, catalogue, templates, options, dates);
      const byCode = new Map(catalogue.map((item) => [item.code, item]));
      const kits = plan.units.map((unit): UnitKitOut => {
        const lotsByCode = new Map<string, UnitKitOut['lines'][number]['lots']>();
        for (const pick of unit.lots) lotsByCode.set(pick.code, [...(lotsByCode.get(pick.code) ?? []), { lotCode: pick.lotNumber, expiryDate: pick.expiryDate, quantity: pick.quantity }]);
        const unfilled = new Map(unit.unfilled.map((u) => [u.code, u]));
        return {
          clues: unit.clues,
          deliveryDate: unit.deliveryDate,
          totals: unit.totals,
          lines: unit.lines
            .filter((line) => line.allocatedQuantity > 0)
            .map((line) => {
              const item = byCode.get(line.code)!;
              const missing = unfilled.get(line.code);
              return {
                code: line.code,
                name: item.name,
                category: item.category,
                quantity: line.allocatedQuantity,
                requestedQuantity: line.requestedQuantity,
                coldChain: item.coldChain,
                controlled: item.controlled,
                lots: lotsByCode.get(line.code) ?? [],
                short: missing?.missing ?? 0,
                ...(missing ? { shortReason: missing.reason } : {}),
              };
            }),
        };
      });
      return {
        deliveryDate: options.deliveryDate,
        kits,
        rationing: plan.items.map(({ shortUnits: _s, ...item }) => item),
        notPlanned,
      };
    },
  };
}

export type ReplenishmentService = ReturnType<typeof createReplenishmentService>;

export interface ComputeKitsRequest {
  warehouseId: string;
  /** CLUES of the units of the round. */
  units: readonly string[];
  /** Default delivery date of the round (ISO); per-unit dates in `deliveryDates`. */
  deliveryDate?: string;
  deliveryDates?: Readonly<Record<string, string>>;
  horizonDays?: number;
  safetyDays?: number;
  daysUntilNextDelivery?: number;
  emergencyDays?: number;
  minShelfLifeDays?: number;
  method?: 'highs' | 'water-filling';
  hospitalWeight?: number;
  remoteWeight?: number;
}

/** Same shape as the planning engine's UnitKit (src/services/planning/types.ts), plus dates. */
export interface UnitKitOut {
  clues: string;
  deliveryDate: string;
  totals: PlannedUnit['totals'];
  lines: {
    code: string;
    name: string;
    category: 'medicine' | 'supply';
    quantity: number;
    requestedQuantity: number;
    coldChain: boolean;
    controlled: boolean;
    lots: { lotCode: string; expiryDate: string; quantity: number }[];
    short: number;
    shortReason?: 'no_stock' | 'expired' | 'short_shelf_life';
  }[];
}

export interface ComputeKitsResult {
  deliveryDate: string;
  kits: UnitKitOut[];
  rationing: Omit<PlannedItem, 'shortUnits'>[];
  notPlanned: { clues: string; reason: 'unknown_unit' | 'inactive' | 'other_warehouse' }[];
}

export interface RunUnitSummary {
  clues: string;
  name: string;
  warehouseId: string;
  state: string;
  sizeClass: string;
  weight: number;
  deliveryDate: string;
  linesShort: number;
  emergencyLines: number;
  totals: RunUnitHeader['totals'];
}

export interface RunUnitView extends RunUnitSummary {
  lines: RunUnitRecord['lines'];
  lots: RunUnitRecord['lots'];
  unfilled: RunUnitRecord['unfilled'];
}

export interface RunItemView extends RunItemReport {
  runId: string;
  warehouses: ReplenishmentRunItemDoc['warehouses'];
  shortUnits: ReplenishmentRunItemDoc['shortUnits'];
}

export interface RunView {
  id: string;
  scope: 'warehouse' | 'national';
  warehouseId?: string;
  state?: string;
  status: 'running' | 'completed' | 'failed';
  options: RunOptions;
  createdBy?: string;
  createdAt: string;
  completedAt?: string;
  failedAt?: string;
  error?: string;
  summary?: RunSummary;
  warehouses?: RunWarehouseSummary[];
  rationing?: RunItemReport[];
  unassignedUnits?: string[];
  units?: RunUnitSummary[];
  unitsTruncated?: boolean;
}

function unitSummary(doc: RunUnitHeader): RunUnitSummary {
  return {
    clues: doc.clues,
    name: doc.name,
    warehouseId: doc.warehouseId,
    state: doc.state,
    sizeClass: doc.sizeClass,
    weight: doc.weight,
    deliveryDate: doc.deliveryDate,
    linesShort: doc.linesShort,
    emergencyLines: doc.emergencyLines,
    totals: doc.totals,
  };
}

function runView(run: ReplenishmentRunDoc): RunView {
  const view: RunView = {
    id: run._id,
    scope: run.scope,
    status: run.status,
    options: run.options,
    createdAt: new Date(run.createdAt).toISOString(),
  };
  if (run.warehouseId !== undefined && run.warehouseId !== null) view.warehouseId = run.warehouseId;
  if (run.state !== undefined && run.state !== null) view.state = run.state;
  if (run.createdBy !== undefined && run.createdBy !== null) view.createdBy = run.createdBy;
  if (run.completedAt) view.completedAt = new Date(run.completedAt).toISOString();
  if (run.failedAt) view.failedAt = new Date(run.failedAt).toISOString();
  if (run.error !== undefined && run.error !== null) view.error = run.error;
  if (run.status === 'completed') {
    if (run.summary) view.summary = run.summary;
    if (run.warehouses) view.warehouses = run.warehouses;
    if (run.rationing) view.rationing = run.rationing;
    if (run.unassignedUnits) view.unassignedUnits = run.unassignedUnits;
  }
  return view;
}

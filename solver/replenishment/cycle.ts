/**
 * One replenishment cycle for the units served by one warehouse (or the nation): indicators →
 * max-min reorder quantities → fair allocation of the items that are short → one kit per unit.
 * This is the pure core of `POST /api/v1/replenishment/runs`; the service loads the data, calls
 * {@link planReplenishmentCycle} and stores the result.
 */
import { ceilQuantity, invalid, requireCount } from './errors.ts';
import { assignLotsFefo, type FefoResult, type LotDemand, type WarehouseLot } from './fefo.ts';
import { fairShare, loadHighsSolver, type FairShareClaim, type FairShareMethod, type LpTextSolver } from './fair-share.ts';
import { computeIndicators, type Indicators, type RiskThresholds, type StockReportPeriod } from './indicators.ts';
import { composeKit, type ItemLogistics, type KitComposition, type KitItem, type KitTemplate } from './kit.ts';
import { DEFAULT_REORDER_POLICY, reorderQuantity, type ReorderLine, type ReorderPolicy } from './reorder.ts';

/** What a unit reported for one item. Catalogue items without a line: stock 0, no reports. */
export interface CycleUnitLine {
  readonly code: string;
  readonly stockOnHand: number;
  readonly stockInTransit?: number;
  /** Reporting periods, oldest first (last up to `maxPeriods` are used for AMC). */
  readonly reports?: readonly StockReportPeriod[];
}

export interface CycleUnit {
  readonly id: string;
  /** Key into the kit template (e.g. CLUES tipología "Rural de 01 Núcleo Básico"). */
  readonly sizeClass: string;
  /** Priority weight for rationing (> 0, default 1). */
  readonly weight?: number;
  /** Overrides policy.daysUntilNextDelivery for this unit (its place in the route schedule). */
  readonly daysUntilNextDelivery?: number;
  readonly lines: readonly CycleUnitLine[];
}

export interface ReplenishmentCycleInput {
  /** The catalogue (147 claves). Every unit gets one line per item. */
  readonly items: readonly KitItem[];
  readonly template: KitTemplate;
  readonly logistics: readonly ItemLogistics[];
  readonly coldBoxCapacityM3: number;
  /** Pieces available at the issuing warehouse, per item code (every catalogue item required). */
  readonly available: Readonly<Record<string, number>>;
  readonly units: readonly CycleUnit[];
  readonly policy?: Partial<ReorderPolicy>;
  /** Issue multiple per item code (default 1 piece). */
  readonly packSizes?: Readonly<Record<string, number>>;
  readonly thresholds?: RiskThresholds;
  /** Periods averaged for AMC (default 3). */
  readonly maxPeriods?: number;
}

export interface CycleLine {
  readonly unitId: string;
  readonly code: string;
  readonly indicators: Indicators;
  readonly reorder: ReorderLine;
  /** Integer pieces going into the kit: the requested quantity, or the fair share when short. */
  readonly allocatedQuantity: number;
  /** Days the unit is covered on the delivery date after receiving the kit (null without use). */
  readonly coverageDaysAtDelivery: number | null;
}

/** Rationing report of one item (what the API's run shows). */
export interface RationingItem {
  readonly code: string;
  readonly available: number;
  readonly requested: number;
  readonly allocated: number;
  readonly shortfall: number;
  /** Units that received less than they requested. */
  readonly unitsShort: number;
  /** min over units with use of min(coverage + safety days, coverage days at delivery). */
  readonly minCoverageDays: number;
  readonly lpSolves: number;
}

export interface ReplenishmentCycleResult {
  readonly policy: ReorderPolicy;
  readonly lines: CycleLine[];
  /** One entry per catalogue item, catalogue order; `shortfall > 0` marks rationed items. */
  readonly rationing: RationingItem[];
  readonly kits: KitComposition[];
  /** Lines below the emergency order point (ship now, do not wait for the round). */
  readonly emergencies: { unitId: string; code: string; stockOnHand: number; emergencyOrderPoint: number }[];
}

/**
 * Plans one cycle. Under shortage the item is allocated with {@link fairShare}: horizon =
 * coverageDays + safetyDays, stock = stock position minus the use expected until delivery
 * (rounded UP: assume the larger use), target = the reorder request; so nobody receives more than
 * it asked for and the lowest coverage on the delivery date is raised first.
 */
export async function planReplenishmentCycle(
  input: ReplenishmentCycleInput,
  options: { method?: FairShareMethod; solver?: LpTextSolver } = {},
): Promise<ReplenishmentCycleResult> {
  const policy: ReorderPolicy = { ...DEFAULT_REORDER_POLICY, ...input.policy };
  const method = options.method ?? 'highs';
  const horizonDays = policy.coverageDays + policy.safetyDays;
  const codes = input.items.map((item) => item.code);
  for (const code of codes) {
    if (!Object.hasOwn(input.available, code)) invalid(`available.${code}`, 'is required for every catalogue item');
    requireCount(input.available[code], `available.${code}`);
  }
  const known = new Set(codes);
  const ids = new Set<string>();

  // Indicators and reorder quantities, unit by unit, catalogue order.
  const lines: { unit: number; indicators: Indicators; reorder: ReorderLine; stockAtDelivery: number }[][] = codes.map(() => []);
  input.units.forEach((unit, u) => {
    if (ids.has(unit.id)) invalid(`units[${u}].id`, `duplicate unit id "${unit.id}"`);
    ids.add(unit.id);
    const template = Object.hasOwn(input.template, unit.sizeClass) ? input.template[unit.sizeClass] : undefined;
    if (!template) invalid(`units[${u}].sizeClass`, `no kit template for size class "${unit.sizeClass}"`);
    if (unit.weight !== undefined && !(unit.weight > 0)) invalid(`units[${u}].weight`, `must be > 0, got ${unit.weight}`);
    const reported = new Map<string, CycleUnitLine>();
    unit.lines.forEach((line, l) => {
      if (!known.has(line.code)) invalid(`units[${u}].lines[${l}].code`, `unknown item code "${line.code}"`);
      if (reported.has(line.code)) invalid(`units[${u}].lines[${l}].code`, `duplicate line for item "${line.code}"`);
      reported.set(line.code, line);
    });
    const unitPolicy = { ...policy, daysUntilNextDelivery: unit.daysUntilNextDelivery ?? policy.daysUntilNextDelivery };
    codes.forEach((code, k) => {
      const line = reported.get(code);
      const indicators = computeIndicators(
        { reports: line?.reports, templateQuantity: template[code] ?? 0, stockOnHand: line?.stockOnHand ?? 0 },
        { maxPeriods: input.maxPeriods, thresholds: input.thresholds },
      );
      const reorder = reorderQuantity(
        {
          averageMonthlyConsumption: indicators.averageMonthlyConsumption,
          stockOnHand: indicators.stockOnHand,
          stockInTransit: line?.stockInTransit ?? 0,
          packSize: input.packSizes?.[code] ?? 1,
        },
        unitPolicy,
      );
      const usedBeforeDelivery = ceilQuantity(indicators.dailyUse * unitPolicy.daysUntilNextDelivery);
      lines[k].push({ unit: u, indicators, reorder, stockAtDelivery: Math.max(0, reorder.stockPosition - usedBeforeDelivery) });
    });
  });

  // Allocation, item by item (items are independent: each has its own supply).
  const requestedByItem = lines.map((itemLines) => itemLines.reduce((sum, l) => sum + l.reorder.requestedQuantity, 0));
  const anyShort = codes.some((code, k) => requestedByItem[k] > input.available[code]);
  const solver = method === 'highs' && anyShort ? (options.solver ?? (await loadHighsSolver())) : options.solver;
  const allocated: number[][] = [];
  const rationing = codes.map((code, k): RationingItem => {
    const available = input.available[code];
    const itemLines = lines[k];
    const requested = requestedByItem[k];
    let quantities = itemLines.map((l) => l.reorder.requestedQuantity);
    let lpSolves = 0;
    if (requested > available) {
      const claims: FairShareClaim[] = itemLines.map((l) => ({
        dailyUse: l.indicators.dailyUse,
        stockOnHand: l.stockAtDelivery,
        weight: input.units[l.unit].weight ?? 1,
        target: l.reorder.requestedQuantity,
      }));
      const share = fairShare(claims, available, horizonDays, { method, solver });
      quantities = share.quantities;
      lpSolves = share.lpSolves;
    }
    allocated.push(quantities);
    let minCoverageDays = horizonDays;
    let unitsShort = 0;
    itemLines.forEach((l, i) => {
      if (quantities[i] < l.reorder.requestedQuantity) unitsShort += 1;
      if (l.indicators.dailyUse > 0) minCoverageDays = Math.min(minCoverageDays, (l.stockAtDelivery + quantities[i]) / l.indicators.dailyUse);
    });
    const total = quantities.reduce((sum, q) => sum + q, 0);
    return { code, available, requested, allocated: total, shortfall: requested - total, unitsShort, minCoverageDays, lpSolves };
  });

  const result: CycleLine[] = [];
  const emergencies: ReplenishmentCycleResult['emergencies'] = [];
  const kits = input.units.map((unit, u) => {
    const quantities: Record<string, number> = {};
    codes.forEach((code, k) => {
      const line = lines[k][u];
      const quantity = allocated[k][u];
      quantities[code] = quantity;
      const dailyUse = line.indicators.dailyUse;
      result.push({
        unitId: unit.id,
        code,
        indicators: line.indicators,
        reorder: line.reorder,
        allocatedQuantity: quantity,
        coverageDaysAtDelivery: dailyUse > 0 ? (line.stockAtDelivery + quantity) / dailyUse : null,
      });
      if (line.reorder.emergency) {
        emergencies.push({ unitId: unit.id, code, stockOnHand: line.indicators.stockOnHand, emergencyOrderPoint: line.reorder.emergencyOrderPoint });
      }
    });
    return composeKit({
      unitId: unit.id,
      items: input.items,
      quantities,
      logistics: input.logistics,
      coldBoxCapacityM3: input.coldBoxCapacityM3,
    });
  });
  return { policy, lines: result, rationing, kits, emergencies };
}

/**
 * Supply assumed for every item at a warehouse that does not track lots yet (no lot record at
 * all): requests are shipped as asked, never rationed against stock nobody recorded.
 */
export const UNTRACKED_SUPPLY = 1_000_000_000_000;

/**
 * FEFO lots for the kits of a cycle: one demand per kit line with pieces, units in kit order and
 * catalogue order within a unit (that order decides who gets the earliest-expiring lots). A
 * warehouse without any lot record does not track its stock: nothing is picked and nothing is
 * reported unfilled.
 */
export function pickKitLots(input: {
  readonly kits: readonly KitComposition[];
  readonly lots: readonly WarehouseLot[];
  readonly items: readonly Pick<KitItem, 'code' | 'coldChain'>[];
  /** Delivery date (ISO) of each unit of `kits`. */
  readonly deliveryDateOf: (unitId: string) => string;
  readonly minShelfLifeDays: number;
}): Pick<FefoResult, 'picks' | 'unfilled'> {
  if (input.lots.length === 0) return { picks: [], unfilled: [] };
  const demands: LotDemand[] = [];
  for (const kit of input.kits) {
    const deliveryDate = input.deliveryDateOf(kit.unitId);
    for (const line of kit.lines) if (line.quantity > 0) demands.push({ unitId: kit.unitId, code: line.code, quantity: line.quantity, deliveryDate });
  }
  return assignLotsFefo(input.lots, demands, {
    minShelfLifeDays: input.minShelfLifeDays,
    coldChainCodes: new Set(input.items.filter((item) => item.coldChain).map((item) => item.code)),
  });
}

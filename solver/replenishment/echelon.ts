/**
 * Multi-echelon replenishment: national hub (CEFEDIS) → state warehouses → units.
 * Each warehouse follows a periodic-review order-up-to policy (installation stock):
 *   S = ceil(d × (L + R) + safety stock), order = max(0, S − on hand − in transit), UP to packs,
 * with d the daily demand it serves (Σ AMC of its units / 30), L the lead time and R the review
 * period. Safety stock is either `safetyStockDays × d` or, when the demand's daily standard
 * deviation σ is known, max(that, z × σ × √(L + R)).
 * The hub orders from suppliers what brings it back to its own S after shipping the state orders.
 */
import { ceilQuantity, invalid, requireCount, requireNonNegative } from './errors.ts';
import { DAYS_PER_MONTH } from './indicators.ts';

export interface OrderUpToPolicy {
  /** Days from ordering to receiving. */
  readonly leadTimeDays: number;
  /** Days between two orders (30 for the monthly round). */
  readonly reviewPeriodDays: number;
  /** Safety stock in days of demand. */
  readonly safetyStockDays: number;
  /** Optional service-level factor z (e.g. 1.65 for 95 %); used with demandStdDevPerDay. */
  readonly serviceLevelZ?: number;
}

export interface WarehouseItemPosition {
  readonly code: string;
  /** Σ AMC of the units (or warehouses) served, pieces per 30 days. */
  readonly servedMonthlyConsumption: number;
  /** Standard deviation of daily demand, pieces/day (optional). */
  readonly demandStdDevPerDay?: number;
  readonly stockOnHand: number;
  /** Ordered and not yet received. */
  readonly stockInTransit?: number;
  /** Order multiple (pieces per case; default 1). */
  readonly packSize?: number;
}

export interface OrderUpToLine {
  readonly code: string;
  readonly dailyDemand: number;
  readonly safetyStock: number;
  /** Order-up-to level S (pieces, integer). */
  readonly orderUpToLevel: number;
  readonly stockPosition: number;
  /** max(0, S − position), pieces. */
  readonly calculatedOrderQuantity: number;
  /** calculated rounded UP to packs, pieces. */
  readonly requestedQuantity: number;
}

/** Order-up-to level and order for one warehouse and item. */
export function orderUpTo(position: WarehouseItemPosition, policy: OrderUpToPolicy): OrderUpToLine {
  requireNonNegative(position.servedMonthlyConsumption, 'servedMonthlyConsumption');
  const stockOnHand = requireCount(position.stockOnHand, 'stockOnHand');
  const stockInTransit = requireCount(position.stockInTransit ?? 0, 'stockInTransit');
  const packSize = requireCount(position.packSize ?? 1, 'packSize', true);
  requireNonNegative(policy.leadTimeDays, 'leadTimeDays');
  requireNonNegative(policy.reviewPeriodDays, 'reviewPeriodDays');
  requireNonNegative(policy.safetyStockDays, 'safetyStockDays');
  const dailyDemand = position.servedMonthlyConsumption / DAYS_PER_MONTH;
  const exposureDays = policy.leadTimeDays + policy.reviewPeriodDays;
  let safetyStock = dailyDemand * policy.safetyStockDays;
  if (position.demandStdDevPerDay !== undefined && policy.serviceLevelZ !== undefined) {
    requireNonNegative(position.demandStdDevPerDay, 'demandStdDevPerDay');
    requireNonNegative(policy.serviceLevelZ, 'serviceLevelZ');
    safetyStock = Math.max(safetyStock, policy.serviceLevelZ * position.demandStdDevPerDay * Math.sqrt(exposureDays));
  }
  const orderUpToLevel = ceilQuantity(dailyDemand * exposureDays + safetyStock);
  const stockPosition = stockOnHand + stockInTransit;
  const calculatedOrderQuantity = Math.max(0, orderUpToLevel - stockPosition);
  return {
    code: position.code,
    dailyDemand,
    safetyStock,
    orderUpToLevel,
    stockPosition,
    calculatedOrderQuantity,
    requestedQuantity: Math.ceil(calculatedOrderQuantity / packSize) * packSize,
  };
}

export interface StateWarehouseInput {
  readonly warehouseId: string;
  readonly policy: OrderUpToPolicy;
  readonly items: readonly WarehouseItemPosition[];
}

export interface HubItemInput {
  readonly code: string;
  readonly stockOnHand: number;
  /** Supplier deliveries already contracted and expected within the supplier lead time. */
  readonly stockInTransit?: number;
  /** Supplier order multiple (default 1). */
  readonly packSize?: number;
  /** Share of contracted pieces suppliers actually delivered recently (0–1, default 1). */
  readonly supplierFillRate?: number;
}

export type NationalRisk =
  /** The hub cannot fill this cycle's state orders: ration with fair allocation. */
  | 'short_now'
  /** After shipping, hub stock + pipeline lasts less than the supplier lead time. */
  | 'high'
  /** Lasts less than lead time + safety stock days. */
  | 'medium'
  | 'ok';

export interface NationalItemPlan {
  readonly code: string;
  /** Σ state requested quantities this cycle. */
  readonly stateDemand: number;
  /** Pieces the hub can ship now: min(on hand, state demand). */
  readonly shippable: number;
  /** state demand − shippable. */
  readonly shortfall: number;
  /** National daily demand (Σ state daily demand). */
  readonly dailyDemand: number;
  readonly hubOrderUpToLevel: number;
  /** Pieces to request from suppliers (rounded UP to packs). */
  readonly procurementQuantity: number;
  /** procurementQuantity / supplierFillRate, rounded UP to packs: what to contract if suppliers under-deliver. */
  readonly procurementQuantityAdjustedForFillRate: number;
  /** Days the hub's stock + pipeline lasts after shipping (Infinity without demand). */
  readonly coverageDaysAfterShipping: number;
  readonly risk: NationalRisk;
}

export interface NationalPlan {
  readonly states: { warehouseId: string; lines: OrderUpToLine[] }[];
  readonly items: NationalItemPlan[];
  /** Items whose risk is not 'ok', worst first (short_now, high, medium), then by coverage days. */
  readonly atRisk: NationalItemPlan[];
}

const RISK_ORDER: Record<NationalRisk, number> = { short_now: 0, high: 1, medium: 2, ok: 3 };

/**
 * Plans one cycle for the nation: state order-up-to orders, then the hub's procurement from
 * suppliers (hub policy: supplier lead time, review period, safety stock) and the risk report.
 */
export function planNational(states: readonly StateWarehouseInput[], hub: { policy: OrderUpToPolicy; items: readonly HubItemInput[] }): NationalPlan {
  const stateLines = states.map((state) => ({ warehouseId: state.warehouseId, lines: state.items.map((item) => orderUpTo(item, state.policy)) }));
  const demand = new Map<string, { requested: number; daily: number }>();
  for (const state of stateLines) {
    for (const line of state.lines) {
      const entry = demand.get(line.code) ?? { requested: 0, daily: 0 };
      entry.requested += line.requestedQuantity;
      entry.daily += line.dailyDemand;
      demand.set(line.code, entry);
    }
  }
  const hubCodes = new Set(hub.items.map((item) => item.code));
  for (const code of demand.keys()) if (!hubCodes.has(code)) invalid(`hub.items`, `no hub position for item "${code}" ordered by a state`);

  const items = hub.items.map((item, i): NationalItemPlan => {
    const fillRate = item.supplierFillRate ?? 1;
    if (!(fillRate > 0 && fillRate <= 1)) invalid(`hub.items[${i}].supplierFillRate`, `must be in (0, 1], got ${fillRate}`);
    const packSize = requireCount(item.packSize ?? 1, `hub.items[${i}].packSize`, true);
    const onHand = requireCount(item.stockOnHand, `hub.items[${i}].stockOnHand`);
    const inTransit = requireCount(item.stockInTransit ?? 0, `hub.items[${i}].stockInTransit`);
    const { requested, daily } = demand.get(item.code) ?? { requested: 0, daily: 0 };
    const shippable = Math.min(onHand, requested);
    const hubLine = orderUpTo(
      { code: item.code, servedMonthlyConsumption: daily * DAYS_PER_MONTH, stockOnHand: onHand - shippable, stockInTransit: inTransit, packSize },
      hub.policy,
    );
    // Unfilled state demand is still owed: the hub must procure it on top of its own level.
    const owed = requested - shippable;
    const procurementQuantity = Math.ceil((hubLine.calculatedOrderQuantity + owed) / packSize) * packSize;
    const coverageDaysAfterShipping = daily > 0 ? (onHand - shippable + inTransit) / daily : Number.POSITIVE_INFINITY;
    const risk: NationalRisk =
      owed > 0
        ? 'short_now'
        : coverageDaysAfterShipping < hub.policy.leadTimeDays
          ? 'high'
          : coverageDaysAfterShipping < hub.policy.leadTimeDays + hub.policy.safetyStockDays
            ? 'medium'
            : 'ok';
    return {
      code: item.code,
      stateDemand: requested,
      shippable,
      shortfall: owed,
      dailyDemand: daily,
      hubOrderUpToLevel: hubLine.orderUpToLevel,
      procurementQuantity,
      procurementQuantityAdjustedForFillRate: Math.ceil(ceilQuantity(procurementQuantity / fillRate) / packSize) * packSize,
      coverageDaysAfterShipping,
      risk,
    };
  });
  const atRisk = items
    .filter((item) => item.risk !== 'ok')
    .sort((a, b) => RISK_ORDER[a.risk] - RISK_ORDER[b.risk] || a.coverageDaysAfterShipping - b.coverageDaysAfterShipping || a.code.localeCompare(b.code));
  return { states: stateLines, items, atRisk };
}

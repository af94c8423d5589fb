/**
 * Reorder quantities per unit and item: periodic-review max-min (order-up-to) as used for the
 * monthly kits. All quantities are integers (pieces); the only rounding is UP, at two named places:
 * the continuous stock levels (ceil to whole pieces) and the requested quantity (ceil to packs).
 */
import { ceilQuantity, requireCount, requireNonNegative } from './errors.ts';
import { DAYS_PER_MONTH } from './indicators.ts';

/** Policy knobs of one replenishment cycle (all configurable, days). */
export interface ReorderPolicy {
  /** Days the delivery must cover (the kit period; default 30). */
  readonly coverageDays: number;
  /** Safety buffer in days of consumption (default 7). */
  readonly safetyDays: number;
  /** Days from now until the delivery arrives at the unit (stock keeps being used meanwhile). */
  readonly daysUntilNextDelivery: number;
  /** Emergency order point in days: below it an emergency order is flagged (default 7). */
  readonly emergencyDays: number;
}

export const DEFAULT_REORDER_POLICY: ReorderPolicy = {
  coverageDays: 30,
  safetyDays: 7,
  daysUntilNextDelivery: 0,
  emergencyDays: 7,
};

export interface ReorderInput {
  /** Average monthly consumption (pieces per 30 days). */
  readonly averageMonthlyConsumption: number;
  /** Stock on hand at the unit (pieces, integer). */
  readonly stockOnHand: number;
  /** Stock already shipped and not yet received (pieces, integer; default 0). */
  readonly stockInTransit?: number;
  /** Issue multiple: quantities are requested in whole packs of this many pieces (default 1). */
  readonly packSize?: number;
}

export interface ReorderLine {
  /** AMC / 30. */
  readonly dailyUse: number;
  /** Order-up-to level S = ceil(dailyUse × (coverage + safety + days until delivery)). */
  readonly maxStockQuantity: number;
  /** Reorder point = ceil(dailyUse × (safety + days until delivery)); below it the line is due. */
  readonly minStockQuantity: number;
  /** Emergency order point = ceil(dailyUse × emergencyDays). */
  readonly emergencyOrderPoint: number;
  /** Stock position = stock on hand + stock in transit. */
  readonly stockPosition: number;
  /** Calculated order quantity = max(0, S − stock position), pieces. */
  readonly calculatedOrderQuantity: number;
  /** Packs to send = ceil(calculated / packSize) (the pack rounding, UP). */
  readonly requestedPacks: number;
  /** Requested quantity in pieces = requestedPacks × packSize (≥ calculated). */
  readonly requestedQuantity: number;
  /** Stock position below the reorder point. */
  readonly belowMin: boolean;
  /** Stock position below the emergency order point: ship now, do not wait for the next round. */
  readonly emergency: boolean;
}

/**
 * Max-min / order-up-to quantity for one unit and item.
 * Example: AMC 60 (2/day), 20 on hand, 10 in transit, 30 + 7 + 5 days → S = 84, position 30,
 * calculated 54, packs of 20 → 3 packs = 60 pieces.
 */
export function reorderQuantity(input: ReorderInput, policy: ReorderPolicy = DEFAULT_REORDER_POLICY): ReorderLine {
  requireNonNegative(input.averageMonthlyConsumption, 'averageMonthlyConsumption');
  const stockOnHand = requireCount(input.stockOnHand, 'stockOnHand');
  const stockInTransit = requireCount(input.stockInTransit ?? 0, 'stockInTransit');
  const packSize = requireCount(input.packSize ?? 1, 'packSize', true);
  requireNonNegative(policy.coverageDays, 'coverageDays');
  requireNonNegative(policy.safetyDays, 'safetyDays');
  requireNonNegative(policy.daysUntilNextDelivery, 'daysUntilNextDelivery');
  requireNonNegative(policy.emergencyDays, 'emergencyDays');

  const dailyUse = input.averageMonthlyConsumption / DAYS_PER_MONTH;
  const maxStockQuantity = ceilQuantity(dailyUse * (policy.coverageDays + policy.safetyDays + policy.daysUntilNextDelivery));
  const minStockQuantity = ceilQuantity(dailyUse * (policy.safetyDays + policy.daysUntilNextDelivery));
  const emergencyOrderPoint = ceilQuantity(dailyUse * policy.emergencyDays);
  const stockPosition = stockOnHand + stockInTransit;
  const calculatedOrderQuantity = Math.max(0, maxStockQuantity - stockPosition);
  const requestedPacks = Math.ceil(calculatedOrderQuantity / packSize);
  return {
    dailyUse,
    maxStockQuantity,
    minStockQuantity,
    emergencyOrderPoint,
    stockPosition,
    calculatedOrderQuantity,
    requestedPacks,
    requestedQuantity: requestedPacks * packSize,
    belowMin: stockPosition < minStockQuantity,
    emergency: dailyUse > 0 && stockPosition < emergencyOrderPoint,
  };
}

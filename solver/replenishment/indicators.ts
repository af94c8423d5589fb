/**
 * Consumption and stock indicators with the field's standard rules (OpenLMIS requisition
 * calculations, `LineItemFieldsCalculator`): adjusted consumption (N), average monthly consumption
 * (AMC, P), months of stock and a stockout-risk class. Quantities are in issue units (pieces).
 */
import { ceilQuantity, invalid, requireCount, requireNonNegative } from './errors.ts';

/** Days per month in every OpenLMIS formula (M × 30). */
export const DAYS_PER_MONTH = 30;

/** One reporting period of a unit for one item (oldest first in arrays). */
export interface StockReportPeriod {
  /** Total consumed quantity C in the period (pieces, integer ≥ 0). */
  readonly totalConsumedQuantity: number;
  /** Total stockout days X in the period (integer, 0 ≤ X ≤ periodDays). */
  readonly totalStockoutDays: number;
  /** Length of the period in days (default 30 = one month). */
  readonly periodDays?: number;
}

/**
 * Adjusted consumption N = ceil(C × D / (D − X)) with D the period days and X the stockout days:
 * what the unit would have consumed had it never been stocked out (rounded UP, as OpenLMIS does).
 * When the unit was out of stock the whole period (D − X = 0), N = C (nothing to extrapolate from).
 */
export function adjustedConsumption(totalConsumedQuantity: number, totalStockoutDays: number, periodDays = DAYS_PER_MONTH): number {
  requireCount(totalConsumedQuantity, 'totalConsumedQuantity');
  requireCount(totalStockoutDays, 'totalStockoutDays');
  requireNonNegative(periodDays, 'periodDays', true);
  if (totalStockoutDays > periodDays) invalid('totalStockoutDays', `must be ≤ periodDays (${periodDays}), got ${totalStockoutDays}`);
  if (totalConsumedQuantity === 0) return 0;
  const nonStockoutDays = periodDays - totalStockoutDays;
  if (nonStockoutDays === 0) return totalConsumedQuantity;
  return ceilQuantity((totalConsumedQuantity * periodDays) / nonStockoutDays);
}

/**
 * Average monthly consumption over the last up to `maxPeriods` (default 3) periods:
 * AMC = ceil(Σ Nᵢ / Σ monthsᵢ), monthsᵢ = periodDaysᵢ / 30. For monthly periods this is OpenLMIS'
 * P = (N_t0 + N_t−1 + N_t−2) / n, rounded UP for any n (OpenLMIS rounds up for n = 2 and truncates
 * for n = 3; we round up consistently so a unit is never under-supplied by a truncation).
 * Returns undefined when there are no periods (callers fall back to the kit template).
 */
export function averageMonthlyConsumption(periods: readonly StockReportPeriod[], maxPeriods = 3): number | undefined {
  requireCount(maxPeriods, 'maxPeriods', true);
  const recent = periods.slice(-maxPeriods);
  if (recent.length === 0) return undefined;
  let adjusted = 0;
  let months = 0;
  for (const period of recent) {
    const days = period.periodDays ?? DAYS_PER_MONTH;
    adjusted += adjustedConsumption(period.totalConsumedQuantity, period.totalStockoutDays, days);
    months += days / DAYS_PER_MONTH;
  }
  return ceilQuantity(adjusted / months);
}

/** Months of stock = stockOnHand / AMC; undefined when AMC is 0 (undefined, not infinite). */
export function monthsOfStock(stockOnHand: number, amc: number): number | undefined {
  requireNonNegative(stockOnHand, 'stockOnHand');
  requireNonNegative(amc, 'amc');
  return amc > 0 ? stockOnHand / amc : undefined;
}

/** Stockout risk classes, from worst to best. */
export type StockoutRisk = 'stocked_out' | 'high' | 'medium' | 'low' | 'overstocked' | 'no_demand';

/** Thresholds in months of stock (max-min policy vocabulary). */
export interface RiskThresholds {
  /** Emergency order point: below it the risk is high (default 0.25 months ≈ 7 days). */
  readonly emergencyOrderPointMonths: number;
  /** Minimum stock (reorder point): below it the risk is medium (default 1 month). */
  readonly minPeriodsOfStock: number;
  /** Max periods of stock: above it the unit is overstocked (default 2 months). */
  readonly maxPeriodsOfStock: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = {
  emergencyOrderPointMonths: 0.25,
  minPeriodsOfStock: 1,
  maxPeriodsOfStock: 2,
};

/**
 * Classifies the stockout risk from stock on hand and AMC:
 * - `no_demand`: AMC = 0 (nothing is consumed; months of stock undefined);
 * - `stocked_out`: stock on hand 0 with AMC > 0;
 * - `high`: months of stock < emergency order point;
 * - `medium`: < min periods of stock;
 * - `low`: between min and max periods of stock (inclusive);
 * - `overstocked`: > max periods of stock.
 */
export function stockoutRisk(stockOnHand: number, amc: number, thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS): StockoutRisk {
  const months = monthsOfStock(stockOnHand, amc);
  if (months === undefined) return 'no_demand';
  if (stockOnHand === 0) return 'stocked_out';
  if (months < thresholds.emergencyOrderPointMonths) return 'high';
  if (months < thresholds.minPeriodsOfStock) return 'medium';
  if (months <= thresholds.maxPeriodsOfStock) return 'low';
  return 'overstocked';
}

/** Inputs for the indicators of one unit and item. */
export interface IndicatorInput {
  /** Reporting periods, oldest first; empty or omitted when the unit has not reported. */
  readonly reports?: readonly StockReportPeriod[];
  /** Kit template quantity for the unit's size class, pieces per 30 days (fallback AMC). */
  readonly templateQuantity: number;
  /** Current stock on hand (pieces, integer). */
  readonly stockOnHand: number;
}

export interface Indicators {
  /** Where the AMC came from: the unit's own reports or its kit template (size class, 30 days). */
  readonly source: 'reports' | 'template';
  /** Adjusted consumption N of each period used (oldest first); empty for the template. */
  readonly adjustedConsumptions: number[];
  /** Average monthly consumption P (pieces per 30 days, integer). */
  readonly averageMonthlyConsumption: number;
  /** AMC / 30, pieces per day (continuous; used for coverage days). */
  readonly dailyUse: number;
  readonly stockOnHand: number;
  readonly monthsOfStock: number | undefined;
  readonly stockoutRisk: StockoutRisk;
}

/** Computes every indicator for one unit and item, falling back to the kit template without reports. */
export function computeIndicators(
  input: IndicatorInput,
  options: { maxPeriods?: number; thresholds?: RiskThresholds } = {},
): Indicators {
  requireCount(input.stockOnHand, 'stockOnHand');
  requireCount(input.templateQuantity, 'templateQuantity');
  const maxPeriods = options.maxPeriods ?? 3;
  const reports = input.reports ?? [];
  const fromReports = averageMonthlyConsumption(reports, maxPeriods);
  const amc = fromReports ?? input.templateQuantity;
  return {
    source: fromReports === undefined ? 'template' : 'reports',
    adjustedConsumptions: reports
      .slice(-maxPeriods)
      .map((p) => adjustedConsumption(p.totalConsumedQuantity, p.totalStockoutDays, p.periodDays ?? DAYS_PER_MONTH)),
    averageMonthlyConsumption: amc,
    dailyUse: amc / DAYS_PER_MONTH,
    stockOnHand: input.stockOnHand,
    monthsOfStock: monthsOfStock(input.stockOnHand, amc),
    stockoutRisk: stockoutRisk(input.stockOnHand, amc, options.thresholds),
  };
}

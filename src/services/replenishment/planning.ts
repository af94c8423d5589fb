/**
 * Turns what the database holds for one warehouse (units, their current stock, the catalogue,
 * kit templates, the warehouse's lots) into the pure replenishment cycle
 * (solver/replenishment: indicators → max-min reorder → fair rationing → kits) followed by FEFO
 * lot picking, and shapes the result for storage. No I/O here: the loaders live in the service.
 */
import {
  dayNumber,
  pickKitLots,
  planReplenishmentCycle,
  UNTRACKED_SUPPLY,
  type CycleUnit,
  type CycleUnitLine,
  type FairShareMethod,
  type KitItem,
  type KitTemplate,
  type LpTextSolver,
  type StockReportPeriod,
} from '../../../solver/replenishment/index.ts';

/** One catalogue item as the service needs it. */
export interface CatalogueItem {
  code: string;
  name: string;
  presentation: string;
  category: 'medicine' | 'supply';
  coldChain: boolean;
  controlled: boolean;
  packSize: number;
  unitWeightKg: number;
  unitVolumeM3: number;
}

/** One reported period of one item at a unit (oldest first in arrays). */
export interface ConsumptionRecord {
  /** "YYYY-MM". */
  period: string;
  consumed: number;
  stockoutDays: number;
}

export interface UnitStockRecord {
  stockOnHand: number;
  history: ConsumptionRecord[];
}

export interface PlanningUnit {
  clues: string;
  name: string;
  state: string;
  sizeClass: string;
  /** Care level (hospitals are ≥ 2). */
  level: number;
  remote: boolean;
  /** Latest stock per item code; items missing here have no stock and no reports. */
  stock: ReadonlyMap<string, UnitStockRecord>;
  /** ISO date of the delivery at this unit (shelf life of its lots). */
  deliveryDate: string;
  /** Days from the stock report to the delivery (stock keeps being used meanwhile). */
  daysUntilDelivery: number;
}

export interface PlanningLot {
  itemCode: string;
  lotNumber: string;
  /** ISO date YYYY-MM-DD. */
  expiryDate: string;
  quantity: number;
  reserved: number;
}

export interface PlanningPolicy {
  horizonDays: number;
  safetyDays: number;
  emergencyDays: number;
  minShelfLifeDays: number;
  method: FairShareMethod;
  hospitalWeight: number;
  remoteWeight: number;
  coldBoxCapacityM3: number;
}

/** 20-litre cold box (assumption; see docs/replenishment.md). */
export const DEFAULT_COLD_BOX_CAPACITY_M3 = 0.02;

export interface PlannedLine {
  code: string;
  source: 'reports' | 'template';
  averageMonthlyConsumption: number;
  stockOnHand: number;
  stockoutRisk: string;
  maxStockQuantity: number;
  requestedQuantity: number;
  allocatedQuantity: number;
  coverageDaysAtDelivery: number | null;
  emergency: boolean;
}

export interface PlannedUnit {
  clues: string;
  name: string;
  state: string;
  sizeClass: string;
  weight: number;
  deliveryDate: string;
  linesShort: number;
  emergencyLines: number;
  totals: {
    claves: number;
    medicinePieces: number;
    supplyPieces: number;
    weightKg: number;
    volumeM3: number;
    coldChainPieces: number;
    coldChainVolumeM3: number;
    coldBoxes: number;
    controlledPieces: number;
  };
  lines: PlannedLine[];
  lots: { code: string; lotNumber: string; expiryDate: string; quantity: number; shelfLifeDaysAtDelivery: number; coldBox: boolean }[];
  unfilled: { code: string; requested: number; filled: number; missing: number; reason: 'no_stock' | 'expired' | 'short_shelf_life'; blockedQuantity: number }[];
  /** True when at least one item's AMC came from the kit template. */
  usedTemplate: boolean;
}

export interface PlannedItem {
  code: string;
  name: string;
  available: number;
  expiredQuantity: number;
  shortShelfLifeQuantity: number;
  requested: number;
  allocated: number;
  shortfall: number;
  unitsShort: number;
  minCoverageDays: number;
  shortUnits: { clues: string; requested: number; allocated: number; coverageDaysAtDelivery: number | null }[];
}

export interface WarehousePlan {
  units: PlannedUnit[];
  items: PlannedItem[];
  emergencyLines: number;
  /** False when the warehouse has no lot records at all: stock not tracked there (see planWarehouse). */
  stockTracked: boolean;
}

/** What one warehouse's plan needs: plain data (structured-clone-able, for the worker threads). */
export interface PlanWarehouseInput {
  catalogue: readonly CatalogueItem[];
  templates: KitTemplate;
  units: readonly PlanningUnit[];
  lots: readonly PlanningLot[];
}

/** Coverage days are indicators (not quantities): kept with 2 decimals. */
export function roundDays(days: number): number {
  return Math.round(days * 100) / 100;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Days of a "YYYY-MM" reporting period (its calendar month), 30 if the period is not a month. */
export function periodDays(period: string): number {
  const match = PERIOD.exec(period);
  if (!match) return 30;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
}

function toReports(history: readonly ConsumptionRecord[]): StockReportPeriod[] {
  // Calendar month lengths: a 31-day month may report 31 stockout days, and consumption is then
  // scaled per 30 days by the AMC formula (months = days / 30).
  return [...history]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
    .map((h) => ({ totalConsumedQuantity: h.consumed, totalStockoutDays: h.stockoutDays, periodDays: periodDays(h.period) }));
}

/** Classifies lot stock for one delivery date: usable, expired, or short shelf life. */
export function classifyLots(lots: readonly PlanningLot[], deliveryDate: string, minShelfLifeDays: number) {
  const delivery = dayNumber(deliveryDate, 'deliveryDate');
  const usable = new Map<string, number>();
  const expired = new Map<string, number>();
  const shortDated = new Map<string, number>();
  for (const lot of lots) {
    const free = Math.max(0, lot.quantity - lot.reserved);
    const shelfLife = dayNumber(lot.expiryDate, `lots.${lot.itemCode}.${lot.lotNumber}.expiry`) - delivery;
    const bucket = shelfLife <= 0 ? expired : shelfLife < minShelfLifeDays ? shortDated : usable;
    bucket.set(lot.itemCode, (bucket.get(lot.itemCode) ?? 0) + free);
  }
  return { usable, expired, shortDated };
}

/**
 * Plans the kits of `units` from one warehouse's `lots`. Allocation only counts stock that is
 * usable on the delivery date (free = quantity − reserved, shelf life ≥ the minimum), so the fair
 * share is never undone by lots FEFO must refuse; refused stock is reported per item instead.
 * With several delivery dates the latest one decides usability (a lot usable then is usable
 * earlier). A warehouse WITHOUT ANY lot record does not track its stock yet (as in the rounds'
 * planning engine): requests are not rationed, no lots are named, and the run says so
 * (`stockTracked: false`) instead of reporting every item as short.
 */
export async function planWarehouse(
  input: PlanWarehouseInput,
  policy: PlanningPolicy,
  solver?: LpTextSolver,
): Promise<WarehousePlan> {
  const codes = input.catalogue.map((item) => item.code);
  const known = new Set(codes);
  const stockTracked = input.lots.length > 0;
  const latestDelivery = input.units.reduce((latest, u) => (u.deliveryDate > latest ? u.deliveryDate : latest), '0000-01-01');
  const { usable, expired, shortDated } =
    input.units.length > 0 ? classifyLots(input.lots, latestDelivery, policy.minShelfLifeDays) : { usable: new Map<string, number>(), expired: new Map<string, number>(), shortDated: new Map<string, number>() };

  const cycleUnits: CycleUnit[] = input.units.map((unit) => {
    const lines: CycleUnitLine[] = [];
    for (const [code, record] of unit.stock) {
      if (!known.has(code)) continue; // an item no longer in the catalogue is not planned
      lines.push({ code, stockOnHand: record.stockOnHand, reports: toReports(record.history) });
    }
    const weight = Math.max(unit.level >= 2 ? policy.hospitalWeight : 1, unit.remote ? policy.remoteWeight : 1);
    return {
      id: unit.clues,
      sizeClass: unit.sizeClass,
      weight,
      daysUntilNextDelivery: unit.daysUntilDelivery,
      lines,
    };
  });
  const kitItems: KitItem[] = input.catalogue.map((item) => ({
    code: item.code,
    name: item.name,
    presentation: item.presentation,
    category: item.category,
    coldChain: item.coldChain,
    controlled: item.controlled,
  }));
  const cycle = await planReplenishmentCycle(
    {
      items: kitItems,
      template: input.templates,
      logistics: input.catalogue.map((item) => ({ code: item.code, weightKgPerPiece: item.unitWeightKg, volumeM3PerPiece: item.unitVolumeM3 })),
      coldBoxCapacityM3: policy.coldBoxCapacityM3,
      available: Object.fromEntries(codes.map((code) => [code, stockTracked ? (usable.get(code) ?? 0) : UNTRACKED_SUPPLY])),
      units: cycleUnits,
      policy: { coverageDays: policy.horizonDays, safetyDays: policy.safetyDays, emergencyDays: policy.emergencyDays, daysUntilNextDelivery: 0 },
      packSizes: Object.fromEntries(input.catalogue.map((item) => [item.code, item.packSize])),
    },
    { method: policy.method, solver },
  );

  // FEFO: units in the order given, catalogue order within a unit, each at its delivery date.
  const deliveryDates = new Map(input.units.map((unit) => [unit.clues, unit.deliveryDate]));
  const fefo = pickKitLots({
    kits: cycle.kits,
    lots: input.lots.map((lot) => ({ lotCode: lot.lotNumber, code: lot.itemCode, expiryDate: lot.expiryDate, quantity: Math.max(0, lot.quantity - lot.reserved) })),
    items: input.catalogue,
    deliveryDateOf: (clues) => deliveryDates.get(clues)!,
    minShelfLifeDays: policy.minShelfLifeDays,
  });
  const picksByUnit = new Map<string, PlannedUnit['lots']>();
  for (const pick of fefo.picks) {
    const list = picksByUnit.get(pick.unitId) ?? [];
    list.push({ code: pick.code, lotNumber: pick.lotCode, expiryDate: pick.expiryDate, quantity: pick.quantity, shelfLifeDaysAtDelivery: pick.shelfLifeDaysAtDelivery, coldBox: pick.coldBox });
    picksByUnit.set(pick.unitId, list);
  }
  const unfilledByUnit = new Map<string, PlannedUnit['unfilled']>();
  for (const line of fefo.unfilled) {
    const list = unfilledByUnit.get(line.unitId) ?? [];
    list.push({ code: line.code, requested: line.requested, filled: line.filled, missing: line.missing, reason: line.reason, blockedQuantity: line.blockedQuantity });
    unfilledByUnit.set(line.unitId, list);
  }

  const shortUnits = codes.map((): PlannedItem['shortUnits'] => []);
  const units = input.units.map((unit, u): PlannedUnit => {
    const lines = cycle.lines.slice(u * codes.length, (u + 1) * codes.length).map((line, k): PlannedLine => {
      const coverage = line.coverageDaysAtDelivery === null ? null : roundDays(line.coverageDaysAtDelivery);
      if (line.allocatedQuantity < line.reorder.requestedQuantity) {
        shortUnits[k].push({ clues: unit.clues, requested: line.reorder.requestedQuantity, allocated: line.allocatedQuantity, coverageDaysAtDelivery: coverage });
      }
      return {
        code: line.code,
        source: line.indicators.source,
        averageMonthlyConsumption: line.indicators.averageMonthlyConsumption,
        stockOnHand: line.indicators.stockOnHand,
        stockoutRisk: line.indicators.stockoutRisk,
        maxStockQuantity: line.reorder.maxStockQuantity,
        requestedQuantity: line.reorder.requestedQuantity,
        allocatedQuantity: line.allocatedQuantity,
        coverageDaysAtDelivery: coverage,
        emergency: line.reorder.emergency,
      };
    });
    const kit = cycle.kits[u];
    return {
      clues: unit.clues,
      name: unit.name,
      state: unit.state,
      sizeClass: unit.sizeClass,
      weight: cycleUnits[u].weight ?? 1,
      deliveryDate: unit.deliveryDate,
      linesShort: lines.filter((l) => l.allocatedQuantity < l.requestedQuantity).length,
      emergencyLines: lines.filter((l) => l.emergency).length,
      totals: { ...kit.totals },
      lines,
      lots: picksByUnit.get(unit.clues) ?? [],
      unfilled: unfilledByUnit.get(unit.clues) ?? [],
      usedTemplate: lines.some((l) => l.source === 'template'),
    };
  });

  const items = cycle.rationing.map((r, k): PlannedItem => ({
    code: r.code,
    name: input.catalogue[k].name,
    available: stockTracked ? r.available : r.requested,
    expiredQuantity: expired.get(r.code) ?? 0,
    shortShelfLifeQuantity: shortDated.get(r.code) ?? 0,
    requested: r.requested,
    allocated: r.allocated,
    shortfall: r.shortfall,
    unitsShort: r.unitsShort,
    minCoverageDays: roundDays(r.minCoverageDays),
    shortUnits: shortUnits[k].sort((a, b) => (a.coverageDaysAtDelivery ?? Infinity) - (b.coverageDaysAtDelivery ?? Infinity)),
  }));
  return { units, items, emergencyLines: cycle.emergencies.length, stockTracked };
}

import { computeIndicators, averageMonthlyConsumption, type StockReportPeriod, type StockoutRisk } from '../../solver/replenishment/index.ts';
import { NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import type { ItemRepository } from '../repositories/items.ts';
import type { KitTemplateRepository } from '../repositories/kit-templates.ts';
import type { ConsumptionPeriod, CurrentStock, CurrentStockItem, StockReport, StockReportLine, StockReportRepository } from '../repositories/stock-reports.ts';
import type { HealthUnit, UnitRepository } from '../repositories/units.ts';
import { authorizeUnit, type Principal } from './auth.ts';
import { bodyHash, type IdempotentResult, type ResponseCodec, type RunOnce } from './idempotency.ts';

/** Periods kept per item in the current-stock document (the AMC uses the last 3). */
export const HISTORY_PERIODS = 6;
const AMC_PERIODS = 3;
/** Clock skew tolerated on `reportedAt` (phones with a slightly fast clock). */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface StockReportInput {
  /** "YYYY-MM": the month the report closes. */
  period: string;
  /** When the unit counted its stock (ISO date-time); the server time when absent. */
  reportedAt?: string;
  lines: { code: string; soh: number; consumed: number; received: number; adjustments?: number; stockoutDays: number }[];
}

/** A stored report as the API shows it. */
export interface StockReportView {
  id: string;
  clues: string;
  period: string;
  reportedAt: string;
  revision: number;
  lines: StockReportLine[];
  createdAt: string;
  updatedAt: string;
}

export interface StockLineView {
  code: string;
  stockOnHand: number;
  averageMonthlyConsumption: number;
  amcSource: 'reports' | 'template';
  /** Stock on hand / AMC, 2 decimals (display only); null when the AMC is 0. */
  monthsOfStock: number | null;
  stockoutRisk: StockoutRisk;
  period: string;
  reportedAt: string;
}

export interface UnitStockView {
  clues: string;
  sizeClass: string;
  lastPeriod: string | null;
  lastReportedAt: string | null;
  items: StockLineView[];
}

const periodDays = new Map<string, number>();

export function daysInPeriod(period: string): number {
  let days = periodDays.get(period);
  if (days === undefined) {
    const [year, month] = period.split('-').map(Number);
    days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    // Periods are "YYYY-MM" strings validated upstream; the cache stays small (one entry a month).
    if (periodDays.size < 1000) periodDays.set(period, days);
  }
  return days;
}

const MEXICO_CITY_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit' });

/** The current month in Mexico City ("YYYY-MM"), the latest period a unit may report. */
export function currentPeriod(now: Date): string {
  const parts = MEXICO_CITY_MONTH.formatToParts(now);
  const year = parts.find((p) => p.type === 'year')?.value ?? String(now.getUTCFullYear());
  const month = parts.find((p) => p.type === 'month')?.value ?? String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${year}-${month}`;
}

function toPeriods(history: readonly ConsumptionPeriod[]): StockReportPeriod[] {
  return history.map((h) => ({ totalConsumedQuantity: h.consumed, totalStockoutDays: h.stockoutDays, periodDays: daysInPeriod(h.period) }));
}

/** Folds one report into a unit's current stock (pure): history per item, latest SOH, AMC. */
export function applyReport(current: Pick<CurrentStock, 'items' | 'lastPeriod' | 'lastReportedAt'> | undefined, report: Pick<StockReport, 'period' | 'reportedAt' | 'lines'>): Omit<CurrentStock, 'clues' | 'version' | 'updatedAt'> {
  const items: Record<string, CurrentStockItem> = { ...(current?.items ?? {}) };
  for (const line of report.lines) {
    const previous = items[line.code];
    const history = (previous?.history ?? []).filter((h) => h.period !== report.period);
    history.push({ period: report.period, consumed: line.consumed, stockoutDays: line.stockoutDays });
    history.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    const kept = history.slice(-HISTORY_PERIODS);
    // A late report of an older period updates the history (AMC) but never the latest stock on hand.
    const newer = !previous || report.period >= previous.period;
    items[line.code] = {
      soh: newer ? line.soh : previous.soh,
      period: newer ? report.period : previous.period,
      reportedAt: newer ? report.reportedAt : previous.reportedAt,
      amc: averageMonthlyConsumption(toPeriods(kept), AMC_PERIODS) ?? 0,
      history: kept,
    };
  }
  const newer = !current || report.period >= current.lastPeriod;
  return {
    items,
    lastPeriod: newer ? report.period : current.lastPeriod,
    lastReportedAt: newer ? report.reportedAt : current.lastReportedAt,
  };
}

function view(report: StockReport): StockReportView {
  return {
    id: report.id,
    clues: report.unitClues,
    period: report.period,
    reportedAt: report.reportedAt.toISOString(),
    revision: report.revision,
    lines: report.lines.map((l) => ({ code: l.code, soh: l.soh, consumed: l.consumed, received: l.received, adjustments: l.adjustments, stockoutDays: l.stockoutDays })),
    createdAt: report.createdAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
  };
}

/**
 * A lookup whose answers are reused for `ttlMs` (0 = always read); absent answers are not kept,
 * and the map is emptied when it reaches `maxEntries`.
 */
function cachedLookup<K, V>(load: (key: K) => Promise<V | undefined>, ttlMs: number, maxEntries = 20_000): (key: K) => Promise<V | undefined> {
  const entries = new Map<K, { value: V; until: number }>();
  return async (key) => {
    const hit = entries.get(key);
    if (hit && hit.until >= Date.now()) return hit.value;
    const value = await load(key);
    if (ttlMs > 0 && value !== undefined) {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { value, until: Date.now() + ttlMs });
    }
    return value;
  };
}

/**
 * Stock reporting by health units: validated, stored once per Idempotency-Key (retries over
 * poor connections are safe), one report per unit and period, and the unit's current stock
 * (one document per unit) updated with the OpenLMIS indicators.
 */
export function createStockReportService(deps: {
  units: Pick<UnitRepository, 'get'>;
  items: Pick<ItemRepository, 'codes'>;
  kitTemplates: Pick<KitTemplateRepository, 'get'>;
  stockReports: StockReportRepository;
  runOnce: RunOnce;
  now?: () => Date;
  /** How long the item catalogue is cached for validation. */
  catalogueTtlMs?: number;
  /**
   * How long a unit or a kit template read for a report is reused (0 = always read). Thousands
   * of units report in the same days; reading the unit again for each request was one database
   * round trip in seven. A unit's CLUES, state and size class, and the kit templates, change
   * rarely, and a change is seen after at most this long.
   */
  unitTtlMs?: number;
}) {
  const now = deps.now ?? (() => new Date());
  const unitTtl = deps.unitTtlMs ?? 10_000;
  const getUnit = cachedLookup((clues: string) => deps.units.get(clues), unitTtl);
  const getTemplate = cachedLookup((sizeClass: string) => deps.kitTemplates.get(sizeClass), unitTtl);
  const getCodes = cachedLookup(async (_all: 'all') => deps.items.codes(), deps.catalogueTtlMs ?? 30_000);

  async function itemCodes(): Promise<Set<string>> {
    return (await getCodes('all')) ?? new Set();
  }

  async function loadUnit(principal: Principal, clues: string, staffAction: string, ownAction: string): Promise<HealthUnit> {
    // Unit tokens are refused before the lookup, so they learn nothing about other CLUES.
    if (principal.role === 'unit') authorizeUnit(principal, { clues }, staffAction, ownAction);
    const unit = await getUnit(clues);
    if (!unit) throw new NotFoundError(`No unit with CLUES ${clues}.`);
    authorizeUnit(principal, unit, staffAction, ownAction);
    return unit;
  }

  async function validate(input: StockReportInput, at: Date): Promise<{ reportedAt: Date; lines: StockReportLine[] }> {
    const errors: FieldError[] = [];
    const codes = await itemCodes();
    const latest = currentPeriod(at);
    if (input.period > latest) errors.push({ pointer: '/body/period', detail: `is in the future (the current period is ${latest})` });
    let reportedAt = at;
    if (input.reportedAt !== undefined) {
      reportedAt = new Date(input.reportedAt);
      if (Number.isNaN(reportedAt.getTime())) errors.push({ pointer: '/body/reportedAt', detail: 'must be a date-time' });
      else if (reportedAt.getTime() > at.getTime() + CLOCK_SKEW_MS) errors.push({ pointer: '/body/reportedAt', detail: 'is in the future' });
    }
    if (input.lines.length > codes.size) {
      errors.push({ pointer: '/body/lines', detail: `has ${input.lines.length} lines but the catalogue has ${codes.size} items` });
    }
    const days = daysInPeriod(input.period);
    const seen = new Map<string, number>();
    input.lines.forEach((line, i) => {
      if (!codes.has(line.code)) errors.push({ pointer: `/body/lines/${i}/code`, detail: `unknown item code ${line.code}` });
      const first = seen.get(line.code);
      if (first !== undefined) errors.push({ pointer: `/body/lines/${i}/code`, detail: `item ${line.code} is already reported in line ${first}` });
      else seen.set(line.code, i);
      if (line.stockoutDays > days) errors.push({ pointer: `/body/lines/${i}/stockoutDays`, detail: `must be ≤ ${days}, the days of ${input.period}` });
    });
    if (errors.length > 0) throw new ValidationError('The stock report is not valid.', errors.slice(0, 50));
    return {
      reportedAt,
      lines: input.lines.map((l) => ({ code: l.code, soh: l.soh, consumed: l.consumed, received: l.received, adjustments: l.adjustments ?? 0, stockoutDays: l.stockoutDays })),
    };
  }

  return {
    /**
     * First request with a key → 201 and the stored report; the same key and body again → 200
     * and the same report (`replayed`); the same key with another body → 409.
     */
    async submit(principal: Principal, clues: string, input: StockReportInput, idempotencyKey: string): Promise<IdempotentResult<StockReportView>> {
      await loadUnit(principal, clues, 'stock-reports:write', 'own-stock-reports:write');
      const at = now();
      const { reportedAt, lines } = await validate(input, at);
      const hash = bodyHash(input);
      // The stored answer keeps only what a replay cannot rebuild: its lines are this request's.
      const codec: ResponseCodec<StockReportView> = {
        encode: ({ lines: _lines, ...meta }) => meta,
        decode: (stored) => ({ ...(stored as Omit<StockReportView, 'lines'>), lines }),
      };
      const result = await deps.runOnce(
        `stock-report:${clues}`,
        idempotencyKey,
        hash,
        async () => {
          const report = await deps.stockReports.upsert({ unitClues: clues, period: input.period, reportedAt, lines, idempotencyKey, bodyHash: hash, tokenId: principal.tokenId });
          await deps.stockReports.updateCurrent(clues, (current) => applyReport(current, report));
          return { status: 201, body: view(report), resourceId: report.id };
        },
        codec,
      );
      return result.replayed ? { ...result, status: 200 } : result;
    },

    async list(principal: Principal, clues: string, limit: number): Promise<StockReportView[]> {
      await loadUnit(principal, clues, 'stock-reports:read', 'own-stock-reports:read');
      return (await deps.stockReports.listForUnit(clues, limit)).map(view);
    },

    async get(principal: Principal, clues: string, period: string): Promise<StockReportView> {
      await loadUnit(principal, clues, 'stock-reports:read', 'own-stock-reports:read');
      const report = await deps.stockReports.get(clues, period);
      if (!report) throw new NotFoundError(`Unit ${clues} has no report for ${period}.`);
      return view(report);
    },

    /** Latest stock on hand per item with AMC, months of stock and stockout risk (issue 7 rules). */
    async stock(principal: Principal, clues: string): Promise<UnitStockView> {
      const unit = await loadUnit(principal, clues, 'stock:read', 'own-stock:read');
      const [current, template] = await Promise.all([deps.stockReports.getCurrent(clues), getTemplate(unit.sizeClass)]);
      const templateQuantity = new Map((template?.lines ?? []).map((l) => [l.code, l.quantity]));
      const items = Object.entries(current?.items ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, item]): StockLineView => {
          const indicators = computeIndicators({ reports: toPeriods(item.history), templateQuantity: templateQuantity.get(code) ?? 0, stockOnHand: item.soh }, { maxPeriods: AMC_PERIODS });
          return {
            code,
            stockOnHand: item.soh,
            averageMonthlyConsumption: indicators.averageMonthlyConsumption,
            amcSource: indicators.source,
            // Display rounding only (2 decimals); quantities stay integers.
            monthsOfStock: indicators.monthsOfStock === undefined ? null : Math.round(indicators.monthsOfStock * 100) / 100,
            stockoutRisk: indicators.stockoutRisk,
            period: item.period,
            reportedAt: new Date(item.reportedAt).toISOString(),
          };
        });
      return {
        clues,
        sizeClass: unit.sizeClass,
        lastPeriod: current?.lastPeriod ?? null,
        lastReportedAt: current ? new Date(current.lastReportedAt).toISOString() : null,
        items,
      };
    },
  };
}

export type StockReportService = ReturnType<typeof createStockReportService>;

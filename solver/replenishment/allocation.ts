/**
 * National / warehouse allocation under shortage: many units × many items. Items are independent
 * (each has its own supply), so each is a separate {@link fairShare} problem.
 *
 * This is the shape of `rutas allocate <input.json>` and the core of a replenishment run.
 */
import { ReplenishmentError, invalid, requireCount, requireNonNegative } from './errors.ts';
import {
  coverageDays,
  fairShare,
  loadHighsSolver,
  requestedQuantity,
  type FairShareClaim,
  type FairShareMethod,
  type LpTextSolver,
} from './fair-share.ts';

/** Supply of one item at the issuing warehouse. */
export interface AllocationItem {
  readonly code: string;
  /** Pieces available to allocate (integer ≥ 0). */
  readonly available: number;
}

/** A unit's situation for one item. */
export interface AllocationLine {
  readonly code: string;
  /** Expected consumption in pieces/day (e.g. AMC / 30); 0 means the unit needs nothing. */
  readonly dailyUse: number;
  /** Stock on hand in pieces (integer ≥ 0), plus stock in transit if the caller counts it. */
  readonly stockOnHand: number;
}

export interface AllocationUnit {
  readonly id: string;
  /** Priority weight > 0 (default 1): weight 2 is raised to twice the days of weight 1, capped at the horizon. */
  readonly weight?: number;
  readonly lines: readonly AllocationLine[];
}

export interface AllocationInput {
  /** Days each unit should be covered for (e.g. 30). */
  readonly horizonDays: number;
  readonly items: readonly AllocationItem[];
  readonly units: readonly AllocationUnit[];
}

/** Quantity allocated to one unit for one item. Listed for every line with requested > 0. */
export interface UnitAllocation {
  readonly unit: string;
  readonly code: string;
  /** Integer pieces allocated, 0 ≤ quantity ≤ requested. */
  readonly quantity: number;
  /** Integer target: max(0, ceil(horizonDays × dailyUse − stockOnHand)). */
  readonly requested: number;
  /** (stockOnHand + quantity) / dailyUse, not capped. */
  readonly coverageDays: number;
}

/** Rationing report for one item. */
export interface ItemAllocationSummary {
  readonly code: string;
  readonly available: number;
  /** Σ requested over units. */
  readonly requested: number;
  /** Σ allocated (≤ available and ≤ requested). */
  readonly allocated: number;
  /** requested − allocated (0 when there is no shortage). */
  readonly shortfall: number;
  /** min over units with dailyUse > 0 of min(horizonDays, coverage days); horizonDays if none. */
  readonly minCoverageDays: number;
  /** Units with dailyUse > 0 for this item. */
  readonly units: number;
  /** LP solves spent on this item (0 without shortage or with water-filling). */
  readonly lpSolves: number;
}

export interface AllocationResult {
  readonly horizonDays: number;
  readonly method: FairShareMethod;
  readonly allocations: UnitAllocation[];
  readonly items: ItemAllocationSummary[];
}

export interface AllocateOptions {
  /** Default 'highs'. */
  readonly method?: FairShareMethod;
  /** HiGHS instance from loadHighsSolver(); loaded on demand when omitted and needed. */
  readonly solver?: LpTextSolver;
}

// ---------------------------------------------------------------------------------------------
// Validation of untrusted JSON (CLI file, HTTP body)
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(record: Record<string, unknown>, key: string, path: string): unknown {
  if (!Object.hasOwn(record, key) || record[key] === undefined) invalid(`${path}${key}`, 'is required');
  if (record[key] === null) invalid(`${path}${key}`, 'is required (got null)');
  return record[key];
}

function numberField(record: Record<string, unknown>, key: string, path: string): number {
  const value = field(record, key, path);
  if (typeof value !== 'number') invalid(`${path}${key}`, `must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function stringField(record: Record<string, unknown>, key: string, path: string): string {
  const value = field(record, key, path);
  if (typeof value !== 'string' || value.trim() === '') invalid(`${path}${key}`, 'must be a non-empty string');
  return value;
}

function arrayField(record: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = field(record, key, path);
  if (!Array.isArray(value)) invalid(`${path}${key}`, 'must be an array');
  return value;
}

/** An object with only the allowed keys: a typo such as "wieght" must not silently drop a field. */
function recordAt(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) invalid(path, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) invalid(path === '(input)' ? key : `${path}.${key}`, `unknown field (expected ${allowed.join(', ')})`);
  }
  return value;
}

/**
 * Validates untrusted JSON into an {@link AllocationInput}. Throws ReplenishmentError
 * ('invalid_input') naming the field: missing or non-numeric fields, negative numbers, fractional
 * quantities, weight ≤ 0, duplicate item codes / unit ids / line codes within a unit, and line codes
 * that are not in `items`.
 */
export function parseAllocationInput(json: unknown): AllocationInput {
  const root = recordAt(json, '(input)', ['horizonDays', 'items', 'units']);
  const horizonDays = requireNonNegative(numberField(root, 'horizonDays', ''), 'horizonDays', true);
  const codes = new Set<string>();
  const items = arrayField(root, 'items', '').map((raw, i): AllocationItem => {
    const path = `items[${i}].`;
    const record = recordAt(raw, `items[${i}]`, ['code', 'available']);
    const code = stringField(record, 'code', path);
    if (codes.has(code)) invalid(`${path}code`, `duplicate item code "${code}"`);
    codes.add(code);
    return { code, available: requireCount(numberField(record, 'available', path), `${path}available`) };
  });
  const ids = new Set<string>();
  const units = arrayField(root, 'units', '').map((raw, u): AllocationUnit => {
    const path = `units[${u}].`;
    const record = recordAt(raw, `units[${u}]`, ['id', 'weight', 'lines']);
    const id = stringField(record, 'id', path);
    if (ids.has(id)) invalid(`${path}id`, `duplicate unit id "${id}"`);
    ids.add(id);
    let weight = 1;
    if (Object.hasOwn(record, 'weight')) {
      if (typeof record.weight !== 'number') invalid(`${path}weight`, `must be a number > 0, got ${JSON.stringify(record.weight)}`);
      weight = requireNonNegative(numberField(record, 'weight', path), `${path}weight`, true);
    }
    const lineCodes = new Set<string>();
    const lines = arrayField(record, 'lines', path).map((rawLine, l): AllocationLine => {
      const linePath = `${path}lines[${l}].`;
      const line = recordAt(rawLine, `${path}lines[${l}]`, ['code', 'dailyUse', 'stockOnHand']);
      const code = stringField(line, 'code', linePath);
      if (!codes.has(code)) invalid(`${linePath}code`, `unknown item code "${code}" (not in items)`);
      if (lineCodes.has(code)) invalid(`${linePath}code`, `duplicate line for item "${code}" in unit "${id}"`);
      lineCodes.add(code);
      return {
        code,
        dailyUse: requireNonNegative(numberField(line, 'dailyUse', linePath), `${linePath}dailyUse`),
        stockOnHand: requireCount(numberField(line, 'stockOnHand', linePath), `${linePath}stockOnHand`),
      };
    });
    return { id, weight, lines };
  });
  return { horizonDays, items, units };
}

// ---------------------------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------------------------

interface ClaimRef {
  readonly unit: number;
  readonly line: number;
}

/** Groups the lines of all units by item code (one pass; 8,600 × 147 lines in the benchmark). */
function claimsByItem(input: AllocationInput): Map<string, ClaimRef[]> {
  const byCode = new Map<string, ClaimRef[]>(input.items.map((item) => [item.code, []]));
  input.units.forEach((unit, u) => {
    unit.lines.forEach((line, l) => {
      const refs = byCode.get(line.code);
      if (!refs) throw new ReplenishmentError('invalid_input', `unknown item code "${line.code}"`, `units[${u}].lines[${l}].code`);
      refs.push({ unit: u, line: l });
    });
  });
  return byCode;
}

/**
 * Allocates every item of `input` fairly (see fair-share.ts for the method). Deterministic: same
 * input → same output. `input` must come from {@link parseAllocationInput} or be equally valid.
 * Output order: items as given; allocations grouped by item, units in input order.
 */
export async function allocate(input: AllocationInput, options: AllocateOptions = {}): Promise<AllocationResult> {
  const method = options.method ?? 'highs';
  const horizonDays = input.horizonDays;
  const byCode = claimsByItem(input);
  let solver = options.solver;
  const allocations: UnitAllocation[] = [];
  const items: ItemAllocationSummary[] = [];
  for (const item of input.items) {
    const refs = byCode.get(item.code) ?? [];
    const claims: FairShareClaim[] = refs.map((ref) => {
      const unit = input.units[ref.unit];
      const line = unit.lines[ref.line];
      return { dailyUse: line.dailyUse, stockOnHand: line.stockOnHand, weight: unit.weight ?? 1 };
    });
    if (method === 'highs' && !solver) {
      // Load lazily: a run without any shortage never pays for the WebAssembly module.
      const totalRequested = claims.reduce((sum, c) => sum + requestedQuantity(horizonDays, c.dailyUse, c.stockOnHand), 0);
      if (totalRequested > item.available) solver = await loadHighsSolver();
    }
    const share = fairShare(claims, item.available, horizonDays, { method, solver });
    let minCoverage = horizonDays;
    let users = 0;
    let requested = 0;
    let allocated = 0;
    refs.forEach((ref, i) => {
      const claim = claims[i];
      const quantity = share.quantities[i];
      requested += share.requested[i];
      allocated += quantity;
      if (claim.dailyUse <= 0) return;
      users += 1;
      const coverage = coverageDays(claim.stockOnHand, quantity, claim.dailyUse);
      minCoverage = Math.min(minCoverage, coverage);
      if (share.requested[i] > 0) {
        allocations.push({ unit: input.units[ref.unit].id, code: item.code, quantity, requested: share.requested[i], coverageDays: coverage });
      }
    });
    items.push({
      code: item.code,
      available: item.available,
      requested,
      allocated,
      shortfall: requested - allocated,
      minCoverageDays: minCoverage,
      units: users,
      lpSolves: share.lpSolves,
    });
  }
  return { horizonDays, method, allocations, items };
}

/**
 * Fair allocation of ONE item under shortage: lexicographic max-min of (weighted) days of
 * coverage, integer quantities, never above supply, nobody above its target.
 *
 * Method (documented in docs/replenishment.md):
 * 1. Continuous stage. A "water level" t (in weighted days) means every claim i is raised to
 *    min(H, wᵢ·t) days of coverage, which needs clamp(wᵢ·dᵢ·t − sᵢ, 0, Cᵢ) pieces with
 *    Cᵢ = max(0, H·dᵢ − sᵢ). The highest t the supply allows is the max-min optimum; because all
 *    claims draw from one resource, raising the lowest first (water-filling) is also the
 *    lexicographic optimum. It is found either by HiGHS (progressive filling: maximise t in an LP,
 *    freeze the claims that reached their cap, repeat) or by the closed form (sweep over the
 *    breakpoints of the piecewise-linear need curve). Both give the same level.
 * 2. Integer stage. Each claim gets floor(continuous quantity) (never more than its integer target
 *    Tᵢ = ceil(H·dᵢ − sᵢ)); the pieces left over (fewer than one per claim) go one by one to the
 *    claim with the lowest weighted coverage (sᵢ + qᵢ)/(wᵢ·dᵢ), ties to the earlier claim. This is
 *    integer water-filling started from the continuous optimum, so supply is never exceeded, no
 *    claim goes above Tᵢ, and the minimum coverage is within 1/dᵢ days of the continuous optimum.
 */
import { ReplenishmentError, ceilQuantity, floorQuantity, requireCount } from './errors.ts';

/** One unit's claim on one item. Quantities are in the item's issue unit (pieces). */
export interface FairShareClaim {
  /** Expected consumption per day (pieces/day); 0 means the unit needs nothing. */
  readonly dailyUse: number;
  /** Usable stock at the unit (pieces, integer). */
  readonly stockOnHand: number;
  /** Priority weight > 0: a claim of weight 2 is raised to twice the days of weight 1 (capped at H). */
  readonly weight: number;
  /**
   * Optional integer target overriding max(0, ceil(H·dailyUse − stockOnHand)), e.g. a max-min
   * reorder quantity rounded to packs. The claim never receives more than this.
   */
  readonly target?: number;
}

/** Minimal view of the HiGHS legacy API (`highs.solve(lpText, options)`), injectable for tests. */
export interface LpTextSolver {
  solve(
    problem: string,
    options?: Readonly<Record<string, string | number | boolean>>,
  ): { Status: string; Columns: Record<string, { Primal?: number }> };
}

/** How the continuous max-min level is found. */
export type FairShareMethod = 'highs' | 'water-filling';

/** Result for one item. `quantities[i]` belongs to `claims[i]`. */
export interface FairShareResult {
  /** Integer pieces per claim; 0 ≤ quantity ≤ requested; their sum ≤ available. */
  readonly quantities: number[];
  /** Integer target per claim: max(0, ceil(H·dailyUse − stockOnHand)). */
  readonly requested: number[];
  /** Continuous water level (weighted days) of the last LP / closed-form step; Infinity without shortage. */
  readonly level: number;
  /** Number of LP solves (0 for water-filling or when there was no shortage). */
  readonly lpSolves: number;
}

/** Requested (integer target) quantity: enough for `horizonDays`, rounded UP to whole pieces. */
export function requestedQuantity(horizonDays: number, dailyUse: number, stockOnHand: number): number {
  if (dailyUse <= 0) return 0;
  return Math.max(0, ceilQuantity(horizonDays * dailyUse - stockOnHand));
}

/** Days of coverage: (stockOnHand + quantity) / dailyUse; Infinity when dailyUse is 0. */
export function coverageDays(stockOnHand: number, quantity: number, dailyUse: number): number {
  return dailyUse > 0 ? (stockOnHand + quantity) / dailyUse : Number.POSITIVE_INFINITY;
}

/** Integer target Tᵢ of a claim (its request). */
function targetOf(claim: FairShareClaim, horizonDays: number): number {
  if (claim.dailyUse <= 0) return 0;
  if (claim.target !== undefined) return requireCount(claim.target, 'target');
  return requestedQuantity(horizonDays, claim.dailyUse, claim.stockOnHand);
}

/** Continuous cap Cᵢ: what brings the claim exactly to `horizonDays` of coverage, never above Tᵢ. */
function continuousCap(claim: FairShareClaim, horizonDays: number): number {
  if (claim.dailyUse <= 0) return 0;
  return Math.min(targetOf(claim, horizonDays), Math.max(0, horizonDays * claim.dailyUse - claim.stockOnHand));
}

/** Pieces claim i needs to reach water level t (continuous). */
function needAtLevel(claim: FairShareClaim, cap: number, level: number): number {
  const need = claim.weight * claim.dailyUse * level - claim.stockOnHand;
  return need <= 0 ? 0 : Math.min(cap, need);
}

/**
 * Closed-form weighted water-filling: the highest level t with Σ clamp(wᵢdᵢt − sᵢ, 0, Cᵢ) ≤ available.
 * Returns the level where every claim is capped when supply covers all caps. O(n log n).
 */
export function waterFillingLevel(claims: readonly FairShareClaim[], available: number, horizonDays: number): number {
  const events: { at: number; slope: number }[] = [];
  for (const claim of claims) {
    const cap = continuousCap(claim, horizonDays);
    if (cap <= 0) continue;
    const rate = claim.weight * claim.dailyUse;
    const start = claim.stockOnHand / rate;
    events.push({ at: start, slope: rate }, { at: start + cap / rate, slope: -rate });
  }
  if (events.length === 0) return Number.POSITIVE_INFINITY;
  events.sort((a, b) => a.at - b.at);
  let at = events[0].at;
  let slope = 0;
  let total = 0;
  for (const event of events) {
    const gain = slope * (event.at - at);
    if (available - total <= 0) return at;
    if (total + gain >= available) return at + (available - total) / slope;
    total += gain;
    slope += event.slope;
    at = event.at;
  }
  return at;
}

/** Shortest exact decimal for the LP text (HiGHS parses exponents such as 1e-7). */
function lpNumber(value: number): string {
  return String(value);
}

/** Builds "maximise t" over the active claims with the remaining supply; returns t. */
function solveLevelLp(
  solver: LpTextSolver,
  claims: readonly FairShareClaim[],
  caps: Float64Array,
  active: readonly number[],
  remaining: number,
  maxLevel: number,
): number {
  const supply: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  for (const i of active) {
    const claim = claims[i];
    supply.push(`q${i}`);
    rows.push(` l${i}: q${i} - ${lpNumber(claim.weight * claim.dailyUse)} t >= ${lpNumber(-claim.stockOnHand)}`);
    bounds.push(` 0 <= q${i} <= ${lpNumber(caps[i])}`);
  }
  const text = [
    'Maximize',
    ' obj: t',
    'Subject To',
    ` supply: ${supply.join(' + ')} <= ${lpNumber(remaining)}`,
    ...rows,
    'Bounds',
    ...bounds,
    ` 0 <= t <= ${lpNumber(maxLevel)}`,
    'End',
    '',
  ].join('\n');
  // Interior point without presolve was the fastest robust choice on 8,600-claim items (see the
  // benchmark); crossover stays on so the status is a proven "Optimal".
  const result = solver.solve(text, { output_flag: false, solver: 'ipm', presolve: 'off' });
  const level = result.Columns.t?.Primal;
  if (result.Status !== 'Optimal' || level === undefined || !Number.isFinite(level)) {
    throw new ReplenishmentError('solver_failed', `HiGHS returned status "${result.Status}" for the max-min LP`);
  }
  return level;
}

/**
 * Progressive filling with HiGHS: freeze the claims that certainly reach their cap, then maximise
 * the common level t of the others in one LP. Should the LP still stop below the supply (a cap
 * binding after all, e.g. through tolerances), freeze the capped claims and solve again.
 * In practice: one LP per item in shortage.
 */
function highsLevels(
  solver: LpTextSolver,
  claims: readonly FairShareClaim[],
  caps: Float64Array,
  available: number,
): { continuous: Float64Array; level: number; lpSolves: number } {
  const continuous = new Float64Array(claims.length);
  // Level at which claim i reaches its cap: H / w with the default target.
  const capLevel = Float64Array.from(claims, (c, i) => (c.dailyUse > 0 ? (c.stockOnHand + caps[i]) / (c.weight * c.dailyUse) : 0));
  let active = claims.map((_, i) => i).filter((i) => caps[i] > 0);
  let remaining = available;
  let level = Number.POSITIVE_INFINITY;
  let lpSolves = 0;
  const freeze = (selected: readonly number[]): void => {
    for (const i of selected) {
      continuous[i] = caps[i];
      remaining -= caps[i];
    }
    const set = new Set(selected);
    active = active.filter((i) => !set.has(i));
  };
  const needAt = (t: number): number => active.reduce((sum, i) => sum + needAtLevel(claims[i], caps[i], t), 0);
  while (active.length > 0) {
    // The need grows with the level, so a binary search over the distinct cap levels finds the
    // highest one the supply reaches; every claim capped at or below it is certainly capped in the
    // optimum. Freezing them first leaves an LP in which no cap binds (O(n log n) checks).
    const levels = [...new Set(active.map((i) => capLevel[i]))].sort((a, b) => a - b);
    let lo = 0;
    let hi = levels.length - 1;
    let reachable = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (needAt(levels[mid]) <= remaining) {
        reachable = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (reachable >= 0) {
      freeze(active.filter((i) => capLevel[i] <= levels[reachable]));
      continue;
    }
    const maxLevel = levels[levels.length - 1];
    level = solveLevelLp(solver, claims, caps, active, remaining, maxLevel);
    lpSolves += 1;
    const need = needAt(level);
    if (remaining - need <= 1e-7 * Math.max(1, remaining)) {
      for (const i of active) continuous[i] = needAtLevel(claims[i], caps[i], level);
      break;
    }
    const capped = active.filter((i) => capLevel[i] <= level * (1 + 1e-9) + 1e-9);
    if (capped.length === 0) {
      throw new ReplenishmentError('solver_failed', 'max-min LP stopped below supply without a capped claim');
    }
    freeze(capped);
  }
  return { continuous, level, lpSolves };
}

/** Binary min-heap of claim indices keyed by a numeric priority, ties to the lower index. */
class MinHeap {
  private readonly items: number[] = [];

  constructor(private readonly key: (index: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  private less(a: number, b: number): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a < b);
  }

  push(index: number): void {
    const items = this.items;
    items.push(index);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.less(items[child], items[parent])) break;
      [items[child], items[parent]] = [items[parent], items[child]];
      child = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let parent = 0;
      for (;;) {
        const left = 2 * parent + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < items.length && this.less(items[left], items[smallest])) smallest = left;
        if (right < items.length && this.less(items[right], items[smallest])) smallest = right;
        if (smallest === parent) break;
        [items[smallest], items[parent]] = [items[parent], items[smallest]];
        parent = smallest;
      }
    }
    return top;
  }
}

/**
 * Integer stage: floor the continuous quantities (the only rounding DOWN of the module), then hand
 * out the leftover pieces one at a time to the lowest weighted coverage.
 */
function roundToIntegers(
  claims: readonly FairShareClaim[],
  continuous: Float64Array,
  requested: readonly number[],
  available: number,
): number[] {
  const quantities = claims.map((_, i) => Math.min(requested[i], Math.max(0, floorQuantity(continuous[i]))));
  const weighted = (i: number): number => (claims[i].stockOnHand + quantities[i]) / (claims[i].weight * claims[i].dailyUse);
  let left = available - quantities.reduce((sum, q) => sum + q, 0);
  // Numerical repair: a level a hair above the true optimum may floor one piece too many; take it
  // back from the highest weighted coverage so supply is never exceeded.
  while (left < 0) {
    let worst = -1;
    for (let i = 0; i < claims.length; i += 1) {
      if (quantities[i] > 0 && (worst < 0 || weighted(i) > weighted(worst))) worst = i;
    }
    quantities[worst] -= 1;
    left += 1;
  }
  const heap = new MinHeap(weighted);
  for (let i = 0; i < claims.length; i += 1) if (quantities[i] < requested[i]) heap.push(i);
  while (left > 0 && heap.size > 0) {
    const i = heap.pop()!;
    quantities[i] += 1;
    left -= 1;
    if (quantities[i] < requested[i]) heap.push(i);
  }
  return quantities;
}

/** Options of {@link fairShare}. */
export interface FairShareOptions {
  /** Default 'highs'; 'water-filling' uses the closed form (same answer, no LP). */
  readonly method?: FairShareMethod;
  /** Required when method is 'highs' and the item is short. */
  readonly solver?: LpTextSolver;
}

/**
 * Allocates `available` integer pieces of one item among `claims` (lexicographic max-min of
 * weighted coverage days over `horizonDays`). Inputs are assumed validated (see parseAllocationInput).
 */
export function fairShare(
  claims: readonly FairShareClaim[],
  available: number,
  horizonDays: number,
  options: FairShareOptions = {},
): FairShareResult {
  const requested = claims.map((c) => targetOf(c, horizonDays));
  const totalRequested = requested.reduce((sum, q) => sum + q, 0);
  if (totalRequested <= available) {
    return { quantities: requested.slice(), requested, level: Number.POSITIVE_INFINITY, lpSolves: 0 };
  }
  const caps = Float64Array.from(claims, (c) => continuousCap(c, horizonDays));
  let continuous: Float64Array;
  let level: number;
  let lpSolves = 0;
  if ((options.method ?? 'highs') === 'highs') {
    if (!options.solver) throw new ReplenishmentError('solver_failed', 'method "highs" needs an LP solver (loadHighsSolver())');
    ({ continuous, level, lpSolves } = highsLevels(options.solver, claims, caps, available));
  } else {
    level = waterFillingLevel(claims, available, horizonDays);
    continuous = Float64Array.from(claims, (c, i) => needAtLevel(c, caps[i], level));
  }
  return { quantities: roundToIntegers(claims, continuous, requested, available), requested, level, lpSolves };
}

/** Loads the HiGHS WebAssembly solver (≈ 40 ms). Load once per run and pass it down. */
export async function loadHighsSolver(): Promise<LpTextSolver> {
  type Loader = () => Promise<LpTextSolver>;
  // The package ships CommonJS typings but an ESM build: under Node ESM `default` is the loader
  // itself, while the typings describe it as `default.default`. Accept both shapes.
  const module = (await import('highs')) as unknown as { default: Loader | { default: Loader } };
  const loader = typeof module.default === 'function' ? module.default : module.default.default;
  return loader();
}

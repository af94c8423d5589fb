import type { ProblemData } from '../model/problem.ts';
import { Individual, Penalties } from './individual.ts';
import { LocalSearch } from './local-search.ts';
import { defaultParams, type HgsParams } from './params.ts';
import { Population } from './population.ts';
import { Rng } from './rng.ts';
import { Splitter } from './split.ts';

/** Explicit stopping criteria; the search stops at the first one met. */
export interface StoppingCriteria {
  /** Wall-clock deadline, epoch milliseconds (Date.now scale, shared by worker threads). */
  deadline?: number;
  maxIterations?: number;
  /** Stop after this many iterations without a new best solution. */
  maxNoImprovement?: number;
  /** Polled once per iteration (AbortSignal, shared abort flag of a worker). */
  shouldStop?: () => boolean;
}

export interface SearchProgress {
  iterations: number;
  bestCost: number;
  feasible: boolean;
  elapsedMs: number;
}

export interface SearchOutcome {
  best: Individual;
  iterations: number;
}

/** Hybrid genetic search (Vidal 2012/2022): OX crossover + Split + granular local search. */
export function hybridGeneticSearch(
  data: ProblemData,
  seed: number,
  stop: StoppingCriteria,
  params: HgsParams = defaultParams,
  onProgress?: (progress: SearchProgress) => void,
): SearchOutcome {
  const startedAt = Date.now();
  const rng = new Rng(seed);
  const neighbours = data.neighbours(params.nbGranular);
  let ls = new LocalSearch(data, neighbours, rng, params.swapStar);
  let splitter = new Splitter(data);
  const pen = initialPenalties(data);
  const population = new Population(params, rng);
  const m = data.nClients;

  let best: Individual | undefined;
  let bestInfeasible: Individual | undefined;
  let iterations = 0;
  let sinceImprovement = 0;
  const stats = { n: 0, load: new Float64Array(data.dims), time: 0, distance: 0 };

  const stopNow = (): boolean =>
    (stop.maxIterations !== undefined && iterations >= stop.maxIterations) ||
    (stop.deadline !== undefined && Date.now() >= stop.deadline) ||
    (stop.maxNoImprovement !== undefined && sinceImprovement >= stop.maxNoImprovement) ||
    (stop.shouldStop?.() ?? false);

  const record = (ind: Individual): void => {
    if (ind.feasible) {
      if (!best || ind.penalizedCost < best.penalizedCost - 1e-9) {
        best = ind;
        sinceImprovement = 0;
        onProgress?.({ iterations, bestCost: ind.penalizedCost, feasible: true, elapsedMs: Date.now() - startedAt });
      }
    } else if (!best && (!bestInfeasible || violation(ind) < violation(bestInfeasible) || (violation(ind) === violation(bestInfeasible) && ind.baseCost < bestInfeasible.baseCost))) {
      bestInfeasible = ind;
    }
  };

  const educate = (ind: Individual): void => {
    const improved = ls.run(ind, pen);
    stats.n++;
    for (let d = 0; d < data.dims; d++) if (improved.loadExcess[d] < 1e-9) stats.load[d]++;
    if (improved.timeWarp < 1e-6) stats.time++;
    if (improved.distExcess < 1e-9) stats.distance++;
    population.add(improved);
    record(improved);
    if (!improved.feasible && rng.next() < params.repairProbability) {
      const repaired = ls.run(improved, pen.scaled(10));
      repaired.updatePenalized(pen);
      if (repaired.feasible) {
        population.add(repaired);
        record(repaired);
      }
    }
  };

  const randomTour = (): Int32Array => {
    const tour = new Int32Array(m);
    for (let i = 0; i < m; i++) tour[i] = data.nDepots + i;
    rng.shuffle(tour);
    return tour;
  };

  const initialise = (): void => {
    for (let k = 0; k < 4 * params.mu && !stopNow(); k++) {
      educate(new Individual(data, splitter.split(randomTour(), pen), new Int32Array(0), pen));
      iterations++;
      sinceImprovement++;
    }
  };

  /** Runs genetic iterations until `until()` holds or the search must stop. */
  const evolve = (until: () => boolean): void => {
    while (!stopNow() && !until()) {
      const p1 = population.select();
      const p2 = population.select();
      const child = orderCrossover(p1.tour, p2.tour, rng, data.nNodes);
      educate(new Individual(data, splitter.split(child, pen), new Int32Array(0), pen));
      iterations++;
      sinceImprovement++;
      if (iterations % params.penaltyInterval === 0) {
        adaptPenalties(pen, stats, params);
        population.repenalize(pen);
        stats.n = 0;
        stats.load.fill(0);
        stats.time = 0;
        stats.distance = 0;
      }
      if (sinceImprovement >= params.restartAfter && !stopNow()) {
        population.clear();
        sinceImprovement = 0;
        initialise();
        if (best) population.add(new Individual(data, best.routes, best.unrouted, pen));
      }
    }
  };

  /** Restricts the fleet to `k` vehicles (single vehicle type) and restarts the population. */
  const limitFleet = (k: number): void => {
    const counts = Int32Array.of(k);
    ls = new LocalSearch(data, neighbours, rng, params.swapStar, counts);
    splitter = new Splitter(data, counts);
    population.clear();
    sinceImprovement = 0;
  };

  initialise();
  // Fleet minimisation (vehicles first, as in the Solomon objective): while the first half of
  // the budget lasts, search with one vehicle fewer than the best solution until that fails.
  const budget = budgetSlice(stop, startedAt, params.fleetShare, startedAt, 0);
  if (budget && data.nTypes === 1 && data.fixedCost[0] > 0) {
    const lowerBound = fleetLowerBound(data);
    evolve(() => best !== undefined || budget.over(iterations));
    while (best && best.routes.length - 1 >= lowerBound && !budget.over(iterations) && !stopNow()) {
      const target = best.routes.length - 1;
      limitFleet(target);
      // one attempt may not take the whole fleet budget: when the fleet is already minimal the
      // time is better spent on distance
      const attempt = budgetSlice(stop, startedAt, params.fleetAttemptShare, Date.now(), iterations);
      initialise();
      evolve(() => (best !== undefined && best.routes.length <= target) || budget.over(iterations) || (attempt?.over(iterations) ?? false));
      if (!best || best.routes.length > target) break;
    }
    if (best) {
      limitFleet(Math.max(best.routes.length, 1));
      initialise();
      population.add(new Individual(data, best.routes, best.unrouted, pen));
    }
  }
  evolve(() => false);
  const result = best ?? bestInfeasible;
  if (!result) {
    // stopped before the first individual: return the plain split of a random tour
    return { best: new Individual(data, splitter.split(randomTour(), pen), new Int32Array(0), pen), iterations };
  }
  return { best: result, iterations };
}

interface FleetBudget {
  over(iterations: number): boolean;
}

/**
 * A slice of the budget: `share` of the time limit (measured from `fromMs`) or of the iteration
 * limit (counted from `fromIteration`), whichever comes first.
 */
function budgetSlice(stop: StoppingCriteria, startedAt: number, share: number, fromMs: number, fromIteration: number): FleetBudget | undefined {
  if (share <= 0) return undefined;
  const until = stop.deadline !== undefined ? fromMs + share * (stop.deadline - startedAt) : Number.POSITIVE_INFINITY;
  const maxIt = stop.maxIterations !== undefined ? fromIteration + share * stop.maxIterations : Number.POSITIVE_INFINITY;
  if (until === Number.POSITIVE_INFINITY && maxIt === Number.POSITIVE_INFINITY) return undefined;
  return { over: (it) => it >= maxIt || (until < Number.POSITIVE_INFINITY && Date.now() >= until) };
}

/** Vehicles needed at least by capacity alone (single vehicle type). */
function fleetLowerBound(data: ProblemData): number {
  let bound = 1;
  for (let d = 0; d < data.dims; d++) {
    let total = 0;
    for (let v = data.nDepots; v < data.nNodes; v++) total += data.demand[v * data.dims + d];
    const cap = data.capacity[d];
    if (cap > 0 && Number.isFinite(cap)) bound = Math.max(bound, Math.ceil(total / cap - 1e-9));
  }
  return bound;
}

function violation(ind: Individual): number {
  let v = ind.timeWarp + ind.distExcess;
  for (let d = 0; d < ind.loadExcess.length; d++) v += ind.loadExcess[d];
  return v;
}

function initialPenalties(data: ProblemData): Penalties {
  const n = data.nNodes;
  let maxDist = 0;
  for (let i = 0; i < n * n; i++) if (data.dist[i] > maxDist && Number.isFinite(data.dist[i])) maxDist = data.dist[i];
  const load = new Float64Array(data.dims);
  for (let d = 0; d < data.dims; d++) {
    let maxDemand = 0;
    for (let v = data.nDepots; v < n; v++) maxDemand = Math.max(maxDemand, data.demand[v * data.dims + d]);
    load[d] = Math.max(0.1, Math.min(1000, maxDist / Math.max(1e-9, maxDemand)));
  }
  let maxFixed = 0;
  for (let t = 0; t < data.nTypes; t++) maxFixed = Math.max(maxFixed, data.fixedCost[t]);
  return new Penalties(load, 1 + maxFixed / 100, 1);
}

function adaptPenalties(pen: Penalties, stats: { n: number; load: Float64Array; time: number; distance: number }, params: HgsParams): void {
  if (stats.n === 0) return;
  const adjust = (value: number, feasibleShare: number): number => {
    if (feasibleShare < params.targetFeasible - 0.05) return Math.min(100_000, value * 1.2);
    if (feasibleShare > params.targetFeasible + 0.05) return Math.max(0.1, value * 0.85);
    return value;
  };
  for (let d = 0; d < pen.load.length; d++) pen.load[d] = adjust(pen.load[d], stats.load[d] / stats.n);
  pen.timeWarp = adjust(pen.timeWarp, stats.time / stats.n);
  pen.distance = adjust(pen.distance, stats.distance / stats.n);
}

/** OX: copies a random slice of the first parent, fills the rest in the second parent's order. */
export function orderCrossover(a: Int32Array, b: Int32Array, rng: Rng, nNodes: number): Int32Array {
  const m = a.length;
  const child = new Int32Array(m);
  if (m === 0) return child;
  const taken = new Uint8Array(nNodes);
  const start = rng.int(m);
  let end = rng.int(m);
  while (m > 1 && end === start) end = rng.int(m);
  let j = start;
  while (j % m !== (end + 1) % m) {
    const v = a[j % m];
    child[j % m] = v;
    taken[v] = 1;
    j++;
  }
  for (let i = 1; i <= m; i++) {
    const v = b[(end + i) % m];
    if (taken[v]) continue;
    child[j % m] = v;
    j++;
  }
  return child;
}

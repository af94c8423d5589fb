import type { ProblemData } from '../model/problem.ts';
import { evaluateRoute } from './schedule.ts';

/** Penalty weights of the relaxed constraints; adapted during the search. */
export class Penalties {
  constructor(
    readonly load: Float64Array,
    public timeWarp: number,
    public distance: number,
  ) {}

  scaled(factor: number): Penalties {
    return new Penalties(this.load.map((p) => p * factor), this.timeWarp * factor, this.distance * factor);
  }
}

export interface RouteOfIndividual {
  type: number;
  nodes: Int32Array;
}

/**
 * A complete solution of the search: routes (each with its vehicle type), the optional
 * clients left out, and cost components kept apart so the penalised cost can be recomputed
 * when the penalty weights change.
 */
export class Individual {
  /** Base cost: fixed, distance and duration costs plus the prizes of skipped optional clients. */
  baseCost = 0;
  distance = 0;
  loadExcess: Float64Array;
  timeWarp = 0;
  distExcess = 0;
  penalizedCost = 0;
  feasible = false;
  /** Successor / predecessor of each node (-1: a depot, -2: not routed), for broken-pairs distance. */
  succ: Int32Array;
  pred: Int32Array;
  /** Giant tour: routed clients route by route, then unrouted ones. */
  tour: Int32Array;
  /** Other individuals ordered by distance (diversity management). */
  proximity: { dist: number; other: Individual }[] = [];
  biasedFitness = 0;

  constructor(
    readonly data: ProblemData,
    readonly routes: RouteOfIndividual[],
    readonly unrouted: Int32Array,
    penalties: Penalties,
  ) {
    const n = data.nNodes;
    this.loadExcess = new Float64Array(data.dims);
    this.succ = new Int32Array(n).fill(-2);
    this.pred = new Int32Array(n).fill(-2);
    this.tour = new Int32Array(data.nClients);
    let k = 0;
    for (const route of routes) {
      const nodes = route.nodes;
      for (let i = 0; i < nodes.length; i++) {
        const v = nodes[i];
        this.pred[v] = i === 0 ? -1 : nodes[i - 1];
        this.succ[v] = i === nodes.length - 1 ? -1 : nodes[i + 1];
        this.tour[k++] = v;
      }
      const ev = evaluateRoute(data, route.type, nodes);
      this.baseCost += ev.baseCost;
      this.distance += ev.distance;
      for (let d = 0; d < data.dims; d++) this.loadExcess[d] += ev.loadExcess[d];
      this.timeWarp += ev.timeWarp;
      this.distExcess += ev.distExcess;
    }
    for (let i = 0; i < unrouted.length; i++) {
      this.tour[k++] = unrouted[i];
      this.baseCost += data.prize[unrouted[i]];
    }
    let excess = 0;
    for (let d = 0; d < data.dims; d++) excess += this.loadExcess[d];
    this.feasible = excess < 1e-9 && this.timeWarp < 1e-6 && this.distExcess < 1e-9;
    this.updatePenalized(penalties);
  }

  updatePenalized(p: Penalties): void {
    let cost = this.baseCost + p.timeWarp * this.timeWarp + p.distance * this.distExcess;
    for (let d = 0; d < this.data.dims; d++) cost += p.load[d] * this.loadExcess[d];
    this.penalizedCost = cost;
  }

  get loadFeasible(): boolean {
    for (let d = 0; d < this.data.dims; d++) if (this.loadExcess[d] > 1e-9) return false;
    return true;
  }

  /** Broken-pairs distance (share of clients whose neighbours differ), in [0, 1]. */
  brokenPairs(other: Individual): number {
    const { nDepots, nNodes, nClients } = this.data;
    let differences = 0;
    for (let j = nDepots; j < nNodes; j++) {
      const s = this.succ[j];
      if (s !== other.succ[j] && s !== other.pred[j]) differences++;
      if (this.pred[j] === -1 && other.pred[j] !== -1 && other.succ[j] !== -1) differences++;
    }
    return differences / Math.max(1, nClients);
  }

  /** Mean distance to the `k` closest other individuals. */
  averageClosest(k: number): number {
    const m = Math.min(k, this.proximity.length);
    if (m === 0) return 0;
    let sum = 0;
    for (let i = 0; i < m; i++) sum += this.proximity[i].dist;
    return sum / m;
  }

  removeProximity(other: Individual): void {
    const i = this.proximity.findIndex((p) => p.other === other);
    if (i >= 0) this.proximity.splice(i, 1);
  }

  addProximity(other: Individual, dist: number): void {
    let i = 0;
    while (i < this.proximity.length && this.proximity[i].dist <= dist) i++;
    this.proximity.splice(i, 0, { dist, other });
  }
}

import type { ProblemData } from '../model/problem.ts';
import { penalizedRouteCost } from './cost.ts';
import type { Penalties, RouteOfIndividual } from './individual.ts';
import { endWindow, startWindow } from './schedule.ts';
import { mergeInto, type DurationSegment } from './segment.ts';

/**
 * Split (Prins 2004; Vidal 2016): cuts a giant tour into routes optimally for the penalised
 * route cost of the main vehicle type, by a shortest path over the tour's prefixes. With a
 * limited fleet a second pass bounds the number of routes. Routes are then given vehicle
 * types (cheapest type with a free vehicle and the needed skills).
 */
export class Splitter {
  private readonly mainType: number;
  private readonly load: Float64Array;
  private readonly seg: DurationSegment = { duration: 0, timeWarp: 0, earliest: 0, latest: 0 };

  constructor(
    private readonly data: ProblemData,
    /** Vehicles available per type (default: the problem's counts). */
    private readonly counts: Int32Array = data.typeCount,
  ) {
    let main = 0;
    for (let t = 1; t < data.nTypes; t++) if (data.typeCount[t] > data.typeCount[main]) main = t;
    this.mainType = main;
    this.load = new Float64Array(data.dims);
  }

  split(tour: ArrayLike<number>, pen: Penalties): RouteOfIndividual[] {
    let fleet = 0;
    for (let t = 0; t < this.data.nTypes; t++) fleet += this.counts[t];
    let cuts = this.bellman(tour, pen, Number.POSITIVE_INFINITY);
    if (cuts.length - 1 > fleet) cuts = this.bellman(tour, pen, fleet);
    const routes: number[][] = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const route: number[] = [];
      for (let i = cuts[k]; i < cuts[k + 1]; i++) route.push(tour[i]);
      if (route.length > 0) routes.push(route);
    }
    return this.assignTypes(routes, pen);
  }

  /** Shortest path over prefixes; returns the cut positions (0 = start, ..., tour.length). */
  private bellman(tour: ArrayLike<number>, pen: Penalties, maxRoutes: number): number[] {
    const m = tour.length;
    if (m === 0) return [0];
    const { data } = this;
    const t = this.mainType;
    const n = data.nNodes;
    const dims = data.dims;
    const start = data.startDepot[t];
    const end = data.endDepot[t];
    const [se, sl] = startWindow(data, t);
    const [ee, el] = endWindow(data, t);
    const cap = data.capacity;
    const bounded = Number.isFinite(maxRoutes);
    const layers = bounded ? maxRoutes : 1;
    const pot = new Float64Array((m + 1) * layers).fill(Number.POSITIVE_INFINITY);
    const pred = new Int32Array((m + 1) * layers).fill(-1);
    const s = this.seg;
    for (let k = 0; k < layers; k++) {
      const prevLayer = k - 1;
      for (let i = 0; i < m; i++) {
        const base = !bounded ? (i === 0 ? 0 : pot[i]) : k === 0 ? (i === 0 ? 0 : Number.POSITIVE_INFINITY) : pot[i * layers + prevLayer];
        if (!(base < Number.POSITIVE_INFINITY)) continue;
        let dist = 0;
        let drive = 0;
        this.load.fill(0);
        s.duration = 0;
        s.timeWarp = 0;
        s.earliest = se;
        s.latest = sl;
        let last = start;
        for (let j = i; j < m; j++) {
          const v = tour[j];
          dist += data.dist[last * n + v];
          drive += data.dur[last * n + v];
          if (data.usesTime) mergeInto(s, data.dur[last * n + v], data.service[v], 0, data.twStart[v], data.twEnd[v]);
          let over = false;
          for (let d = 0; d < dims; d++) {
            this.load[d] += data.demand[v * dims + d];
            if (this.load[d] > 1.5 * cap[t * dims + d] && j > i) over = true;
          }
          if (over) break;
          last = v;
          let cost: number;
          if (data.usesTime) {
            const kD = s.duration;
            const kTW = s.timeWarp;
            const kE = s.earliest;
            const kL = s.latest;
            mergeInto(s, data.dur[v * n + end], 0, 0, ee, el);
            cost = penalizedRouteCost(data, pen, t, j - i + 1, dist + data.dist[v * n + end], this.load, 0, s.duration, s.timeWarp, drive + data.dur[v * n + end]);
            s.duration = kD;
            s.timeWarp = kTW;
            s.earliest = kE;
            s.latest = kL;
          } else {
            cost = penalizedRouteCost(data, pen, t, j - i + 1, dist + data.dist[v * n + end], this.load, 0, 0, 0, 0);
          }
          const idx = !bounded ? j + 1 : (j + 1) * layers + k;
          if (base + cost < pot[idx]) {
            pot[idx] = base + cost;
            pred[idx] = i;
          }
        }
      }
      if (!bounded) break;
    }
    // recover
    let layer = 0;
    if (bounded) {
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < layers; k++) {
        if (pot[m * layers + k] < best) {
          best = pot[m * layers + k];
          layer = k;
        }
      }
      if (!(best < Number.POSITIVE_INFINITY)) {
        // even the bounded split failed (e.g. 1.5× capacity cut-off): one tour per vehicle, evenly
        const cuts: number[] = [];
        for (let k = 0; k <= maxRoutes; k++) cuts.push(Math.round((k * m) / maxRoutes));
        return [...new Set(cuts)];
      }
    }
    const cuts: number[] = [m];
    let j = m;
    while (j > 0) {
      const idx = !bounded ? j : j * layers + layer;
      const i = pred[idx];
      if (i < 0) {
        // the 1.5× capacity cut-off left a gap: fall back to single-client routes
        cuts.push(j - 1);
        j -= 1;
        continue;
      }
      cuts.push(i);
      j = i;
      layer--;
    }
    return cuts.reverse();
  }

  /** Gives each route the cheapest vehicle type with a free vehicle; moves clients whose skills it lacks. */
  private assignTypes(routes: number[][], pen: Penalties): RouteOfIndividual[] {
    const { data } = this;
    if (data.nTypes === 1) return routes.map((nodes) => ({ type: 0, nodes: Int32Array.from(nodes) }));
    const free = Int32Array.from(this.counts);
    const result: { type: number; nodes: number[] }[] = [];
    const order = routes.map((_, i) => i).sort((a, b) => routes[b].length - routes[a].length);
    for (const i of order) {
      const nodes = routes[i];
      let mask = 0;
      for (const v of nodes) mask |= data.skillMask[v];
      let bestType = -1;
      let bestCost = Number.POSITIVE_INFINITY;
      for (let t = 0; t < data.nTypes; t++) {
        if (free[t] === 0) continue;
        const missing = mask & ~data.typeSkillMask[t];
        const cost = this.routeCost(t, nodes, pen) + (missing !== 0 ? 1e12 : 0);
        if (cost < bestCost) {
          bestCost = cost;
          bestType = t;
        }
      }
      if (bestType < 0) {
        // no vehicle left: append to the shortest assigned route (the search repairs it)
        const target = result.reduce((a, b) => (b.nodes.length < a.nodes.length ? b : a));
        target.nodes.push(...nodes);
        continue;
      }
      free[bestType]--;
      result.push({ type: bestType, nodes: [...nodes] });
    }
    // skill repair: move every client to a route whose vehicle has its skills
    for (const route of result) {
      const misplaced = route.nodes.filter((v) => (data.skillMask[v] & ~data.typeSkillMask[route.type]) !== 0);
      if (misplaced.length === 0) continue;
      route.nodes = route.nodes.filter((v) => !misplaced.includes(v));
      for (const v of misplaced) {
        let target = result.find((r) => r !== route && (data.skillMask[v] & ~data.typeSkillMask[r.type]) === 0);
        if (!target) {
          const t = data.typeSkillMask.findIndex((m, k) => free[k] > 0 && (data.skillMask[v] & ~m) === 0);
          if (t < 0) {
            route.nodes.push(v); // cannot happen after pre-filtering; keep it routed
            continue;
          }
          free[t]--;
          target = { type: t, nodes: [] };
          result.push(target);
        }
        target.nodes.push(v);
      }
    }
    return result.filter((r) => r.nodes.length > 0).map((r) => ({ type: r.type, nodes: Int32Array.from(r.nodes) }));
  }

  private routeCost(t: number, nodes: number[], pen: Penalties): number {
    const { data } = this;
    const n = data.nNodes;
    const dims = data.dims;
    const load = new Float64Array(dims);
    const s: DurationSegment = { duration: 0, timeWarp: 0, earliest: startWindow(data, t)[0], latest: startWindow(data, t)[1] };
    let last = data.startDepot[t];
    let dist = 0;
    let drive = 0;
    for (const v of nodes) {
      dist += data.dist[last * n + v];
      drive += data.dur[last * n + v];
      mergeInto(s, data.dur[last * n + v], data.service[v], 0, data.twStart[v], data.twEnd[v]);
      for (let d = 0; d < dims; d++) load[d] += data.demand[v * dims + d];
      last = v;
    }
    const end = data.endDepot[t];
    dist += data.dist[last * n + end];
    drive += data.dur[last * n + end];
    const [ee, el] = endWindow(data, t);
    mergeInto(s, data.dur[last * n + end], 0, 0, ee, el);
    return penalizedRouteCost(data, pen, t, nodes.length, dist, load, 0, s.duration, s.timeWarp, drive);
  }
}

import type { ProblemData } from '../model/problem.ts';
import { penalizedRouteCost } from './cost.ts';
import { Individual, type Penalties, type RouteOfIndividual } from './individual.ts';
import type { Rng } from './rng.ts';
import { endWindow, startWindow } from './schedule.ts';
import { mergeInto, type DurationSegment } from './segment.ts';

const EPS = 1e-7;

/**
 * Granular local search on array-based routes. Each route keeps prefix data (distance, reversed
 * distance, load, duration segment, driving, skills) and suffix data (duration segment, skills),
 * so that a candidate route made of a prefix, a few nodes and a suffix is costed in O(1).
 * Moves (U, V) with V among U's granular neighbours: relocate of 1 or 2 nodes (also reversed),
 * swaps 1-1, 2-1, 2-2, 2-opt, 2-opt* (both variants), plus SWAP* between route pairs, and
 * insertion / removal of optional clients.
 */
export class LocalSearch {
  private readonly n: number;
  private readonly dims: number;
  private readonly usesTime: boolean;
  private readonly R: number;
  private readonly slotType: Int32Array;
  private readonly nodes: Int32Array[] = [];
  private readonly len: Int32Array;
  private readonly rOf: Int32Array;
  private readonly pOf: Int32Array;
  private readonly cumDist: Float64Array[] = [];
  private readonly cumRev: Float64Array[] = [];
  private readonly cumLoad: Float64Array[] = [];
  private readonly cumDrive: Float64Array[] = [];
  private readonly preD: Float64Array[] = [];
  private readonly preTW: Float64Array[] = [];
  private readonly preE: Float64Array[] = [];
  private readonly preL: Float64Array[] = [];
  private readonly sufD: Float64Array[] = [];
  private readonly sufTW: Float64Array[] = [];
  private readonly sufE: Float64Array[] = [];
  private readonly sufL: Float64Array[] = [];
  private readonly preSkill: Int32Array[] = [];
  private readonly sufSkill: Int32Array[] = [];
  private readonly rCost: Float64Array;
  private readonly modifiedAt: Int32Array;
  private readonly lastTested: Int32Array;
  private readonly swapStarTested: Int32Array;
  private nbMoves = 0;
  private pen!: Penalties;
  private readonly neighbours: Int32Array[];
  private readonly order: Int32Array;
  private readonly startE: Float64Array;
  private readonly startL: Float64Array;
  private readonly endE: Float64Array;
  private readonly endL: Float64Array;
  // builder accumulator
  private aDist = 0;
  private aLast = 0;
  private aCount = 0;
  private aDrive = 0;
  private readonly aLoad: Float64Array;
  private readonly aSeg: DurationSegment = { duration: 0, timeWarp: 0, earliest: 0, latest: 0 };
  // SWAP* scratch
  private readonly bestInsCost: Float64Array;
  private readonly bestInsPos: Int32Array;
  private readonly sector: Float64Array;
  private readonly hasSector: Uint8Array;

  constructor(
    private readonly data: ProblemData,
    neighbours: Int32Array[],
    private readonly rng: Rng,
    private readonly useSwapStar: boolean,
    /** Vehicles available per type (default: the problem's counts; smaller during fleet minimisation). */
    counts: Int32Array = data.typeCount,
  ) {
    this.n = data.nNodes;
    this.dims = data.dims;
    this.usesTime = data.usesTime;
    const types: number[] = [];
    for (let t = 0; t < data.nTypes; t++) for (let k = 0; k < counts[t]; k++) types.push(t);
    this.R = types.length;
    this.slotType = Int32Array.from(types);
    this.len = new Int32Array(this.R);
    this.rOf = new Int32Array(this.n).fill(-1);
    this.pOf = new Int32Array(this.n);
    this.rCost = new Float64Array(this.R);
    this.modifiedAt = new Int32Array(this.R);
    this.lastTested = new Int32Array(this.n);
    this.swapStarTested = new Int32Array(this.R);
    this.aLoad = new Float64Array(this.dims);
    this.neighbours = [];
    for (let v = 0; v < data.nDepots; v++) this.neighbours.push(new Int32Array(0));
    for (const list of neighbours) this.neighbours.push(Int32Array.from(list));
    this.order = new Int32Array(data.nClients);
    for (let i = 0; i < data.nClients; i++) this.order[i] = data.nDepots + i;
    this.startE = new Float64Array(data.nTypes);
    this.startL = new Float64Array(data.nTypes);
    this.endE = new Float64Array(data.nTypes);
    this.endL = new Float64Array(data.nTypes);
    for (let t = 0; t < data.nTypes; t++) {
      [this.startE[t], this.startL[t]] = startWindow(data, t);
      [this.endE[t], this.endL[t]] = endWindow(data, t);
    }
    for (let r = 0; r < this.R; r++) this.allocate(r, 8);
    this.bestInsCost = new Float64Array(this.n * 3);
    this.bestInsPos = new Int32Array(this.n * 3);
    this.sector = new Float64Array(this.R * 2);
    this.hasSector = new Uint8Array(this.R);
  }

  private allocate(r: number, capacity: number): void {
    const size = capacity + 2;
    this.nodes[r] = new Int32Array(size);
    this.cumDist[r] = new Float64Array(size);
    this.cumRev[r] = new Float64Array(size);
    this.cumLoad[r] = new Float64Array(size * this.dims);
    this.preSkill[r] = new Int32Array(size);
    this.sufSkill[r] = new Int32Array(size);
    if (this.usesTime) {
      this.cumDrive[r] = new Float64Array(size);
      this.preD[r] = new Float64Array(size);
      this.preTW[r] = new Float64Array(size);
      this.preE[r] = new Float64Array(size);
      this.preL[r] = new Float64Array(size);
      this.sufD[r] = new Float64Array(size);
      this.sufTW[r] = new Float64Array(size);
      this.sufE[r] = new Float64Array(size);
      this.sufL[r] = new Float64Array(size);
    }
  }

  get slots(): number {
    return this.R;
  }

  /** Loads an individual, improves it with the given penalties and returns the result. */
  run(individual: Individual, pen: Penalties): Individual {
    this.load(individual, pen);
    this.search();
    return this.export(pen);
  }

  private load(individual: Individual, pen: Penalties): void {
    this.pen = pen;
    this.nbMoves = 0;
    this.rOf.fill(-1);
    this.modifiedAt.fill(0);
    this.lastTested.fill(-1);
    this.swapStarTested.fill(-1);
    const nextSlot = new Int32Array(this.data.nTypes).fill(-1);
    for (let r = this.R - 1; r >= 0; r--) nextSlot[this.slotType[r]] = r;
    const used = new Uint8Array(this.R);
    for (const route of individual.routes) {
      let r = nextSlot[route.type];
      while (r < this.R && (this.slotType[r] !== route.type || used[r])) r++;
      if (r >= this.R) throw new Error('more routes of a vehicle type than vehicles');
      used[r] = 1;
      nextSlot[route.type] = r + 1;
      this.setRoute(r, route.nodes);
    }
    for (let r = 0; r < this.R; r++) if (!used[r]) this.setRoute(r, []);
  }

  private export(pen: Penalties): Individual {
    const routes: RouteOfIndividual[] = [];
    const angles: number[] = [];
    const { data } = this;
    for (let r = 0; r < this.R; r++) {
      const L = this.len[r];
      if (L === 0) continue;
      routes.push({ type: this.slotType[r], nodes: this.nodes[r].slice(1, L + 1) });
      if (data.hasCoords) {
        const depot = data.startDepot[this.slotType[r]];
        let sx = 0;
        let sy = 0;
        for (let p = 1; p <= L; p++) {
          sx += data.x[this.nodes[r][p]];
          sy += data.y[this.nodes[r][p]];
        }
        angles.push(Math.atan2(sy / L - data.y[depot], sx / L - data.x[depot]));
      } else angles.push(routes.length);
    }
    const index = routes.map((_, i) => i).sort((a, b) => angles[a] - angles[b]);
    const unrouted: number[] = [];
    for (let v = data.nDepots; v < this.n; v++) if (this.rOf[v] < 0) unrouted.push(v);
    return new Individual(data, index.map((i) => routes[i]), Int32Array.from(unrouted), pen);
  }

  /** Writes the client sequence of route r and recomputes its prefix/suffix data. */
  private setRoute(r: number, clients: ArrayLike<number>): void {
    const L = clients.length;
    if (this.nodes[r].length < L + 2) this.allocate(r, Math.max(L, this.nodes[r].length * 2));
    const arr = this.nodes[r];
    for (let i = 0; i < L; i++) {
      const v = clients[i];
      arr[i + 1] = v;
      this.rOf[v] = r;
      this.pOf[v] = i + 1;
    }
    this.len[r] = L;
    this.update(r);
  }

  private update(r: number): void {
    const { data, n, dims } = this;
    const t = this.slotType[r];
    const arr = this.nodes[r];
    const L = this.len[r];
    arr[0] = data.startDepot[t];
    arr[L + 1] = data.endDepot[t];
    const cd = this.cumDist[r];
    const cr = this.cumRev[r];
    const cl = this.cumLoad[r];
    const ps = this.preSkill[r];
    const ss = this.sufSkill[r];
    const dist = data.dist;
    const demand = data.demand;
    const skill = data.skillMask;
    cd[0] = 0;
    cr[0] = 0;
    ps[0] = 0;
    for (let d = 0; d < dims; d++) cl[d] = 0;
    for (let p = 1; p <= L + 1; p++) {
      const prev = arr[p - 1];
      const v = arr[p];
      cd[p] = cd[p - 1] + dist[prev * n + v];
      cr[p] = cr[p - 1] + dist[v * n + prev];
      ps[p] = ps[p - 1] | skill[v];
      const o = p * dims;
      for (let d = 0; d < dims; d++) cl[o + d] = cl[o - dims + d] + (p <= L ? demand[v * dims + d] : 0);
    }
    ss[L + 1] = 0;
    for (let p = L; p >= 1; p--) ss[p] = ss[p + 1] | skill[arr[p]];
    if (this.usesTime) {
      const dur = data.dur;
      const D = this.preD[r];
      const TW = this.preTW[r];
      const E = this.preE[r];
      const Lt = this.preL[r];
      const dr = this.cumDrive[r];
      D[0] = 0;
      TW[0] = 0;
      E[0] = this.startE[t];
      Lt[0] = this.startL[t];
      dr[0] = 0;
      const s = this.aSeg;
      for (let p = 1; p <= L + 1; p++) {
        const prev = arr[p - 1];
        const v = arr[p];
        const travel = dur[prev * n + v];
        s.duration = D[p - 1];
        s.timeWarp = TW[p - 1];
        s.earliest = E[p - 1];
        s.latest = Lt[p - 1];
        if (p <= L) mergeInto(s, travel, data.service[v], 0, data.twStart[v], data.twEnd[v]);
        else mergeInto(s, travel, 0, 0, this.endE[t], this.endL[t]);
        D[p] = s.duration;
        TW[p] = s.timeWarp;
        E[p] = s.earliest;
        Lt[p] = s.latest;
        dr[p] = dr[p - 1] + travel;
      }
      const sD = this.sufD[r];
      const sTW = this.sufTW[r];
      const sE = this.sufE[r];
      const sL = this.sufL[r];
      for (let p = L; p >= 1; p--) {
        const v = arr[p];
        s.duration = data.service[v];
        s.timeWarp = 0;
        s.earliest = data.twStart[v];
        s.latest = data.twEnd[v];
        if (p < L) mergeInto(s, dur[v * n + arr[p + 1]], sD[p + 1], sTW[p + 1], sE[p + 1], sL[p + 1]);
        sD[p] = s.duration;
        sTW[p] = s.timeWarp;
        sE[p] = s.earliest;
        sL[p] = s.latest;
      }
      this.rCost[r] = this.routeCost(t, L, cd[L + 1], cl, (L + 1) * dims, D[L + 1], TW[L + 1], dr[L + 1]);
    } else {
      this.rCost[r] = this.routeCost(t, L, cd[L + 1], cl, (L + 1) * dims, 0, 0, 0);
    }
  }

  // ---- candidate-route builder -------------------------------------------------------------

  private bPrefix(r: number, p: number): void {
    this.aLast = this.nodes[r][p];
    this.aDist = this.cumDist[r][p];
    this.aCount = p;
    const cl = this.cumLoad[r];
    for (let d = 0; d < this.dims; d++) this.aLoad[d] = cl[p * this.dims + d];
    if (this.usesTime) {
      const s = this.aSeg;
      s.duration = this.preD[r][p];
      s.timeWarp = this.preTW[r][p];
      s.earliest = this.preE[r][p];
      s.latest = this.preL[r][p];
      this.aDrive = this.cumDrive[r][p];
    }
  }

  private bNode(v: number): void {
    const { data, n, dims } = this;
    const k = this.aLast * n + v;
    this.aDist += data.dist[k];
    for (let d = 0; d < dims; d++) this.aLoad[d] += data.demand[v * dims + d];
    if (this.usesTime) {
      const travel = data.dur[k];
      mergeInto(this.aSeg, travel, data.service[v], 0, data.twStart[v], data.twEnd[v]);
      this.aDrive += travel;
    }
    this.aLast = v;
    this.aCount++;
  }

  /** Appends positions p..len of route r (clients only). */
  private bSuffix(r: number, p: number): void {
    const L = this.len[r];
    if (p > L) return;
    const { data, n, dims } = this;
    const arr = this.nodes[r];
    const v = arr[p];
    const k = this.aLast * n + v;
    const cd = this.cumDist[r];
    this.aDist += data.dist[k] + cd[L] - cd[p];
    const cl = this.cumLoad[r];
    for (let d = 0; d < dims; d++) this.aLoad[d] += cl[L * dims + d] - cl[(p - 1) * dims + d];
    if (this.usesTime) {
      const travel = data.dur[k];
      mergeInto(this.aSeg, travel, this.sufD[r][p], this.sufTW[r][p], this.sufE[r][p], this.sufL[r][p]);
      this.aDrive += travel + this.cumDrive[r][L] - this.cumDrive[r][p];
    }
    this.aLast = arr[L];
    this.aCount += L - p + 1;
  }

  /** Appends positions i..j (i ≤ j) of route r, forward. */
  private bSegment(r: number, i: number, j: number): void {
    if (i > j) return;
    const arr = this.nodes[r];
    if (this.usesTime) {
      for (let p = i; p <= j; p++) this.bNode(arr[p]);
      return;
    }
    const { data, n, dims } = this;
    const cd = this.cumDist[r];
    this.aDist += data.dist[this.aLast * n + arr[i]] + cd[j] - cd[i];
    const cl = this.cumLoad[r];
    for (let d = 0; d < dims; d++) this.aLoad[d] += cl[j * dims + d] - cl[(i - 1) * dims + d];
    this.aLast = arr[j];
    this.aCount += j - i + 1;
  }

  /** Appends positions j down to i (i ≤ j) of route r. */
  private bSegmentRev(r: number, i: number, j: number): void {
    if (i > j) return;
    const arr = this.nodes[r];
    if (this.usesTime) {
      for (let p = j; p >= i; p--) this.bNode(arr[p]);
      return;
    }
    const { data, n, dims } = this;
    const cr = this.cumRev[r];
    this.aDist += data.dist[this.aLast * n + arr[j]] + cr[j] - cr[i];
    const cl = this.cumLoad[r];
    for (let d = 0; d < dims; d++) this.aLoad[d] += cl[j * dims + d] - cl[(i - 1) * dims + d];
    this.aLast = arr[i];
    this.aCount += j - i + 1;
  }

  private bFinish(t: number): number {
    if (this.aCount === 0) return 0;
    const { data, n } = this;
    const end = data.endDepot[t];
    const k = this.aLast * n + end;
    const distance = this.aDist + data.dist[k];
    if (this.usesTime) {
      const travel = data.dur[k];
      mergeInto(this.aSeg, travel, 0, 0, this.endE[t], this.endL[t]);
      return this.routeCost(t, this.aCount, distance, this.aLoad, 0, this.aSeg.duration, this.aSeg.timeWarp, this.aDrive + travel);
    }
    return this.routeCost(t, this.aCount, distance, this.aLoad, 0, 0, 0, 0);
  }

  /** Penalised cost of a route of type t with the current penalties (see cost.ts). */
  private routeCost(t: number, clients: number, distance: number, load: Float64Array, loadOffset: number, duration: number, timeWarp: number, driving: number): number {
    return penalizedRouteCost(this.data, this.pen, t, clients, distance, load, loadOffset, duration, timeWarp, driving);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private d(a: number, b: number): number {
    return this.data.dist[a * this.n + b];
  }

  private fits(skillMask: number, r: number): boolean {
    return (skillMask & ~this.data.typeSkillMask[this.slotType[r]]) === 0;
  }

  /** Lower bound of the cost of route r after its distance changes by `delta` (no penalties). */
  private lb(r: number, delta: number, emptied: boolean): number {
    if (emptied) return 0;
    const t = this.slotType[r];
    return this.data.fixedCost[t] + this.data.costPerDistance[t] * (this.cumDist[r][this.len[r] + 1] + delta);
  }

  private clients(r: number): number[] {
    return Array.from(this.nodes[r].subarray(1, this.len[r] + 1));
  }

  private commit(r: number, list: number[]): void {
    this.setRoute(r, list);
    this.modifiedAt[r] = ++this.nbMoves;
  }

  // ---- main loop ---------------------------------------------------------------------------

  private search(): void {
    const { data, rng } = this;
    rng.shuffle(this.order);
    for (let v = data.nDepots; v < this.n; v++) rng.shuffle(this.neighbours[v]);
    let completed = false;
    for (let loop = 0; !completed; loop++) {
      if (loop > 1) completed = true;
      for (let oi = 0; oi < this.order.length; oi++) {
        const U = this.order[oi];
        const lastTest = this.lastTested[U];
        this.lastTested[U] = this.nbMoves;
        if (this.rOf[U] < 0) {
          if (this.tryInsertOptional(U)) completed = false;
          continue;
        }
        if (!data.required[U] && this.tryRemoveOptional(U)) {
          completed = false;
          continue;
        }
        const nb = this.neighbours[U];
        for (let k = 0; k < nb.length; k++) {
          const V = nb[k];
          const rv = this.rOf[V];
          if (rv < 0) continue;
          const ru = this.rOf[U];
          if (loop > 0 && Math.max(this.modifiedAt[ru], this.modifiedAt[rv]) <= lastTest) continue;
          if (this.tryMoves(U, V)) {
            completed = false;
            continue;
          }
          if (this.pOf[V] === 1 && this.rOf[U] !== rv) {
            if (this.tryDepotMoves(U, rv)) completed = false;
          }
        }
        if (loop > 0 && this.rOf[U] >= 0) {
          if (this.tryEmptyRoute(U)) completed = false;
        }
      }
      if (this.useSwapStar && !this.usesTime) {
        if (this.swapStarPass()) completed = false;
      }
    }
  }

  private tryMoves(U: number, V: number): boolean {
    const ru = this.rOf[U];
    const rv = this.rOf[V];
    const pu = this.pOf[U];
    const pv = this.pOf[V];
    if (ru === rv) {
      return this.intraRelocate(ru, pu, pv) || this.intraRelocatePair(ru, pu, pv, false) || this.intraRelocatePair(ru, pu, pv, true) || this.intraSwap(ru, pu, pv) || this.twoOpt(ru, pu, pv);
    }
    return (
      this.relocate(ru, pu, rv, pv) ||
      this.relocatePair(ru, pu, rv, pv, false) ||
      this.relocatePair(ru, pu, rv, pv, true) ||
      this.swap(ru, pu, rv, pv) ||
      this.swapPairSingle(ru, pu, rv, pv) ||
      this.swapPairSingle(rv, pv, ru, pu) ||
      this.swapPairPair(ru, pu, rv, pv) ||
      this.twoOptStar(ru, pu, rv, pv) ||
      this.twoOptStarReversed(ru, pu, rv, pv)
    );
  }

  /** Moves with V replaced by the start depot of V's route (inserting at its front). */
  private tryDepotMoves(U: number, rv: number): boolean {
    const ru = this.rOf[U];
    const pu = this.pOf[U];
    return this.relocate(ru, pu, rv, 0) || this.relocatePair(ru, pu, rv, 0, false) || this.relocatePair(ru, pu, rv, 0, true) || this.twoOptStar(ru, pu, rv, 0) || this.twoOptStarReversed(ru, pu, rv, 0);
  }

  private tryEmptyRoute(U: number): boolean {
    const seen = new Set<number>();
    for (let r = 0; r < this.R; r++) {
      if (this.len[r] !== 0) continue;
      const t = this.slotType[r];
      if (seen.has(t)) continue;
      seen.add(t);
      if (this.relocate(this.rOf[U], this.pOf[U], r, 0)) return true;
    }
    return false;
  }

  // ---- inter-route moves -------------------------------------------------------------------

  /** Relocate U (ru, pu) after position pv of route rv. */
  private relocate(ru: number, pu: number, rv: number, pv: number): boolean {
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    if (!this.fits(this.data.skillMask[U], rv)) return false;
    const p = au[pu - 1];
    const x = au[pu + 1];
    const v = av[pv];
    const y = av[pv + 1];
    const dU = this.d(p, x) - this.d(p, U) - this.d(U, x);
    const dV = this.d(v, U) + this.d(U, y) - this.d(v, y);
    const emptied = this.len[ru] === 1;
    if (this.lb(ru, dU, emptied) + this.lb(rv, dV, false) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu - 1);
    this.bSuffix(ru, pu + 1);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv);
    this.bNode(U);
    this.bSuffix(rv, pv + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    lu.splice(pu - 1, 1);
    const lv = this.clients(rv);
    lv.splice(pv, 0, U);
    this.commit(ru, lu);
    this.commit(rv, lv);
    return true;
  }

  /** Relocate (U, X) — or (X, U) when reversed — after position pv of route rv. */
  private relocatePair(ru: number, pu: number, rv: number, pv: number, reversed: boolean): boolean {
    if (pu + 1 > this.len[ru]) return false;
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const X = au[pu + 1];
    const sk = this.data.skillMask[U] | this.data.skillMask[X];
    if (!this.fits(sk, rv)) return false;
    const p = au[pu - 1];
    const x = au[pu + 2];
    const v = av[pv];
    const y = av[pv + 1];
    const first = reversed ? X : U;
    const last = reversed ? U : X;
    const dU = this.d(p, x) - this.d(p, U) - this.d(U, X) - this.d(X, x);
    const dV = this.d(v, first) + this.d(first, last) + this.d(last, y) - this.d(v, y);
    const emptied = this.len[ru] === 2;
    if (this.lb(ru, dU, emptied) + this.lb(rv, dV, false) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu - 1);
    this.bSuffix(ru, pu + 2);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv);
    this.bNode(first);
    this.bNode(last);
    this.bSuffix(rv, pv + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    lu.splice(pu - 1, 2);
    const lv = this.clients(rv);
    lv.splice(pv, 0, first, last);
    this.commit(ru, lu);
    this.commit(rv, lv);
    return true;
  }

  private swap(ru: number, pu: number, rv: number, pv: number): boolean {
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const V = av[pv];
    const sk = this.data.skillMask;
    if (!this.fits(sk[V], ru) || !this.fits(sk[U], rv)) return false;
    const pU = au[pu - 1];
    const xU = au[pu + 1];
    const pV = av[pv - 1];
    const xV = av[pv + 1];
    const dU = this.d(pU, V) + this.d(V, xU) - this.d(pU, U) - this.d(U, xU);
    const dV = this.d(pV, U) + this.d(U, xV) - this.d(pV, V) - this.d(V, xV);
    if (this.lb(ru, dU, false) + this.lb(rv, dV, false) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu - 1);
    this.bNode(V);
    this.bSuffix(ru, pu + 1);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv - 1);
    this.bNode(U);
    this.bSuffix(rv, pv + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    lu[pu - 1] = V;
    const lv = this.clients(rv);
    lv[pv - 1] = U;
    this.commit(ru, lu);
    this.commit(rv, lv);
    return true;
  }

  /** Swap (U, X) of route ru with V of route rv. */
  private swapPairSingle(ru: number, pu: number, rv: number, pv: number): boolean {
    if (pu + 1 > this.len[ru]) return false;
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const X = au[pu + 1];
    const V = av[pv];
    const sk = this.data.skillMask;
    if (!this.fits(sk[V], ru) || !this.fits(sk[U] | sk[X], rv)) return false;
    const pU = au[pu - 1];
    const xX = au[pu + 2];
    const pV = av[pv - 1];
    const xV = av[pv + 1];
    const dU = this.d(pU, V) + this.d(V, xX) - this.d(pU, U) - this.d(U, X) - this.d(X, xX);
    const dV = this.d(pV, U) + this.d(U, X) + this.d(X, xV) - this.d(pV, V) - this.d(V, xV);
    if (this.lb(ru, dU, false) + this.lb(rv, dV, false) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu - 1);
    this.bNode(V);
    this.bSuffix(ru, pu + 2);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv - 1);
    this.bNode(U);
    this.bNode(X);
    this.bSuffix(rv, pv + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    lu.splice(pu - 1, 2, V);
    const lv = this.clients(rv);
    lv.splice(pv - 1, 1, U, X);
    this.commit(ru, lu);
    this.commit(rv, lv);
    return true;
  }

  private swapPairPair(ru: number, pu: number, rv: number, pv: number): boolean {
    if (pu + 1 > this.len[ru] || pv + 1 > this.len[rv]) return false;
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const X = au[pu + 1];
    const V = av[pv];
    const Y = av[pv + 1];
    const sk = this.data.skillMask;
    if (!this.fits(sk[V] | sk[Y], ru) || !this.fits(sk[U] | sk[X], rv)) return false;
    const pU = au[pu - 1];
    const xX = au[pu + 2];
    const pV = av[pv - 1];
    const xY = av[pv + 2];
    const dU = this.d(pU, V) + this.d(V, Y) + this.d(Y, xX) - this.d(pU, U) - this.d(U, X) - this.d(X, xX);
    const dV = this.d(pV, U) + this.d(U, X) + this.d(X, xY) - this.d(pV, V) - this.d(V, Y) - this.d(Y, xY);
    if (this.lb(ru, dU, false) + this.lb(rv, dV, false) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu - 1);
    this.bNode(V);
    this.bNode(Y);
    this.bSuffix(ru, pu + 2);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv - 1);
    this.bNode(U);
    this.bNode(X);
    this.bSuffix(rv, pv + 2);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    lu.splice(pu - 1, 2, V, Y);
    const lv = this.clients(rv);
    lv.splice(pv - 1, 2, U, X);
    this.commit(ru, lu);
    this.commit(rv, lv);
    return true;
  }

  /** 2-opt*: ru keeps its prefix up to U and takes rv's tail after V, and vice versa. */
  private twoOptStar(ru: number, pu: number, rv: number, pv: number): boolean {
    if (!this.fits(this.sufSkill[rv][pv + 1], ru) || !this.fits(this.sufSkill[ru][pu + 1], rv)) return false;
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const X = au[pu + 1];
    const V = av[pv];
    const Y = av[pv + 1];
    const Lu = this.len[ru];
    const Lv = this.len[rv];
    const endU = au[Lu + 1];
    const endV = av[Lv + 1];
    // distances of the tails measured to their new end depots
    const tailU = pu + 1 <= Lu ? this.cumDist[ru][Lu] - this.cumDist[ru][pu + 1] + this.d(au[Lu], endV) : 0;
    const tailV = pv + 1 <= Lv ? this.cumDist[rv][Lv] - this.cumDist[rv][pv + 1] + this.d(av[Lv], endU) : 0;
    const newU = this.cumDist[ru][pu] + (pv + 1 <= Lv ? this.d(U, Y) + tailV : this.d(U, endU));
    const newV = this.cumDist[rv][pv] + (pu + 1 <= Lu ? this.d(V, X) + tailU : this.d(V, endV));
    const emptiedU = pu === 0 && pv + 1 > Lv;
    const emptiedV = pv === 0 && pu + 1 > Lu;
    const lbU = emptiedU ? 0 : this.lb(ru, newU - this.cumDist[ru][Lu + 1], false);
    const lbV = emptiedV ? 0 : this.lb(rv, newV - this.cumDist[rv][Lv + 1], false);
    if (lbU + lbV - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu);
    this.bSuffix(rv, pv + 1);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, pv);
    this.bSuffix(ru, pu + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    const lv = this.clients(rv);
    const nu = lu.slice(0, pu).concat(lv.slice(pv));
    const nv = lv.slice(0, pv).concat(lu.slice(pu));
    this.commit(ru, nu);
    this.commit(rv, nv);
    return true;
  }

  /** 2-opt* variant: ru = prefix to U + reversed head of rv (V..first); rv = reversed tail of ru + tail after V. */
  private twoOptStarReversed(ru: number, pu: number, rv: number, pv: number): boolean {
    if (this.usesTime || pv === 0) return false;
    if (!this.fits(this.preSkill[rv][pv], ru) || !this.fits(this.sufSkill[ru][pu + 1], rv)) return false;
    const au = this.nodes[ru];
    const av = this.nodes[rv];
    const U = au[pu];
    const X = au[pu + 1];
    const V = av[pv];
    const Y = av[pv + 1];
    const Lu = this.len[ru];
    const Lv = this.len[rv];
    // new ru: start..U, V..av[1], endU ; new rv: startV, au[Lu]..X, Y..endV
    const du =
      this.cumDist[ru][pu] + this.d(U, V) + (this.cumRev[rv][pv] - this.cumRev[rv][1]) + this.d(av[1], au[Lu + 1]) - this.cumDist[ru][Lu + 1];
    let dv: number;
    if (pu + 1 <= Lu) {
      dv = this.d(av[0], au[Lu]) + (this.cumRev[ru][Lu] - this.cumRev[ru][pu + 1]) + this.d(X, Y) + (this.cumDist[rv][Lv + 1] - this.cumDist[rv][pv + 1]);
    } else {
      dv = this.d(av[0], Y) + (this.cumDist[rv][Lv + 1] - this.cumDist[rv][pv + 1]);
    }
    dv -= this.cumDist[rv][Lv + 1];
    const emptiedV = pu + 1 > Lu && pv + 1 > Lv;
    if (this.lb(ru, du, false) + this.lb(rv, dv, emptiedV) - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    this.bPrefix(ru, pu);
    this.bSegmentRev(rv, 1, pv);
    const cu = this.bFinish(this.slotType[ru]);
    this.bPrefix(rv, 0);
    this.bSegmentRev(ru, pu + 1, Lu);
    this.bSuffix(rv, pv + 1);
    const cv = this.bFinish(this.slotType[rv]);
    if (cu + cv - this.rCost[ru] - this.rCost[rv] > -EPS) return false;
    const lu = this.clients(ru);
    const lv = this.clients(rv);
    const nu = lu.slice(0, pu).concat(lv.slice(0, pv).reverse());
    const nv = lu.slice(pu).reverse().concat(lv.slice(pv));
    this.commit(ru, nu);
    this.commit(rv, nv);
    return true;
  }

  // ---- intra-route moves -------------------------------------------------------------------

  private intraRelocate(r: number, pu: number, pv: number): boolean {
    if (pv === pu - 1 || pv === pu) return false;
    const a = this.nodes[r];
    const U = a[pu];
    const delta = this.d(a[pu - 1], a[pu + 1]) - this.d(a[pu - 1], U) - this.d(U, a[pu + 1]) + this.d(a[pv], U) + this.d(U, a[pv + 1]) - this.d(a[pv], a[pv + 1]);
    if (this.lb(r, delta, false) - this.rCost[r] > -EPS) return false;
    if (pv < pu) {
      this.bPrefix(r, pv);
      this.bNode(U);
      this.bSegment(r, pv + 1, pu - 1);
      this.bSuffix(r, pu + 1);
    } else {
      this.bPrefix(r, pu - 1);
      this.bSegment(r, pu + 1, pv);
      this.bNode(U);
      this.bSuffix(r, pv + 1);
    }
    if (this.bFinish(this.slotType[r]) - this.rCost[r] > -EPS) return false;
    const list = this.clients(r);
    list.splice(pu - 1, 1);
    list.splice(pv < pu ? pv : pv - 1, 0, U);
    this.commit(r, list);
    return true;
  }

  private intraRelocatePair(r: number, pu: number, pv: number, reversed: boolean): boolean {
    const L = this.len[r];
    if (pu + 1 > L || pv === pu || pv === pu + 1 || (pv === pu - 1 && !reversed)) return false;
    const a = this.nodes[r];
    const U = a[pu];
    const X = a[pu + 1];
    const first = reversed ? X : U;
    const last = reversed ? U : X;
    if (pv === pu - 1) {
      // reversing the pair in place
      const delta = this.d(a[pu - 1], X) + this.d(X, U) + this.d(U, a[pu + 2]) - this.d(a[pu - 1], U) - this.d(U, X) - this.d(X, a[pu + 2]);
      if (this.lb(r, delta, false) - this.rCost[r] > -EPS) return false;
      this.bPrefix(r, pu - 1);
      this.bNode(X);
      this.bNode(U);
      this.bSuffix(r, pu + 2);
    } else {
      const delta =
        this.d(a[pu - 1], a[pu + 2]) - this.d(a[pu - 1], U) - this.d(U, X) - this.d(X, a[pu + 2]) + this.d(a[pv], first) + this.d(first, last) + this.d(last, a[pv + 1]) - this.d(a[pv], a[pv + 1]);
      if (this.lb(r, delta, false) - this.rCost[r] > -EPS) return false;
      if (pv < pu) {
        this.bPrefix(r, pv);
        this.bNode(first);
        this.bNode(last);
        this.bSegment(r, pv + 1, pu - 1);
        this.bSuffix(r, pu + 2);
      } else {
        this.bPrefix(r, pu - 1);
        this.bSegment(r, pu + 2, pv);
        this.bNode(first);
        this.bNode(last);
        this.bSuffix(r, pv + 1);
      }
    }
    if (this.bFinish(this.slotType[r]) - this.rCost[r] > -EPS) return false;
    const list = this.clients(r);
    list.splice(pu - 1, 2);
    const at = pv < pu ? pv : pv - 2;
    list.splice(at, 0, first, last);
    this.commit(r, list);
    return true;
  }

  private intraSwap(r: number, pu: number, pv: number): boolean {
    if (Math.abs(pu - pv) < 2) return false;
    const i = Math.min(pu, pv);
    const j = Math.max(pu, pv);
    const a = this.nodes[r];
    const A = a[i];
    const B = a[j];
    const delta =
      this.d(a[i - 1], B) + this.d(B, a[i + 1]) + this.d(a[j - 1], A) + this.d(A, a[j + 1]) - this.d(a[i - 1], A) - this.d(A, a[i + 1]) - this.d(a[j - 1], B) - this.d(B, a[j + 1]);
    if (this.lb(r, delta, false) - this.rCost[r] > -EPS) return false;
    this.bPrefix(r, i - 1);
    this.bNode(B);
    this.bSegment(r, i + 1, j - 1);
    this.bNode(A);
    this.bSuffix(r, j + 1);
    if (this.bFinish(this.slotType[r]) - this.rCost[r] > -EPS) return false;
    const list = this.clients(r);
    list[i - 1] = B;
    list[j - 1] = A;
    this.commit(r, list);
    return true;
  }

  /** 2-opt: reverse the part between U's successor and V (pu < pv). */
  private twoOpt(r: number, pu: number, pv: number): boolean {
    if (pv <= pu + 1) return false;
    const a = this.nodes[r];
    const U = a[pu];
    const X = a[pu + 1];
    const V = a[pv];
    const Y = a[pv + 1];
    const delta = this.d(U, V) + this.d(X, Y) - this.d(U, X) - this.d(V, Y) + (this.cumRev[r][pv] - this.cumRev[r][pu + 1]) - (this.cumDist[r][pv] - this.cumDist[r][pu + 1]);
    if (this.lb(r, delta, false) - this.rCost[r] > -EPS) return false;
    this.bPrefix(r, pu);
    this.bSegmentRev(r, pu + 1, pv);
    this.bSuffix(r, pv + 1);
    if (this.bFinish(this.slotType[r]) - this.rCost[r] > -EPS) return false;
    const list = this.clients(r);
    const mid = list.slice(pu, pv).reverse();
    list.splice(pu, pv - pu, ...mid);
    this.commit(r, list);
    return true;
  }

  // ---- optional clients (prize collecting) --------------------------------------------------

  private tryRemoveOptional(U: number): boolean {
    const r = this.rOf[U];
    const p = this.pOf[U];
    this.bPrefix(r, p - 1);
    this.bSuffix(r, p + 1);
    const c = this.bFinish(this.slotType[r]);
    if (c - this.rCost[r] + this.data.prize[U] > -EPS) return false;
    const list = this.clients(r);
    list.splice(p - 1, 1);
    this.commit(r, list);
    this.rOf[U] = -1;
    return true;
  }

  private tryInsertOptional(U: number): boolean {
    let best = -this.data.prize[U] - EPS;
    let bestR = -1;
    let bestP = -1;
    const consider = (r: number, p: number): void => {
      if (!this.fits(this.data.skillMask[U], r)) return;
      this.bPrefix(r, p);
      this.bNode(U);
      this.bSuffix(r, p + 1);
      const delta = this.bFinish(this.slotType[r]) - this.rCost[r];
      if (delta < best) {
        best = delta;
        bestR = r;
        bestP = p;
      }
    };
    const nb = this.neighbours[U];
    for (let k = 0; k < nb.length; k++) {
      const V = nb[k];
      const r = this.rOf[V];
      if (r < 0) continue;
      consider(r, this.pOf[V]);
      if (this.pOf[V] === 1) consider(r, 0);
    }
    const seen = new Set<number>();
    for (let r = 0; r < this.R; r++) {
      if (this.len[r] !== 0 || seen.has(this.slotType[r])) continue;
      seen.add(this.slotType[r]);
      consider(r, 0);
    }
    if (bestR < 0) return false;
    const list = this.clients(bestR);
    list.splice(bestP, 0, U);
    this.commit(bestR, list);
    return true;
  }

  // ---- SWAP* (Vidal 2022): exchange U and V between two routes, each inserted at its best place

  private swapStarPass(): boolean {
    const { data } = this;
    let improved = false;
    if (data.hasCoords) this.computeSectors();
    for (let r1 = 0; r1 < this.R; r1++) {
      if (this.len[r1] === 0) continue;
      for (let r2 = r1 + 1; r2 < this.R; r2++) {
        if (this.len[r2] === 0 || this.len[r1] === 0) continue;
        const last = Math.max(this.modifiedAt[r1], this.modifiedAt[r2]);
        if (this.swapStarTested[r1] >= last && this.swapStarTested[r2] >= last && last > 0) continue;
        if (data.hasCoords && !this.sectorsOverlap(r1, r2)) continue;
        if (this.swapStar(r1, r2)) improved = true;
      }
      this.swapStarTested[r1] = this.nbMoves;
    }
    return improved;
  }

  private computeSectors(): void {
    const { data } = this;
    for (let r = 0; r < this.R; r++) {
      const L = this.len[r];
      this.hasSector[r] = 0;
      if (L === 0) continue;
      const depot = data.startDepot[this.slotType[r]];
      const a = this.nodes[r];
      // smallest arc containing all client angles: start from first angle and extend
      let start = Math.atan2(data.y[a[1]] - data.y[depot], data.x[a[1]] - data.x[depot]);
      let width = 0;
      for (let p = 2; p <= L; p++) {
        const ang = Math.atan2(data.y[a[p]] - data.y[depot], data.x[a[p]] - data.x[depot]);
        let rel = ang - start;
        while (rel < 0) rel += 2 * Math.PI;
        if (rel <= width) continue;
        // extend either forward (to rel) or backward (start moves back)
        const backward = 2 * Math.PI - rel;
        if (rel - width <= backward) width = rel;
        else {
          start = ang;
          width += backward;
        }
      }
      this.sector[2 * r] = start;
      this.sector[2 * r + 1] = Math.min(width, 2 * Math.PI);
      this.hasSector[r] = 1;
    }
  }

  private sectorsOverlap(r1: number, r2: number): boolean {
    const s1 = this.sector[2 * r1];
    const w1 = this.sector[2 * r1 + 1];
    const s2 = this.sector[2 * r2];
    const w2 = this.sector[2 * r2 + 1];
    let rel = s2 - s1;
    while (rel < 0) rel += 2 * Math.PI;
    while (rel >= 2 * Math.PI) rel -= 2 * Math.PI;
    return rel <= w1 + 1e-9 || 2 * Math.PI - rel <= w2 + 1e-9;
  }

  /** Top-3 insertion positions (after position p) of node U into route r, by distance. */
  private preprocessInsertions(U: number, r: number): void {
    const a = this.nodes[r];
    const L = this.len[r];
    const base = U * 3;
    this.bestInsCost[base] = this.bestInsCost[base + 1] = this.bestInsCost[base + 2] = Number.POSITIVE_INFINITY;
    this.bestInsPos[base] = this.bestInsPos[base + 1] = this.bestInsPos[base + 2] = -1;
    for (let p = 0; p <= L; p++) {
      const c = this.d(a[p], U) + this.d(U, a[p + 1]) - this.d(a[p], a[p + 1]);
      if (c < this.bestInsCost[base + 2]) {
        if (c < this.bestInsCost[base + 1]) {
          this.bestInsCost[base + 2] = this.bestInsCost[base + 1];
          this.bestInsPos[base + 2] = this.bestInsPos[base + 1];
          if (c < this.bestInsCost[base]) {
            this.bestInsCost[base + 1] = this.bestInsCost[base];
            this.bestInsPos[base + 1] = this.bestInsPos[base];
            this.bestInsCost[base] = c;
            this.bestInsPos[base] = p;
          } else {
            this.bestInsCost[base + 1] = c;
            this.bestInsPos[base + 1] = p;
          }
        } else {
          this.bestInsCost[base + 2] = c;
          this.bestInsPos[base + 2] = p;
        }
      }
    }
  }

  /** Cheapest insertion of U into the route of V (position pv) when V is removed. Returns [cost, position after which U goes]. */
  private insertWithRemoval(U: number, r: number, pv: number): [number, number] {
    const a = this.nodes[r];
    const base = U * 3;
    // in V's place
    let best = this.d(a[pv - 1], U) + this.d(U, a[pv + 1]) - this.d(a[pv - 1], a[pv + 1]);
    let pos = pv - 1;
    for (let k = 0; k < 3; k++) {
      const p = this.bestInsPos[base + k];
      if (p < 0) break;
      if (p === pv - 1 || p === pv) continue;
      if (this.bestInsCost[base + k] < best) {
        best = this.bestInsCost[base + k];
        pos = p;
      }
      break;
    }
    return [best, pos];
  }

  private swapStar(r1: number, r2: number): boolean {
    const { data, dims } = this;
    const a1 = this.nodes[r1];
    const a2 = this.nodes[r2];
    const L1 = this.len[r1];
    const L2 = this.len[r2];
    const t1 = this.slotType[r1];
    const t2 = this.slotType[r2];
    const c1 = data.costPerDistance[t1];
    const c2 = data.costPerDistance[t2];
    for (let p = 1; p <= L1; p++) this.preprocessInsertions(a1[p], r2);
    for (let p = 1; p <= L2; p++) this.preprocessInsertions(a2[p], r1);
    const load1 = this.cumLoad[r1];
    const load2 = this.cumLoad[r2];
    const o1 = (L1 + 1) * dims;
    const o2 = (L2 + 1) * dims;
    const pen1 = this.loadPenalty(t1, load1, o1, -1, -1);
    const pen2 = this.loadPenalty(t2, load2, o2, -1, -1);
    let best = -EPS;
    let bU = -1;
    let bV = -1;
    let bPosU = -1;
    let bPosV = -1;
    for (let pu = 1; pu <= L1; pu++) {
      const U = a1[pu];
      if (!this.fits(data.skillMask[U], r2)) continue;
      const remU = this.d(a1[pu - 1], a1[pu + 1]) - this.d(a1[pu - 1], U) - this.d(U, a1[pu + 1]);
      for (let pv = 1; pv <= L2; pv++) {
        const V = a2[pv];
        if (!this.fits(data.skillMask[V], r1)) continue;
        const remV = this.d(a2[pv - 1], a2[pv + 1]) - this.d(a2[pv - 1], V) - this.d(V, a2[pv + 1]);
        const dPen1 = this.loadPenalty(t1, load1, o1, V, U) - pen1;
        const dPen2 = this.loadPenalty(t2, load2, o2, U, V) - pen2;
        const partial = c1 * remU + c2 * remV + dPen1 + dPen2;
        if (partial >= 0) continue;
        const [insV, posV] = this.insertWithRemoval(V, r1, pu);
        const [insU, posU] = this.insertWithRemoval(U, r2, pv);
        const total = partial + c1 * insV + c2 * insU;
        if (total < best) {
          best = total;
          bU = pu;
          bV = pv;
          bPosU = posU;
          bPosV = posV;
        }
      }
    }
    if (bU < 0) return false;
    // exact check of both new routes before applying
    const l1 = this.clients(r1);
    const l2 = this.clients(r2);
    const U = a1[bU];
    const V = a2[bV];
    const n1 = insertReplacing(l1, bU, V, bPosV);
    const n2 = insertReplacing(l2, bV, U, bPosU);
    const cost1 = this.costOfList(t1, n1);
    const cost2 = this.costOfList(t2, n2);
    if (cost1 + cost2 - this.rCost[r1] - this.rCost[r2] > -EPS) return false;
    this.commit(r1, n1);
    this.commit(r2, n2);
    return true;
  }

  private loadPenalty(t: number, load: Float64Array, offset: number, add: number, remove: number): number {
    const { data, dims } = this;
    let pen = 0;
    for (let d = 0; d < dims; d++) {
      let q = load[offset + d];
      if (add >= 0) q += data.demand[add * dims + d];
      if (remove >= 0) q -= data.demand[remove * dims + d];
      const excess = q - data.capacity[t * dims + d];
      if (excess > 0) pen += this.pen.load[d] * excess;
    }
    return pen;
  }

  private costOfList(t: number, list: number[]): number {
    const { data } = this;
    this.aLast = data.startDepot[t];
    this.aDist = 0;
    this.aCount = 0;
    this.aDrive = 0;
    this.aLoad.fill(0);
    const s = this.aSeg;
    s.duration = 0;
    s.timeWarp = 0;
    s.earliest = this.startE[t];
    s.latest = this.startL[t];
    for (const v of list) this.bNode(v);
    return this.bFinish(t);
  }
}

/** Removes the node at position `removePos` (1-based) and inserts `node` after position `afterPos` of the original route. */
function insertReplacing(list: number[], removePos: number, node: number, afterPos: number): number[] {
  const result: number[] = [];
  if (afterPos === 0) result.push(node);
  for (let p = 1; p <= list.length; p++) {
    if (p !== removePos) result.push(list[p - 1]);
    if (p === afterPos) result.push(node);
  }
  return result;
}

import type { ProblemInput } from './types.ts';

/** Thrown when a problem description is inconsistent (caller's data error, actionable message). */
export class ProblemDataError extends Error {
  override name = 'ProblemDataError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SKILLS = 30;

function nint(value: number): number {
  return Math.floor(value + 0.5);
}

/**
 * Immutable, search-ready problem data: flat typed arrays indexed by node (depots first, then
 * clients) and by vehicle type. Built once from a {@link ProblemInput}; never mutated.
 */
export class ProblemData {
  readonly name: string;
  readonly input: ProblemInput;
  readonly dims: number;
  readonly dimensionNames: readonly string[];
  readonly nDepots: number;
  readonly nClients: number;
  readonly nNodes: number;
  readonly nTypes: number;
  readonly dist: Float64Array;
  readonly dur: Float64Array;
  readonly hasCoords: boolean;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** demand[node * dims + d] (zero for depots). */
  readonly demand: Float64Array;
  readonly service: Float64Array;
  /** Hull of each node's time windows (the search's view of a client with several windows). */
  readonly twStart: Float64Array;
  readonly twEnd: Float64Array;
  /** All windows of node i are twList[twOffset[i]..twOffset[i+1]) as (start, end) pairs. */
  readonly twList: Float64Array;
  readonly twOffset: Int32Array;
  readonly hasMultiWindows: boolean;
  readonly required: Uint8Array;
  readonly prize: Float64Array;
  readonly skillMask: Int32Array;
  readonly skillNames: readonly string[];
  // vehicle types
  readonly typeCount: Int32Array;
  /** capacity[type * dims + d] */
  readonly capacity: Float64Array;
  readonly fixedCost: Float64Array;
  readonly costPerDistance: Float64Array;
  readonly costPerMin: Float64Array;
  readonly shiftStart: Float64Array;
  readonly shiftEnd: Float64Array;
  readonly maxDuration: Float64Array;
  readonly maxDistance: Float64Array;
  readonly typeSkillMask: Int32Array;
  readonly startDepot: Int32Array;
  readonly endDepot: Int32Array;
  readonly maxDrivePerDay: Float64Array;
  readonly maxDays: Int32Array;
  readonly restMin: Float64Array;
  /** True when any time-related constraint or cost exists (else the search skips time bookkeeping). */
  readonly usesTime: boolean;
  readonly hasMultiDay: boolean;

  constructor(input: ProblemInput) {
    this.input = input;
    this.name = input.name ?? 'problem';
    const { depots, clients, vehicleTypes } = input;
    if (depots.length === 0) throw new ProblemDataError('no_depot', 'a problem needs at least one depot');
    if (vehicleTypes.length === 0) throw new ProblemDataError('no_vehicle', 'a problem needs at least one vehicle type');
    const dims = input.dimensions?.length ?? Math.max(1, ...clients.map((c) => c.demand.length), ...vehicleTypes.map((v) => v.capacity.length));
    this.dims = dims;
    this.dimensionNames = input.dimensions ?? Array.from({ length: dims }, (_, d) => `dim${d}`);
    this.nDepots = depots.length;
    this.nClients = clients.length;
    const n = depots.length + clients.length;
    this.nNodes = n;
    this.nTypes = vehicleTypes.length;

    const nodes = [...depots.map((d) => ({ x: d.x, y: d.y })), ...clients.map((c) => ({ x: c.x, y: c.y }))];
    this.hasCoords = nodes.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    nodes.forEach((p, i) => {
      this.x[i] = p.x ?? Number.NaN;
      this.y[i] = p.y ?? Number.NaN;
    });

    this.dist = this.matrix(input.distance, 'distance', (i, j) => {
      const e = Math.hypot(this.x[i] - this.x[j], this.y[i] - this.y[j]);
      return input.rounding === 'nint' ? nint(e) : e;
    });
    const minutesPerDistance = input.minutesPerDistance ?? 1;
    this.dur = this.matrix(input.duration, 'duration', (i, j) => this.dist[i * n + j] * minutesPerDistance);

    // skills: bit per distinct name
    const skillNames: string[] = [];
    const maskOf = (skills: string[] | undefined): number => {
      let mask = 0;
      for (const s of skills ?? []) {
        let k = skillNames.indexOf(s);
        if (k < 0) {
          if (skillNames.length >= MAX_SKILLS) throw new ProblemDataError('too_many_skills', `at most ${MAX_SKILLS} distinct skills`);
          k = skillNames.push(s) - 1;
        }
        mask |= 1 << k;
      }
      return mask;
    };

    this.demand = new Float64Array(n * dims);
    this.service = new Float64Array(n);
    this.twStart = new Float64Array(n);
    this.twEnd = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.required = new Uint8Array(n);
    this.prize = new Float64Array(n);
    this.skillMask = new Int32Array(n);
    const twPairs: number[] = [];
    this.twOffset = new Int32Array(n + 1);
    let multi = false;
    let anyWindow = false;
    depots.forEach((d, i) => {
      this.twOffset[i] = twPairs.length / 2;
      if (d.timeWindow) {
        this.twStart[i] = d.timeWindow.startMin;
        this.twEnd[i] = d.timeWindow.endMin;
        anyWindow = true;
      }
      twPairs.push(this.twStart[i], this.twEnd[i]);
    });
    clients.forEach((c, k) => {
      const i = depots.length + k;
      if (c.demand.length > dims) throw new ProblemDataError('bad_demand', `client ${c.id} has ${c.demand.length} demand values, expected ${dims}`);
      c.demand.forEach((q, d) => {
        if (!(q >= 0)) throw new ProblemDataError('bad_demand', `client ${c.id} has a negative or missing demand`);
        this.demand[i * dims + d] = q;
      });
      this.service[i] = c.serviceMin ?? 0;
      this.required[i] = c.required === false ? 0 : 1;
      this.prize[i] = c.required === false ? (c.penalty ?? 0) : 0;
      this.skillMask[i] = maskOf(c.skills);
      this.twOffset[i] = twPairs.length / 2;
      const windows = [...(c.timeWindows ?? [])].sort((a, b) => a.startMin - b.startMin);
      if (windows.length === 0) {
        twPairs.push(0, Number.POSITIVE_INFINITY);
      } else {
        anyWindow = true;
        if (windows.length > 1) multi = true;
        for (const w of windows) {
          if (!(w.endMin >= w.startMin)) throw new ProblemDataError('bad_time_window', `client ${c.id} has a time window that ends before it starts`);
          twPairs.push(w.startMin, w.endMin);
        }
        this.twStart[i] = windows[0].startMin;
        this.twEnd[i] = Math.max(...windows.map((w) => w.endMin));
      }
    });
    this.twOffset[n] = twPairs.length / 2;
    this.twList = Float64Array.from(twPairs);
    this.hasMultiWindows = multi;

    const t = vehicleTypes.length;
    this.typeCount = new Int32Array(t);
    this.capacity = new Float64Array(t * dims);
    this.fixedCost = new Float64Array(t);
    this.costPerDistance = new Float64Array(t);
    this.costPerMin = new Float64Array(t);
    this.shiftStart = new Float64Array(t);
    this.shiftEnd = new Float64Array(t);
    this.maxDuration = new Float64Array(t);
    this.maxDistance = new Float64Array(t);
    this.typeSkillMask = new Int32Array(t);
    this.startDepot = new Int32Array(t);
    this.endDepot = new Int32Array(t);
    this.maxDrivePerDay = new Float64Array(t);
    this.maxDays = new Int32Array(t);
    this.restMin = new Float64Array(t);
    let timeCosts = false;
    let multiDay = false;
    vehicleTypes.forEach((v, k) => {
      if (!(v.count >= 0) || !Number.isInteger(v.count)) throw new ProblemDataError('bad_vehicle', `vehicle type ${v.id} needs an integer count ≥ 0`);
      this.typeCount[k] = v.count;
      for (let d = 0; d < dims; d++) this.capacity[k * dims + d] = v.capacity[d] ?? Number.POSITIVE_INFINITY;
      this.fixedCost[k] = v.fixedCost ?? 0;
      this.costPerDistance[k] = v.costPerDistance ?? 1;
      this.costPerMin[k] = (v.costPerHour ?? 0) / 60;
      this.shiftStart[k] = v.shiftStartMin ?? 0;
      this.shiftEnd[k] = v.shiftEndMin ?? Number.POSITIVE_INFINITY;
      this.maxDuration[k] = v.maxDurationMin ?? Number.POSITIVE_INFINITY;
      this.maxDistance[k] = v.maxDistance ?? Number.POSITIVE_INFINITY;
      this.typeSkillMask[k] = maskOf(v.skills);
      const start = v.startDepot ?? 0;
      const end = v.endDepot ?? start;
      if (start < 0 || start >= depots.length || end < 0 || end >= depots.length) {
        throw new ProblemDataError('bad_vehicle', `vehicle type ${v.id} refers to a depot that does not exist`);
      }
      this.startDepot[k] = start;
      this.endDepot[k] = end;
      this.maxDrivePerDay[k] = v.maxDrivingMinPerDay ?? Number.POSITIVE_INFINITY;
      this.maxDays[k] = v.maxDays ?? 1;
      this.restMin[k] = v.overnightRestMin ?? 0;
      if (v.maxDrivingMinPerDay !== undefined) multiDay = true;
      if ((v.costPerHour ?? 0) > 0 || v.shiftEndMin !== undefined || v.maxDurationMin !== undefined) timeCosts = true;
    });
    this.skillNames = skillNames;
    this.hasMultiDay = multiDay;
    this.usesTime = anyWindow || timeCosts || multiDay;
  }

  private matrix(given: ArrayLike<number> | undefined, what: string, compute: (i: number, j: number) => number): Float64Array {
    const n = this.nNodes;
    if (given) {
      if (given.length !== n * n) throw new ProblemDataError('bad_matrix', `${what} matrix has ${given.length} entries, expected ${n}×${n}`);
      return Float64Array.from(given);
    }
    if (!this.hasCoords) throw new ProblemDataError('bad_matrix', `no ${what} matrix and no coordinates to compute one`);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = i === j ? 0 : compute(i, j);
    return m;
  }

  isClient(node: number): boolean {
    return node >= this.nDepots;
  }

  /** Total number of vehicles over all types. */
  get fleetSize(): number {
    let total = 0;
    for (let k = 0; k < this.nTypes; k++) total += this.typeCount[k];
    return total;
  }

  /**
   * Granular neighbour lists: for every client the `k` most related other clients, by a
   * proximity that adds to the distance a share of the waiting time and of the time warp that
   * visiting one right after the other would cause (as in Vidal's HGS-TW).
   */
  neighbours(k: number): Int32Array[] {
    const { nDepots, nNodes, dist, dur, service, twStart, twEnd } = this;
    const result: Int32Array[] = [];
    const count = Math.min(k, this.nClients - 1);
    const prox = new Float64Array(nNodes);
    const order: number[] = [];
    for (let i = nDepots; i < nNodes; i++) {
      order.length = 0;
      for (let j = nDepots; j < nNodes; j++) {
        if (j === i) continue;
        const pij = this.proximity(i, j, dist, dur, service, twStart, twEnd);
        const pji = this.proximity(j, i, dist, dur, service, twStart, twEnd);
        prox[j] = Math.min(pij, pji);
        order.push(j);
      }
      order.sort((a, b) => prox[a] - prox[b] || a - b);
      result.push(Int32Array.from(order.slice(0, Math.max(0, count))));
    }
    return result;
  }

  private proximity(i: number, j: number, dist: Float64Array, dur: Float64Array, service: Float64Array, twStart: Float64Array, twEnd: Float64Array): number {
    const n = this.nNodes;
    let p = dist[i * n + j];
    if (this.usesTime) {
      const travel = dur[i * n + j];
      const wait = twStart[j] - travel - service[i] - twEnd[i];
      const warp = twStart[i] + service[i] + travel - twEnd[j];
      if (Number.isFinite(wait) && wait > 0) p += 0.2 * wait;
      if (Number.isFinite(warp) && warp > 0) p += warp;
    }
    return p;
  }
}

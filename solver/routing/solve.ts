import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProblemData } from '../model/problem.ts';
import type { ProblemInput } from '../model/types.ts';
import { checkSolution, type Violation } from './checker.ts';
import { hybridGeneticSearch, type SearchProgress, type StoppingCriteria } from './hgs.ts';
import { defaultParams, type HgsParams } from './params.ts';
import { deriveSeed } from './rng.ts';
import { evaluateRoute, simulate, startWindow, type RouteEval, type StopTime } from './schedule.ts';

export type UnassignedReason = 'capacity' | 'time_window' | 'skill' | 'shift_length' | 'unreachable' | 'optional';

export interface Unassigned {
  /** Client index (position in the problem's `clients` array). */
  client: number;
  clientId: string;
  reason: UnassignedReason;
}

export interface StopResult {
  client: number;
  clientId: string;
  arrivalMin: number;
  /** Start of service (after any wait for the time window). */
  startMin: number;
  departureMin: number;
  /** 0-based day of the trip. */
  day: number;
}

export interface DayResult {
  day: number;
  clients: number[];
  /** Client after whose visit the crew rests overnight (absent on the last day). */
  overnightAfterClient?: number;
}

export interface RouteResult {
  vehicleType: number;
  vehicleTypeId: string;
  /** k-th vehicle of its type (0-based). */
  vehicle: number;
  clients: number[];
  clientIds: string[];
  stops: StopResult[];
  startMin: number;
  endMin: number;
  distance: number;
  durationMin: number;
  drivingMin: number;
  load: number[];
  cost: number;
  /** Overnight rests taken on this trip (multi-day vehicle types). */
  overnightRests: number;
  days: DayResult[];
}

export interface SolveResult {
  routes: RouteResult[];
  /** Total cost: fixed + distance + duration costs, plus penalties of skipped optional clients. */
  cost: number;
  distance: number;
  vehicles: number;
  /** Every route satisfies every constraint and every required client is served. */
  feasible: boolean;
  unassigned: Unassigned[];
  /** Violations found by the independent checker (empty for a feasible solution). */
  violations: Violation[];
  runtimeMs: number;
  iterations: number;
}

export interface SolveProgress extends SearchProgress {
  worker: number;
}

export interface SolveOptions {
  timeLimitMs?: number;
  maxIterations?: number;
  maxNoImprovement?: number;
  seed?: number;
  /** Worker threads running independent searches (derived seeds); 0 = run in this thread. Default 1. */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SolveProgress) => void;
  params?: Partial<HgsParams>;
}

/** Plain result of one search on the reduced problem (structured-clone friendly). */
export interface SearchResult {
  routes: { type: number; nodes: number[] }[];
  unrouted: number[];
  iterations: number;
  feasible: boolean;
  cost: number;
}

/** Runs one search; shared by the single-thread path and the worker threads. */
export function runSearch(
  input: ProblemInput,
  seed: number,
  stop: StoppingCriteria,
  params: Partial<HgsParams> | undefined,
  onProgress?: (p: SearchProgress) => void,
): SearchResult {
  const data = new ProblemData(input);
  if (data.nClients === 0) return { routes: [], unrouted: [], iterations: 0, feasible: true, cost: 0 };
  const outcome = hybridGeneticSearch(data, seed, stop, { ...defaultParams, ...params }, onProgress);
  const best = outcome.best;
  return {
    routes: best.routes.map((r) => ({ type: r.type, nodes: Array.from(r.nodes) })),
    unrouted: Array.from(best.unrouted),
    iterations: outcome.iterations,
    feasible: best.feasible,
    cost: best.baseCost,
  };
}

interface Prepared {
  data: ProblemData;
  reduced: ProblemInput;
  /** Full node index of each reduced node. */
  nodeMap: number[];
  unassigned: { node: number; reason: UnassignedReason }[];
}

const REASON_ORDER: UnassignedReason[] = ['skill', 'unreachable', 'capacity', 'time_window', 'shift_length'];

/** Why a client cannot be served even alone by vehicle type t (undefined: it can). */
function singleClientFailure(data: ProblemData, t: number, node: number): UnassignedReason | undefined {
  if ((data.skillMask[node] & ~data.typeSkillMask[t]) !== 0) return 'skill';
  const n = data.nNodes;
  const s = data.startDepot[t];
  const e = data.endDepot[t];
  for (const k of [s * n + node, node * n + e]) if (!Number.isFinite(data.dist[k]) || !Number.isFinite(data.dur[k])) return 'unreachable';
  for (let d = 0; d < data.dims; d++) if (data.demand[node * data.dims + d] > data.capacity[t * data.dims + d]) return 'capacity';
  const ev = evaluateRoute(data, t, [node]);
  if (ev.timeWarp > 1e-6) return timeReason(data, t, [node], ev);
  if (ev.distExcess > 1e-9) return 'shift_length';
  return undefined;
}

/** Time violations at a client's window are 'time_window'; at the depot / duration limits 'shift_length'. */
function timeReason(data: ProblemData, t: number, nodes: number[], ev: RouteEval): UnassignedReason {
  const stops: StopTime[] = [];
  simulate(data, t, nodes, ev.startMin, stops);
  for (const stop of stops) {
    const last = data.twList[2 * (data.twOffset[stop.node + 1] - 1) + 1];
    if (stop.arrivalMin > last + 1e-6) return 'time_window';
  }
  return 'shift_length';
}

function prepare(input: ProblemInput): Prepared {
  const data = new ProblemData(input);
  const keep: number[] = [];
  const unassigned: Prepared['unassigned'] = [];
  for (let node = data.nDepots; node < data.nNodes; node++) {
    let worst = -1;
    let ok = false;
    for (let t = 0; t < data.nTypes && !ok; t++) {
      if (data.typeCount[t] === 0) continue;
      const failure = singleClientFailure(data, t, node);
      if (failure === undefined) ok = true;
      else worst = Math.max(worst, REASON_ORDER.indexOf(failure));
    }
    if (ok) keep.push(node);
    else unassigned.push({ node, reason: worst < 0 ? 'capacity' : REASON_ORDER[worst] });
  }
  const nodeMap = [...Array.from({ length: data.nDepots }, (_, i) => i), ...keep];
  if (unassigned.length === 0) return { data, reduced: input, nodeMap, unassigned };
  const m = nodeMap.length;
  const distance = new Float64Array(m * m);
  const duration = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      distance[a * m + b] = data.dist[nodeMap[a] * data.nNodes + nodeMap[b]];
      duration[a * m + b] = data.dur[nodeMap[a] * data.nNodes + nodeMap[b]];
    }
  }
  const reduced: ProblemInput = {
    ...input,
    clients: keep.map((node) => input.clients[node - data.nDepots]),
    distance,
    duration,
  };
  return { data, reduced, nodeMap, unassigned };
}

function violationOf(ev: RouteEval): [number, number, number] {
  let load = 0;
  for (let d = 0; d < ev.loadExcess.length; d++) load += ev.loadExcess[d];
  return [load, ev.timeWarp, ev.distExcess];
}

function isFeasible(ev: RouteEval): boolean {
  const [load, time, dist] = violationOf(ev);
  return load < 1e-9 && time < 1e-6 && dist < 1e-9;
}

function lexLess(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (a[i] < b[i] - 1e-9) return true;
    if (a[i] > b[i] + 1e-9) return false;
  }
  return false;
}

/**
 * Makes an infeasible search result feasible: removes, route by route, the client whose
 * removal reduces the violation most (its reason is the violated rule), then reinserts the
 * removed clients wherever they fit feasibly at least cost.
 */
function repair(data: ProblemData, routes: { type: number; nodes: number[] }[]): { node: number; reason: UnassignedReason }[] {
  const removed: { node: number; reason: UnassignedReason }[] = [];
  for (const route of routes) {
    let ev = evaluateRoute(data, route.type, route.nodes);
    while (!isFeasible(ev) && route.nodes.length > 0) {
      const [load, time] = violationOf(ev);
      const reason: UnassignedReason = load > 1e-9 ? 'capacity' : time > 1e-6 ? timeReason(data, route.type, route.nodes, ev) : 'shift_length';
      let bestK = 0;
      let bestV: [number, number, number] | undefined;
      let bestCost = Number.POSITIVE_INFINITY;
      for (let k = 0; k < route.nodes.length; k++) {
        const candidate = route.nodes.filter((_, i) => i !== k);
        const e = evaluateRoute(data, route.type, candidate);
        const v = violationOf(e);
        if (!bestV || lexLess(v, bestV) || (!lexLess(bestV, v) && e.baseCost < bestCost)) {
          bestV = v;
          bestK = k;
          bestCost = e.baseCost;
        }
      }
      removed.push({ node: route.nodes[bestK], reason });
      route.nodes.splice(bestK, 1);
      ev = evaluateRoute(data, route.type, route.nodes);
    }
  }
  const left: typeof removed = [];
  const used = new Int32Array(data.nTypes);
  for (const r of routes) if (r.nodes.length > 0) used[r.type]++;
  for (const item of removed) {
    let best: { route: { type: number; nodes: number[] } | undefined; type: number; pos: number; delta: number } | undefined;
    for (const route of routes) {
      if (route.nodes.length === 0) continue;
      const before = evaluateRoute(data, route.type, route.nodes).baseCost;
      for (let p = 0; p <= route.nodes.length; p++) {
        const candidate = [...route.nodes.slice(0, p), item.node, ...route.nodes.slice(p)];
        const e = evaluateRoute(data, route.type, candidate);
        if (isFeasible(e) && (!best || e.baseCost - before < best.delta)) best = { route, type: route.type, pos: p, delta: e.baseCost - before };
      }
    }
    for (let t = 0; t < data.nTypes; t++) {
      if (used[t] >= data.typeCount[t]) continue;
      const e = evaluateRoute(data, t, [item.node]);
      if (isFeasible(e) && (!best || e.baseCost < best.delta)) best = { route: undefined, type: t, pos: 0, delta: e.baseCost };
    }
    if (!best) {
      left.push(item);
    } else if (best.route) {
      best.route.nodes.splice(best.pos, 0, item.node);
    } else {
      used[best.type]++;
      routes.push({ type: best.type, nodes: [item.node] });
    }
  }
  return left;
}

function finalize(prepared: Prepared, search: SearchResult, startedAt: number): SolveResult {
  const { data, nodeMap } = prepared;
  const input = data.input;
  const routes = search.routes.map((r) => ({ type: r.type, nodes: r.nodes.map((v) => nodeMap[v]) }));
  const unassignedNodes = [...prepared.unassigned];
  if (!search.feasible) unassignedNodes.push(...repair(data, routes));
  for (const v of search.unrouted) unassignedNodes.push({ node: nodeMap[v], reason: data.required[nodeMap[v]] ? 'capacity' : 'optional' });
  const perType = new Int32Array(data.nTypes);
  const results: RouteResult[] = [];
  let cost = 0;
  let distance = 0;
  for (const route of routes) {
    if (route.nodes.length === 0) continue;
    const t = route.type;
    const stops: StopTime[] = [];
    const ev = evaluateRoute(data, t, route.nodes, stops);
    const startMin = data.usesTime ? ev.startMin : startWindow(data, t)[0];
    const endMin = stops.length > 0 ? endOf(data, t, route.nodes, startMin) : startMin;
    const durationMin = data.usesTime ? endMin - startMin : 0;
    const routeCost = data.fixedCost[t] + data.costPerDistance[t] * ev.distance + data.costPerMin[t] * durationMin;
    cost += routeCost;
    distance += ev.distance;
    const clientOf = (node: number): number => node - data.nDepots;
    const days: DayResult[] = [];
    for (const stop of stops) {
      let day = days[days.length - 1];
      if (!day || day.day !== stop.day) {
        if (day) day.overnightAfterClient = day.clients[day.clients.length - 1];
        day = { day: stop.day, clients: [] };
        days.push(day);
      }
      day.clients.push(clientOf(stop.node));
    }
    // a rest on the way back to the depot belongs to the last day with stops
    const last = days[days.length - 1];
    if (last && ev.rests > days.length - 1 && last.overnightAfterClient === undefined) last.overnightAfterClient = last.clients[last.clients.length - 1];
    results.push({
      vehicleType: t,
      vehicleTypeId: input.vehicleTypes[t].id,
      vehicle: perType[t]++,
      clients: route.nodes.map(clientOf),
      clientIds: route.nodes.map((v) => input.clients[clientOf(v)].id),
      stops: stops.map((s) => ({
        client: clientOf(s.node),
        clientId: input.clients[clientOf(s.node)].id,
        arrivalMin: s.arrivalMin,
        startMin: s.startMin,
        departureMin: s.departureMin,
        day: s.day,
      })),
      startMin,
      endMin,
      distance: ev.distance,
      durationMin,
      drivingMin: ev.drivingMin,
      load: Array.from(ev.load),
      cost: routeCost,
      overnightRests: ev.rests,
      days,
    });
  }
  for (const u of unassignedNodes) if (!data.required[u.node]) cost += data.prize[u.node];
  const unassigned: Unassigned[] = unassignedNodes
    .map((u) => ({ client: u.node - data.nDepots, clientId: input.clients[u.node - data.nDepots].id, reason: u.reason }))
    .sort((a, b) => a.client - b.client);
  const report = checkSolution(data, {
    routes: results.map((r) => ({ vehicleType: r.vehicleType, clients: r.clients, startMin: r.startMin })),
    unassigned: unassigned.map((u) => u.client),
    cost,
  });
  const requiredMissing = unassignedNodes.some((u) => data.required[u.node]);
  return {
    routes: results,
    cost,
    distance,
    vehicles: results.length,
    feasible: report.feasible && !requiredMissing,
    unassigned,
    violations: report.violations,
    runtimeMs: Date.now() - startedAt,
    iterations: search.iterations,
  };
}

/**
 * Worker entry when running TypeScript sources through tsx: on Node 20 tsx's loader hooks are
 * registered only in the main thread, so the worker registers them itself before importing.
 */
function tsBootstrap(url: URL): string {
  // import.meta.resolve picks tsx's ESM build; when this file was compiled to CommonJS by tsx
  // (e.g. under mocha) it is missing and the ESM entry is located from tsx's package.json.
  const api =
    typeof import.meta.resolve === 'function'
      ? import.meta.resolve('tsx/esm/api')
      : pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
}

function endOf(data: ProblemData, t: number, nodes: number[], startMin: number): number {
  return simulate(data, t, nodes, startMin).endMin;
}

function stoppingCriteria(options: SolveOptions, startedAt: number, shouldStop?: () => boolean): StoppingCriteria {
  const hasLimit = options.timeLimitMs !== undefined || options.maxIterations !== undefined || options.maxNoImprovement !== undefined;
  return {
    deadline: options.timeLimitMs !== undefined ? startedAt + options.timeLimitMs : hasLimit ? undefined : startedAt + 10_000,
    maxIterations: options.maxIterations,
    maxNoImprovement: options.maxNoImprovement,
    shouldStop,
  };
}

/**
 * Solves in the calling thread (blocking). Deterministic for a seed when stopped by
 * iterations (a time limit makes the iteration count depend on the machine). Without any
 * limit the search runs 10 s.
 */
export function solveSync(problem: ProblemInput, options: SolveOptions = {}): SolveResult {
  const startedAt = Date.now();
  const prepared = prepare(problem);
  const stop = stoppingCriteria(options, startedAt, options.signal ? () => options.signal?.aborted === true : undefined);
  const search = runSearch(prepared.reduced, (options.seed ?? 1) >>> 0, stop, options.params, (p) => options.onProgress?.({ ...p, worker: 0 }));
  return finalize(prepared, search, startedAt);
}

/** Message from a search worker. */
export type WorkerMessage = { kind: 'progress'; progress: SearchProgress } | { kind: 'result'; result: SearchResult } | { kind: 'error'; message: string };

export interface WorkerRequest {
  input: ProblemInput;
  seed: number;
  stop: Omit<StoppingCriteria, 'shouldStop'>;
  params?: Partial<HgsParams>;
  abort: SharedArrayBuffer;
}

/**
 * Solves with `workers` independent searches in worker threads (seeds derived from `seed`,
 * worker 0 using `seed` itself, so one worker returns exactly what {@link solveSync} returns)
 * and keeps the best. `workers: 0` runs in this thread.
 */
export async function solve(problem: ProblemInput, options: SolveOptions = {}): Promise<SolveResult> {
  const workers = options.workers ?? 1;
  if (workers <= 0) return solveSync(problem, options);
  const startedAt = Date.now();
  const prepared = prepare(problem);
  const stop = stoppingCriteria(options, startedAt);
  const abort = new SharedArrayBuffer(4);
  const flag = new Int32Array(abort);
  const onAbort = (): void => {
    Atomics.store(flag, 0, 1);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const { Worker } = await import('node:worker_threads');
  const seed = (options.seed ?? 1) >>> 0;
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`./worker.${ext}`, import.meta.url);
  try {
    const results = await Promise.all(
      Array.from({ length: workers }, (_, i) => {
        const request: WorkerRequest = {
          input: prepared.reduced,
          seed: deriveSeed(seed, i),
          stop: { deadline: stop.deadline, maxIterations: stop.maxIterations, maxNoImprovement: stop.maxNoImprovement },
          params: options.params,
          abort,
        };
        return new Promise<SearchResult>((resolve, reject) => {
          const worker = ext === 'ts' ? new Worker(tsBootstrap(url), { eval: true, workerData: request }) : new Worker(url, { workerData: request });
          worker.on('message', (message: WorkerMessage) => {
            if (message.kind === 'progress') options.onProgress?.({ ...message.progress, worker: i });
            else if (message.kind === 'result') resolve(message.result);
            else reject(new Error(message.message));
          });
          worker.on('error', reject);
          // an exit without a result (crash, out of memory) must not leave the caller waiting
          worker.on('exit', (code) => reject(new Error(`search worker ${i} exited (code ${code}) without a result`)));
        });
      }),
    );
    let best = 0;
    for (let i = 1; i < results.length; i++) {
      const a = results[i];
      const b = results[best];
      if ((a.feasible && !b.feasible) || (a.feasible === b.feasible && a.cost < b.cost - 1e-9)) best = i;
    }
    const total = results.reduce((sum, r) => sum + r.iterations, 0);
    return finalize(prepared, { ...results[best], iterations: total }, startedAt);
  } catch (error) {
    // one search failed: stop the others instead of letting them run to their deadline
    Atomics.store(flag, 0, 1);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

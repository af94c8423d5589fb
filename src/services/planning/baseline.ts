/**
 * Baselines for the benchmark, on exactly the problem the solver gets: the Clarke–Wright
 * savings heuristic (parallel version, granular: each client's 40 nearest neighbours) and a
 * sequential nearest-neighbour construction — close to how routes are built by hand. Both
 * respect capacity per dimension, skills, time windows, shifts and multi-day driving limits
 * (same simulation rules as the solver), and every answer is checked by the solver's
 * independent checker, so their cost and distance are measured exactly like ours.
 */
import { checkSolution, ProblemData, type ProblemInput, type RouteResult, type SolveResult } from '../../../solver/index.ts';

export interface BaselineResult {
  method: 'clarke-wright' | 'nearest-neighbour';
  routes: { vehicleType: number; clients: number[] }[];
  unassigned: number[];
  distance: number;
  cost: number;
  feasible: boolean;
  violations: number;
}

interface Ctx {
  n: number;
  nodes: number;
  dist: ArrayLike<number>;
  dur: ArrayLike<number>;
  problem: ProblemInput;
  skillsOk: (type: number, client: number) => boolean;
}

function context(problem: ProblemInput): Ctx {
  const n = problem.clients.length;
  const nodes = n + problem.depots.length;
  if (!problem.distance) throw new Error('baseline needs a distance matrix');
  const dist = problem.distance;
  const dur = problem.duration ?? problem.distance;
  const typeSkills = problem.vehicleTypes.map((t) => new Set(t.skills ?? []));
  return {
    n,
    nodes,
    dist,
    dur,
    problem,
    skillsOk: (type, client) => (problem.clients[client].skills ?? []).every((s) => typeSkills[type].has(s)),
  };
}

const node = (client: number): number => client + 1;

/** Simulates a route (depot 0) the way the solver does; undefined when infeasible. */
function simulateRoute(ctx: Ctx, type: number, clients: readonly number[]): { distance: number; durationMin: number } | undefined {
  const t = ctx.problem.vehicleTypes[type];
  const depot = ctx.problem.depots[0];
  const dims = t.capacity.length;
  for (let d = 0; d < dims; d++) {
    let load = 0;
    for (const c of clients) load += ctx.problem.clients[c].demand[d] ?? 0;
    if (load > t.capacity[d] + 1e-9) return undefined;
  }
  for (const c of clients) if (!ctx.skillsOk(type, c)) return undefined;
  const start = Math.max(t.shiftStartMin ?? 0, depot.timeWindow?.startMin ?? 0);
  const shiftEnd = Math.min(t.shiftEndMin ?? Number.POSITIVE_INFINITY, depot.timeWindow?.endMin ?? Number.POSITIVE_INFINITY);
  const dailyDriving = t.maxDrivingMinPerDay ?? Number.POSITIVE_INFINITY;
  const rest = t.overnightRestMin ?? 0;
  let rests = 0;
  let time = start;
  let driving = 0;
  let distance = 0;
  let at = 0;
  const legs = [...clients.map(node), 0];
  for (let k = 0; k < legs.length; k++) {
    const to = legs[k];
    const legMin = ctx.dur[at * ctx.nodes + to];
    const legKm = ctx.dist[at * ctx.nodes + to];
    if (!Number.isFinite(legMin) || !Number.isFinite(legKm) || legMin > dailyDriving) return undefined;
    if (driving + legMin > dailyDriving) {
      time += rest;
      driving = 0;
      rests += 1;
    }
    time += legMin;
    driving += legMin;
    distance += legKm;
    if (to !== 0) {
      const client = ctx.problem.clients[to - 1];
      const windows = client.timeWindows && client.timeWindows.length > 0 ? client.timeWindows : [{ startMin: 0, endMin: Number.POSITIVE_INFINITY }];
      const open = windows.find((w) => w.endMin >= time);
      if (!open) return undefined;
      if (open.startMin > time) {
        if (open.startMin - time >= rest && rest > 0) driving = 0;
        time = open.startMin;
      }
      time += client.serviceMin ?? 0;
    }
    at = to;
  }
  if (time > shiftEnd + 1e-6) return undefined;
  if (rests > (t.maxDays ?? 1) - 1) return undefined;
  if (t.maxDurationMin !== undefined && time - start > t.maxDurationMin) return undefined;
  return { distance, durationMin: time - start };
}

/** Stop times of a route under the same rules as {@link simulateRoute} (which must accept it). */
function timedRoute(ctx: Ctx, type: number, clients: readonly number[], vehicle: number): RouteResult {
  const t = ctx.problem.vehicleTypes[type];
  const depot = ctx.problem.depots[0];
  const dailyDriving = t.maxDrivingMinPerDay ?? Number.POSITIVE_INFINITY;
  const rest = t.overnightRestMin ?? 0;
  const start = Math.max(t.shiftStartMin ?? 0, depot.timeWindow?.startMin ?? 0);
  let time = start;
  let driving = 0;
  let drivingTotal = 0;
  let distance = 0;
  let rests = 0;
  let at = 0;
  let day = 0;
  const stops: RouteResult['stops'] = [];
  const days: RouteResult['days'] = [{ day: 0, clients: [] }];
  const legs = [...clients.map(node), 0];
  for (const to of legs) {
    const legMin = ctx.dur[at * ctx.nodes + to];
    if (driving + legMin > dailyDriving) {
      if (stops.length > 0) days[day].overnightAfterClient = stops[stops.length - 1].client;
      time += rest;
      driving = 0;
      rests += 1;
      day += 1;
      days.push({ day, clients: [] });
    }
    time += legMin;
    driving += legMin;
    drivingTotal += legMin;
    distance += ctx.dist[at * ctx.nodes + to];
    if (to !== 0) {
      const client = ctx.problem.clients[to - 1];
      const arrival = time;
      const windows = client.timeWindows && client.timeWindows.length > 0 ? client.timeWindows : [{ startMin: 0, endMin: Number.POSITIVE_INFINITY }];
      const open = windows.find((w) => w.endMin >= time)!;
      if (open.startMin > time) {
        if (open.startMin - time >= rest && rest > 0) driving = 0;
        time = open.startMin;
      }
      const startService = time;
      time += client.serviceMin ?? 0;
      stops.push({ client: to - 1, clientId: client.id, arrivalMin: arrival, startMin: startService, departureMin: time, day });
      days[day].clients.push(to - 1);
    }
    at = to;
  }
  const load = t.capacity.map((_, d) => clients.reduce((sum, c) => sum + (ctx.problem.clients[c].demand[d] ?? 0), 0));
  const durationMin = time - start;
  return {
    vehicleType: type,
    vehicleTypeId: t.id,
    vehicle,
    clients: [...clients],
    clientIds: clients.map((c) => ctx.problem.clients[c].id),
    stops,
    startMin: start,
    endMin: time,
    distance,
    durationMin,
    drivingMin: drivingTotal,
    load,
    cost: (t.fixedCost ?? 0) + (t.costPerDistance ?? 1) * distance + ((t.costPerHour ?? 0) * durationMin) / 60,
    overnightRests: rests,
    days,
  };
}

/**
 * A baseline as a solver result (stops with times), so the planner can use it where it beats
 * the time-limited search. Unserved clients take the solver's reason when it gave one, else
 * `capacity` (the fleet had no room left).
 */
export function baselineAsSolveResult(problem: ProblemInput, baseline: BaselineResult, reasons: ReadonlyMap<number, SolveResult['unassigned'][number]['reason']>): SolveResult {
  const ctx = context(problem);
  const used = new Map<number, number>();
  const routes = baseline.routes.map((r) => {
    const k = used.get(r.vehicleType) ?? 0;
    used.set(r.vehicleType, k + 1);
    return timedRoute(ctx, r.vehicleType, r.clients, k);
  });
  return {
    routes,
    cost: routes.reduce((sum, r) => sum + r.cost, 0),
    distance: routes.reduce((sum, r) => sum + r.distance, 0),
    vehicles: routes.length,
    feasible: baseline.feasible && baseline.unassigned.length === 0,
    unassigned: baseline.unassigned.map((c) => ({ client: c, clientId: problem.clients[c].id, reason: reasons.get(c) ?? 'capacity' })),
    violations: [],
    runtimeMs: 0,
    iterations: 0,
  };
}

/** Types ordered by preference: cheapest fixed cost, then smallest capacity. */
function typeOrder(problem: ProblemInput): number[] {
  return problem.vehicleTypes
    .map((_, i) => i)
    .sort((a, b) => (problem.vehicleTypes[a].fixedCost ?? 0) - (problem.vehicleTypes[b].fixedCost ?? 0) || problem.vehicleTypes[a].capacity[0] - problem.vehicleTypes[b].capacity[0]);
}

/** Gives each route the first type (by preference) with a free vehicle that can run it. */
function assignTypes(ctx: Ctx, routes: number[][], method: BaselineResult['method']): BaselineResult {
  const left = ctx.problem.vehicleTypes.map((t) => t.count);
  const order = typeOrder(ctx.problem);
  const out: BaselineResult['routes'] = [];
  const unassigned: number[] = [];
  const sorted = [...routes].sort((a, b) => b.length - a.length);
  for (const clients of sorted) {
    const type = order.find((t) => left[t] > 0 && simulateRoute(ctx, t, clients) !== undefined);
    if (type === undefined) {
      unassigned.push(...clients);
      continue;
    }
    left[type] -= 1;
    out.push({ vehicleType: type, clients });
  }
  const report = checkSolution(new ProblemData(ctx.problem), { routes: out, unassigned });
  return {
    method,
    routes: out,
    unassigned,
    distance: report.distance,
    cost: report.cost,
    feasible: report.feasible,
    violations: report.violations.length,
  };
}

/** Any type that can serve this client set (ignoring counts). */
function someType(ctx: Ctx, clients: readonly number[]): boolean {
  for (let t = 0; t < ctx.problem.vehicleTypes.length; t++) {
    if (ctx.problem.vehicleTypes[t].count > 0 && simulateRoute(ctx, t, clients) !== undefined) return true;
  }
  return false;
}

export function clarkeWright(problem: ProblemInput, neighbours = 40): BaselineResult {
  const ctx = context(problem);
  const { n, nodes, dist } = ctx;
  const routeOf = new Int32Array(n).fill(-1);
  const routes: (number[] | undefined)[] = [];
  const unassigned: number[] = [];
  for (let c = 0; c < n; c++) {
    if (!someType(ctx, [c])) {
      unassigned.push(c);
      continue;
    }
    routeOf[c] = routes.length;
    routes.push([c]);
  }
  const pairs: { i: number; j: number; saving: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (routeOf[i] < 0) continue;
    const near: number[] = [];
    for (let j = 0; j < n; j++) if (j !== i && routeOf[j] >= 0) near.push(j);
    near.sort((a, b) => dist[node(i) * nodes + node(a)] - dist[node(i) * nodes + node(b)]);
    for (const j of near.slice(0, neighbours)) {
      const saving = dist[node(i) * nodes] + dist[node(j)] - dist[node(i) * nodes + node(j)];
      if (saving > 0) pairs.push({ i, j, saving });
    }
  }
  pairs.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);
  for (const { i, j } of pairs) {
    const ri = routeOf[i];
    const rj = routeOf[j];
    if (ri === rj) continue;
    const a = routes[ri]!;
    const b = routes[rj]!;
    if (a[a.length - 1] !== i || b[0] !== j) continue;
    const merged = [...a, ...b];
    if (!someType(ctx, merged)) continue;
    routes[ri] = merged;
    routes[rj] = undefined;
    for (const c of b) routeOf[c] = ri;
  }
  const result = assignTypes(ctx, routes.filter((r): r is number[] => r !== undefined), 'clarke-wright');
  result.unassigned.push(...unassigned);
  return result;
}

export function nearestNeighbour(problem: ProblemInput): BaselineResult {
  const ctx = context(problem);
  const { n, nodes, dist } = ctx;
  const done = new Uint8Array(n);
  const unassigned: number[] = [];
  for (let c = 0; c < n; c++) {
    if (!someType(ctx, [c])) {
      done[c] = 1;
      unassigned.push(c);
    }
  }
  const routes: number[][] = [];
  let remaining = n - unassigned.length;
  while (remaining > 0) {
    const route: number[] = [];
    let at = 0;
    for (;;) {
      let best = -1;
      let bestKm = Number.POSITIVE_INFINITY;
      for (let c = 0; c < n; c++) {
        if (done[c]) continue;
        const km = dist[at * nodes + node(c)];
        if (km < bestKm && someType(ctx, [...route, c])) {
          best = c;
          bestKm = km;
        }
      }
      if (best < 0) break;
      route.push(best);
      done[best] = 1;
      remaining -= 1;
      at = node(best);
    }
    if (route.length === 0) break;
    routes.push(route);
  }
  const result = assignTypes(ctx, routes, 'nearest-neighbour');
  result.unassigned.push(...unassigned);
  return result;
}

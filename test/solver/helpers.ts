import type { ClientInput, ProblemInput } from '../../solver/index.ts';

/** Small deterministic PRNG for building test instances (independent of the solver's). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface RandomOptions {
  clients: number;
  dims?: number;
  timeWindows?: boolean;
  vehicles?: number;
  fixedCost?: number;
}

/** Random instance on a 100 × 100 grid, one depot in the middle, integer coordinates. */
export function randomInstance(seed: number, options: RandomOptions): ProblemInput {
  const rand = lcg(seed);
  const dims = options.dims ?? 1;
  const clients: ClientInput[] = [];
  for (let i = 0; i < options.clients; i++) {
    const x = Math.floor(rand() * 100);
    const y = Math.floor(rand() * 100);
    const demand = Array.from({ length: dims }, () => 1 + Math.floor(rand() * 9));
    const client: ClientInput = { id: `c${i + 1}`, x, y, demand, serviceMin: 5 };
    if (options.timeWindows) {
      const start = Math.floor(rand() * 200);
      client.timeWindows = [{ startMin: start, endMin: start + 40 + Math.floor(rand() * 60) }];
    }
    clients.push(client);
  }
  return {
    name: `random-${seed}`,
    depots: [{ id: 'depot', x: 50, y: 50, timeWindow: options.timeWindows ? { startMin: 0, endMin: 400 } : undefined }],
    clients,
    vehicleTypes: [{ id: 'truck', count: options.vehicles ?? options.clients, capacity: Array.from({ length: dims }, (_, d) => 14 + 3 * d), fixedCost: options.fixedCost ?? 0 }],
  };
}

/**
 * Optimum by brute force: every order of the clients, cut optimally into feasible routes
 * (dynamic programming over cut points and routes used). Independent of the solver's code.
 * Single vehicle type, single depot, Euclidean distances = travel times.
 */
export function bruteForceOptimum(problem: ProblemInput): number {
  const depot = problem.depots[0];
  const type = problem.vehicleTypes[0];
  const pts = [depot, ...problem.clients].map((p) => [p.x ?? 0, p.y ?? 0]);
  const d = (a: number, b: number): number => Math.hypot(pts[a][0] - pts[b][0], pts[a][1] - pts[b][1]);
  const routeCost = (nodes: number[]): number => {
    const dims = type.capacity.length;
    for (let k = 0; k < dims; k++) {
      let load = 0;
      for (const v of nodes) load += problem.clients[v - 1].demand[k];
      if (load > type.capacity[k]) return Number.POSITIVE_INFINITY;
    }
    let time = Math.max(type.shiftStartMin ?? 0, depot.timeWindow?.startMin ?? 0);
    let prev = 0;
    let dist = 0;
    for (const v of nodes) {
      const c = problem.clients[v - 1];
      time += d(prev, v);
      dist += d(prev, v);
      const w = c.timeWindows?.[0];
      if (w) {
        time = Math.max(time, w.startMin);
        if (time > w.endMin + 1e-9) return Number.POSITIVE_INFINITY;
      }
      time += c.serviceMin ?? 0;
      prev = v;
    }
    time += d(prev, 0);
    dist += d(prev, 0);
    if (time > Math.min(depot.timeWindow?.endMin ?? Infinity, type.shiftEndMin ?? Infinity) + 1e-9) return Number.POSITIVE_INFINITY;
    return (type.fixedCost ?? 0) + dist;
  };
  const n = problem.clients.length;
  const perm = Array.from({ length: n }, (_, i) => i + 1);
  let best = Number.POSITIVE_INFINITY;
  const maxRoutes = type.count;
  const visit = (): void => {
    // dp[j][k]: best cost of the first j clients of the order in k routes
    const dp = Array.from({ length: n + 1 }, () => new Array<number>(maxRoutes + 1).fill(Number.POSITIVE_INFINITY));
    dp[0][0] = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < maxRoutes; k++) {
        if (dp[i][k] === Number.POSITIVE_INFINITY) continue;
        for (let j = i + 1; j <= n; j++) {
          const c = routeCost(perm.slice(i, j));
          if (c === Number.POSITIVE_INFINITY) continue;
          if (dp[i][k] + c < dp[j][k + 1]) dp[j][k + 1] = dp[i][k] + c;
        }
      }
    }
    for (let k = 0; k <= maxRoutes; k++) best = Math.min(best, dp[n][k]);
  };
  const permute = (k: number): void => {
    if (k === n) {
      visit();
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      permute(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  permute(0);
  return best;
}

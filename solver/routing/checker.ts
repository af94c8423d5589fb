import type { ProblemData } from '../model/problem.ts';

/**
 * Independent checker: recomputes distance, schedule, loads and cost of a solution from the
 * problem data alone (it shares no code with the search), and lists every violated rule.
 * Every solution the solver returns goes through it.
 */

export interface CheckedRoute {
  /** Vehicle type index. */
  vehicleType: number;
  /** Client indices (0-based positions in the problem's `clients` array). */
  clients: number[];
  /** Departure from the start depot, minutes. Default: the vehicle's shift start. */
  startMin?: number;
}

export interface CheckedSolution {
  routes: CheckedRoute[];
  /** Clients reported as not served (client indices). */
  unassigned: number[];
  /** Reported total cost; checked against the recomputed one when given. */
  cost?: number;
}

export type ViolationCode =
  | 'unknown_vehicle_type'
  | 'unknown_client'
  | 'fleet_size'
  | 'duplicate_client'
  | 'missing_client'
  | 'skill'
  | 'capacity'
  | 'time_window'
  | 'shift_length'
  | 'max_distance'
  | 'driving_time'
  | 'unreachable'
  | 'cost_mismatch';

export interface Violation {
  code: ViolationCode;
  message: string;
  route?: number;
  client?: number;
}

export interface CheckReport {
  feasible: boolean;
  violations: Violation[];
  cost: number;
  distance: number;
  durationMin: number;
}

const TIME_EPS = 1e-6;

export function checkSolution(data: ProblemData, solution: CheckedSolution): CheckReport {
  const violations: Violation[] = [];
  const C = data.nClients;
  const seen = new Int32Array(C);
  const usedPerType = new Int32Array(data.nTypes);
  let cost = 0;
  let totalDistance = 0;
  let totalDuration = 0;

  solution.routes.forEach((route, r) => {
    const t = route.vehicleType;
    if (!(t >= 0 && t < data.nTypes) || !Number.isInteger(t)) {
      violations.push({ code: 'unknown_vehicle_type', message: `route ${r} uses vehicle type ${t}, which does not exist`, route: r });
      return;
    }
    if (route.clients.length === 0) return;
    usedPerType[t]++;
    for (const c of route.clients) {
      if (!(c >= 0 && c < C) || !Number.isInteger(c)) {
        violations.push({ code: 'unknown_client', message: `route ${r} visits client ${c}, which does not exist`, route: r, client: c });
        return;
      }
      seen[c]++;
    }
    const result = checkRoute(data, route, r, violations);
    totalDistance += result.distance;
    totalDuration += result.duration;
    cost += data.fixedCost[t] + data.costPerDistance[t] * result.distance + data.costPerMin[t] * result.duration;
  });

  for (let t = 0; t < data.nTypes; t++) {
    if (usedPerType[t] > data.typeCount[t]) {
      violations.push({ code: 'fleet_size', message: `${usedPerType[t]} routes of vehicle type ${t}, only ${data.typeCount[t]} vehicles` });
    }
  }
  const reported = new Int32Array(C);
  for (const c of solution.unassigned) {
    if (!(c >= 0 && c < C)) {
      violations.push({ code: 'unknown_client', message: `unassigned client ${c} does not exist`, client: c });
      continue;
    }
    reported[c]++;
  }
  for (let c = 0; c < C; c++) {
    const node = data.nDepots + c;
    if (seen[c] > 1) violations.push({ code: 'duplicate_client', message: `client ${c} is visited ${seen[c]} times`, client: c });
    if (seen[c] > 0 && reported[c] > 0) violations.push({ code: 'duplicate_client', message: `client ${c} is both routed and reported unassigned`, client: c });
    if (seen[c] === 0) {
      if (data.required[node] && reported[c] === 0) violations.push({ code: 'missing_client', message: `required client ${c} is neither routed nor reported unassigned`, client: c });
      if (!data.required[node]) cost += data.prize[node];
    }
  }
  if (solution.cost !== undefined && Math.abs(solution.cost - cost) > 1e-6 * Math.max(1, Math.abs(cost))) {
    violations.push({ code: 'cost_mismatch', message: `reported cost ${solution.cost} differs from recomputed ${cost}` });
  }
  return { feasible: violations.length === 0, violations, cost, distance: totalDistance, durationMin: totalDuration };
}

function checkRoute(data: ProblemData, route: CheckedRoute, r: number, out: Violation[]): { distance: number; duration: number } {
  const t = route.vehicleType;
  const n = data.nNodes;
  const dims = data.dims;
  const startDepot = data.startDepot[t];
  const endDepot = data.endDepot[t];
  const shiftOpen = Math.max(data.shiftStart[t], data.twStart[startDepot]);
  const shiftClose = Math.min(data.shiftEnd[t], data.twEnd[endDepot]);
  const departure = route.startMin ?? shiftOpen;
  if (departure < shiftOpen - TIME_EPS || departure > Math.min(data.shiftEnd[t], data.twEnd[startDepot]) + TIME_EPS) {
    out.push({ code: 'shift_length', message: `route ${r} leaves its depot at ${departure}, outside [${shiftOpen}, ${data.shiftEnd[t]}]`, route: r });
  }
  const load = new Float64Array(dims);
  const perDay = data.maxDrivePerDay[t];
  const multiDay = Number.isFinite(perDay);
  let time = departure;
  let drivenToday = 0;
  let rests = 0;
  let distance = 0;
  let previous = startDepot;
  const stops = [...route.clients.map((c) => data.nDepots + c), endDepot];
  stops.forEach((node, k) => {
    const isDepot = k === stops.length - 1;
    const legDistance = data.dist[previous * n + node];
    const legTime = data.dur[previous * n + node];
    if (!Number.isFinite(legDistance) || !Number.isFinite(legTime)) {
      out.push({ code: 'unreachable', message: `route ${r}: no road from node ${previous} to node ${node}`, route: r });
    }
    distance += legDistance;
    if (multiDay) {
      if (legTime > perDay + TIME_EPS) {
        out.push({ code: 'driving_time', message: `route ${r}: a leg of ${legTime} min exceeds the ${perDay} min of driving per day`, route: r });
      }
      if (drivenToday > 0 && drivenToday + legTime > perDay + TIME_EPS) {
        time += data.restMin[t];
        drivenToday = 0;
        rests++;
      }
    }
    time += legTime;
    drivenToday += legTime;
    if (!isDepot) {
      const client = node - data.nDepots;
      if ((data.skillMask[node] & ~data.typeSkillMask[t]) !== 0) {
        out.push({ code: 'skill', message: `route ${r}: client ${client} needs a skill vehicle type ${t} lacks`, route: r, client });
      }
      for (let d = 0; d < dims; d++) load[d] += data.demand[node * dims + d];
      let start = Number.NaN;
      for (let w = data.twOffset[node]; w < data.twOffset[node + 1]; w++) {
        const open = data.twList[2 * w];
        const close = data.twList[2 * w + 1];
        if (time <= close + TIME_EPS) {
          start = Math.max(time, open);
          break;
        }
      }
      if (Number.isNaN(start)) {
        out.push({ code: 'time_window', message: `route ${r}: client ${client} reached at ${time.toFixed(2)}, after its last time window closed`, route: r, client });
        start = time;
      }
      if (multiDay && data.restMin[t] > 0 && start - time >= data.restMin[t]) drivenToday = 0;
      time = start + data.service[node];
    } else {
      time = Math.max(time, data.twStart[endDepot], data.shiftStart[t]);
    }
    previous = node;
  });
  for (let d = 0; d < dims; d++) {
    if (load[d] > data.capacity[t * dims + d] + 1e-9) {
      out.push({ code: 'capacity', message: `route ${r}: load ${load[d]} of ${data.dimensionNames[d]} exceeds capacity ${data.capacity[t * dims + d]}`, route: r });
    }
  }
  if (time > shiftClose + TIME_EPS) {
    out.push({ code: 'shift_length', message: `route ${r} returns at ${time.toFixed(2)}, after the shift ends (${shiftClose})`, route: r });
  }
  const duration = time - departure;
  let maxDuration = data.maxDuration[t];
  if (multiDay) maxDuration = Math.min(maxDuration, data.maxDays[t] * 1440);
  if (duration > maxDuration + TIME_EPS) {
    out.push({ code: 'shift_length', message: `route ${r} lasts ${duration.toFixed(2)} min, more than ${maxDuration}`, route: r });
  }
  if (multiDay && rests > data.maxDays[t] - 1) {
    out.push({ code: 'shift_length', message: `route ${r} needs ${rests} overnight rests, more than ${data.maxDays[t] - 1} allowed`, route: r });
  }
  if (distance > data.maxDistance[t] + 1e-9) {
    out.push({ code: 'max_distance', message: `route ${r} is ${distance} long, more than ${data.maxDistance[t]}`, route: r });
  }
  return { distance, duration };
}

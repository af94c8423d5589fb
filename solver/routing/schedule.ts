import type { ProblemData } from '../model/problem.ts';
import { mergeInto, type DurationSegment } from './segment.ts';

/** Exact evaluation of one route: the numbers the search, the population and the output share. */
export interface RouteEval {
  distance: number;
  durationMin: number;
  drivingMin: number;
  /** Time warp plus every excess of a time limit (shift, duration, driving), in minutes. */
  timeWarp: number;
  load: Float64Array;
  loadExcess: Float64Array;
  distExcess: number;
  /** fixed + distance + duration costs (no penalties). */
  baseCost: number;
  startMin: number;
  endMin: number;
  /** Overnight rests taken (multi-day routes). */
  rests: number;
}

export interface StopTime {
  node: number;
  arrivalMin: number;
  startMin: number;
  departureMin: number;
  /** 0-based day of the trip on which the stop is served. */
  day: number;
}

/** Latest allowed duration of a route of type t (multi-day types: at most maxDays × 24 h). */
export function durationLimit(data: ProblemData, t: number): number {
  const limit = data.maxDuration[t];
  if (Number.isFinite(data.maxDrivePerDay[t])) return Math.min(limit, data.maxDays[t] * 1440);
  return limit;
}

/** Start-depot window of type t: departure in [earliest, latest]. */
export function startWindow(data: ProblemData, t: number): [number, number] {
  const depot = data.startDepot[t];
  return [Math.max(data.shiftStart[t], data.twStart[depot]), Math.min(data.shiftEnd[t], data.twEnd[depot])];
}

/** End-depot window of type t: return in [earliest, latest]. */
export function endWindow(data: ProblemData, t: number): [number, number] {
  const depot = data.endDepot[t];
  return [Math.max(data.shiftStart[t], data.twStart[depot]), Math.min(data.shiftEnd[t], data.twEnd[depot])];
}

const seg: DurationSegment = { duration: 0, timeWarp: 0, earliest: 0, latest: 0 };

/**
 * Duration segment of the whole route using each client's window hull (exact when every
 * client has one window and the type has no daily driving limit).
 */
export function routeSegment(data: ProblemData, t: number, nodes: ArrayLike<number>): DurationSegment {
  const n = data.nNodes;
  const [se, sl] = startWindow(data, t);
  seg.duration = 0;
  seg.timeWarp = 0;
  seg.earliest = se;
  seg.latest = sl;
  let last = data.startDepot[t];
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i];
    mergeInto(seg, data.dur[last * n + v], data.service[v], 0, data.twStart[v], data.twEnd[v]);
    last = v;
  }
  const [ee, el] = endWindow(data, t);
  const end = data.endDepot[t];
  mergeInto(seg, data.dur[last * n + end], 0, 0, ee, el);
  return { ...seg };
}

interface SimResult {
  endMin: number;
  timeWarp: number;
  drivingMin: number;
  rests: number;
  legExcess: number;
}

/**
 * Forward simulation from departure `startMin`: waits for the next open window, counts time
 * warp when every window has closed, and for multi-day types inserts an overnight rest at the
 * current stop before a leg that would exceed the day's driving (a wait at least as long as
 * the rest also resets the day).
 */
export function simulate(data: ProblemData, t: number, nodes: ArrayLike<number>, startMin: number, stops?: StopTime[]): SimResult {
  const n = data.nNodes;
  const perDay = data.maxDrivePerDay[t];
  const rest = data.restMin[t];
  const multiDay = Number.isFinite(perDay);
  let time = startMin;
  let today = 0;
  let day = 0;
  let rests = 0;
  let driving = 0;
  let warp = 0;
  let legExcess = 0;
  let last = data.startDepot[t];
  const count = nodes.length;
  for (let i = 0; i <= count; i++) {
    const v = i < count ? nodes[i] : data.endDepot[t];
    const travel = data.dur[last * n + v];
    if (multiDay) {
      if (today > 0 && today + travel > perDay) {
        time += rest;
        today = 0;
        day++;
        rests++;
      }
      if (travel > perDay) legExcess += travel - perDay;
    }
    time += travel;
    today += travel;
    driving += travel;
    const arrival = time;
    let start: number;
    if (i < count) {
      start = Number.NaN;
      for (let w = data.twOffset[v]; w < data.twOffset[v + 1]; w++) {
        if (data.twList[2 * w + 1] >= time) {
          start = Math.max(time, data.twList[2 * w]);
          break;
        }
      }
      if (Number.isNaN(start)) {
        const lastEnd = data.twList[2 * (data.twOffset[v + 1] - 1) + 1];
        warp += time - lastEnd;
        start = lastEnd;
      }
    } else {
      const [ee, el] = endWindow(data, t);
      start = Math.max(time, ee);
      if (start > el) {
        warp += start - el;
        start = el;
      }
    }
    if (multiDay && start - arrival >= rest && rest > 0) {
      today = 0;
      day++;
    }
    const departure = i < count ? start + data.service[v] : start;
    if (stops && i < count) stops.push({ node: v, arrivalMin: arrival, startMin: start, departureMin: departure, day });
    time = departure;
    last = v;
  }
  return { endMin: time, timeWarp: warp, drivingMin: driving, rests, legExcess };
}

/** Evaluates a route of vehicle type `t` visiting `nodes` (client node indices, depots implied). */
export function evaluateRoute(data: ProblemData, t: number, nodes: ArrayLike<number>, stops?: StopTime[]): RouteEval {
  const n = data.nNodes;
  const dims = data.dims;
  const load = new Float64Array(dims);
  const loadExcess = new Float64Array(dims);
  let distance = 0;
  let last = data.startDepot[t];
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i];
    distance += data.dist[last * n + v];
    for (let d = 0; d < dims; d++) load[d] += data.demand[v * dims + d];
    last = v;
  }
  distance += data.dist[last * n + data.endDepot[t]];
  for (let d = 0; d < dims; d++) loadExcess[d] = Math.max(0, load[d] - data.capacity[t * dims + d]);
  const distExcess = Math.max(0, distance - data.maxDistance[t]);
  const result: RouteEval = {
    distance,
    durationMin: 0,
    drivingMin: 0,
    timeWarp: 0,
    load,
    loadExcess,
    distExcess,
    baseCost: nodes.length === 0 ? 0 : data.fixedCost[t] + data.costPerDistance[t] * distance,
    startMin: 0,
    endMin: 0,
    rests: 0,
  };
  if (nodes.length === 0) return result;
  if (!data.usesTime && !stops) return result;
  const s = routeSegment(data, t, nodes);
  const startMin = Math.min(Math.max(s.earliest, startWindow(data, t)[0]), s.latest);
  const exactBySegment = !data.hasMultiWindows && !Number.isFinite(data.maxDrivePerDay[t]);
  const sim = simulate(data, t, nodes, startMin, stops);
  let duration: number;
  let warp: number;
  if (exactBySegment) {
    duration = s.duration;
    warp = s.timeWarp;
  } else {
    duration = sim.endMin - startMin;
    warp = sim.timeWarp + sim.legExcess + Math.max(0, sim.rests - (data.maxDays[t] - 1)) * data.restMin[t];
  }
  warp += Math.max(0, duration - durationLimit(data, t));
  result.durationMin = duration;
  result.drivingMin = sim.drivingMin;
  result.timeWarp = warp;
  result.startMin = startMin;
  result.endMin = startMin + duration;
  result.rests = sim.rests;
  result.baseCost += data.costPerMin[t] * duration;
  return result;
}

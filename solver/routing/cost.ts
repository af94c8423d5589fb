import type { ProblemData } from '../model/problem.ts';
import type { Penalties } from './individual.ts';
import { durationLimit } from './schedule.ts';

/**
 * Penalised cost of one route as the search sees it: fixed + distance + duration costs, plus
 * penalties for load excess (per dimension), time warp (incl. shift / duration / driving
 * excess) and distance excess. Multi-day types add one overnight rest per started driving day
 * beyond the first (the exact rest placement is done by the schedule simulation).
 */
export function penalizedRouteCost(
  data: ProblemData,
  pen: Penalties,
  t: number,
  clients: number,
  distance: number,
  load: Float64Array,
  loadOffset: number,
  duration: number,
  timeWarp: number,
  driving: number,
): number {
  if (clients === 0) return 0;
  let cost = data.fixedCost[t] + data.costPerDistance[t] * distance;
  const dims = data.dims;
  for (let d = 0; d < dims; d++) {
    const excess = load[loadOffset + d] - data.capacity[t * dims + d];
    if (excess > 0) cost += pen.load[d] * excess;
  }
  const distExcess = distance - data.maxDistance[t];
  if (distExcess > 0) cost += pen.distance * distExcess;
  if (data.usesTime) {
    let tw = timeWarp;
    let dur = duration;
    const perDay = data.maxDrivePerDay[t];
    if (perDay < Number.POSITIVE_INFINITY) {
      const rests = Math.max(0, Math.ceil(driving / perDay - 1e-9) - 1);
      dur += rests * data.restMin[t];
      const extra = rests - (data.maxDays[t] - 1);
      if (extra > 0) tw += extra * data.restMin[t];
    }
    const over = dur - durationLimit(data, t);
    if (over > 0) tw += over;
    cost += data.costPerMin[t] * dur + pen.timeWarp * tw;
  }
  return cost;
}

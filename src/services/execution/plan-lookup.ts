import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ExecPlan, ExecRoute, ExecStop, PlanSource } from './types.ts';

/** Plan states in which the plan is not (or no longer) what vehicles carry on the road. */
const NOT_EXECUTABLE = new Set(['draft', 'generating', 'queued', 'running', 'failed', 'cancelled', 'superseded']);

export async function loadPlan(source: PlanSource, planId: string): Promise<ExecPlan> {
  const plan = await source.getPlan(planId);
  if (!plan) throw new NotFoundError(`No plan ${planId}.`);
  return plan;
}

export function requireExecutable(plan: ExecPlan): void {
  if (NOT_EXECUTABLE.has(plan.status)) {
    throw new ConflictError(`Plan ${plan.id} is ${plan.status}; deliveries are recorded on approved or dispatched plans.`);
  }
}

export function findStop(plan: ExecPlan, clues: string): { route: ExecRoute; stop: ExecStop } {
  for (const route of plan.routes) {
    const stop = route.stops.find((s) => s.clues === clues);
    if (stop) return { route, stop };
  }
  const unassigned = plan.unassigned.find((u) => u.clues === clues);
  if (unassigned) throw new NotFoundError(`Unit ${clues} is not on a route of plan ${plan.id} (unassigned: ${unassigned.reason}).`);
  throw new NotFoundError(`Unit ${clues} is not a stop of plan ${plan.id}.`);
}

import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ExecPlan, ExecPlanHeader, ExecRoute, ExecStop, PlanSource } from './types.ts';

/** Plan states in which the plan is not (or no longer) what vehicles carry on the road. */
const NOT_EXECUTABLE = new Set(['draft', 'generating', 'queued', 'running', 'failed', 'cancelled', 'superseded']);

export async function loadPlan(source: PlanSource, planId: string, fresh = false): Promise<ExecPlan> {
  const plan = await source.getPlan(planId, { fresh });
  if (!plan) throw new NotFoundError(`No plan ${planId}.`);
  return plan;
}

export function requireExecutable(plan: ExecPlanHeader): void {
  if (NOT_EXECUTABLE.has(plan.status)) {
    throw new ConflictError(`Plan ${plan.id} is ${plan.status}; deliveries and replanning apply to approved or dispatched plans.`);
  }
}

/** The plan header, the stop and its route; 404 naming what is missing. */
export async function locateStop(source: PlanSource, planId: string, clues: string): Promise<{ plan: ExecPlanHeader; route: ExecRoute; stop: ExecStop }> {
  const plan = await source.getPlanHeader(planId);
  if (!plan) throw new NotFoundError(`No plan ${planId}.`);
  const found = await source.getStop(planId, clues);
  if (found) return { plan, ...found };
  const unassigned = plan.unassigned.find((u) => u.clues === clues);
  if (unassigned) throw new NotFoundError(`Unit ${clues} is not on a route of plan ${planId} (unassigned: ${unassigned.reason}).`);
  throw new NotFoundError(`Unit ${clues} is not a stop of plan ${planId}.`);
}

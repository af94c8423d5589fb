import type { Models } from '../../models/index.ts';
import { createPlanInputRepository } from './plans-inputs.ts';
import { createLeaseRepository } from './plans-lease.ts';
import { createPlanLotRepository } from './plans-lots.ts';
import { createPlanRepository } from './plans.ts';
import { createRoundRepository } from './rounds.ts';

/** The repositories of rounds and plans over the registered models. */
export function createPlanningRepositories(models: Models) {
  return {
    rounds: createRoundRepository(models),
    plans: createPlanRepository(models),
    inputs: createPlanInputRepository(models),
    lots: createPlanLotRepository(models),
    lease: createLeaseRepository(models),
  };
}

export type PlanningRepositories = ReturnType<typeof createPlanningRepositories>;

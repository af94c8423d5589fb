/** Tuning of the hybrid genetic search (defaults follow HGS-CVRP, Vidal 2022). */
export interface HgsParams {
  /** Minimum subpopulation size. */
  mu: number;
  /** Generation size: offspring added before survivor selection. */
  lambda: number;
  nbElite: number;
  /** Neighbours used in the diversity measure. */
  nbClose: number;
  /** Granular neighbourhood size. */
  nbGranular: number;
  /** Share of feasible offspring the penalty control aims at. */
  targetFeasible: number;
  /** Iterations between penalty updates. */
  penaltyInterval: number;
  /** Probability of repairing an infeasible offspring with 10× penalties. */
  repairProbability: number;
  /** Iterations without improvement before the population is restarted. */
  restartAfter: number;
  /** Use the SWAP* operator (distance-based; used when the problem has no time dimension). */
  swapStar: boolean;
  /**
   * Share of the budget (time or iterations) spent minimising the number of vehicles when the
   * fleet is one vehicle type with a fixed cost; 0 disables it.
   */
  fleetShare: number;
  /** Share of the budget one attempt with one vehicle fewer may take. */
  fleetAttemptShare: number;
}

export const defaultParams: HgsParams = {
  mu: 25,
  lambda: 40,
  nbElite: 4,
  nbClose: 5,
  nbGranular: 20,
  targetFeasible: 0.2,
  penaltyInterval: 100,
  repairProbability: 0.5,
  restartAfter: 20_000,
  swapStar: true,
  fleetShare: 0.5,
  fleetAttemptShare: 0.2,
};

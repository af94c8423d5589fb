/**
 * Wires rounds, plans, coverage and the scheduler (one place for the composition root, the CLI
 * and the benchmark): repositories → services → routers.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Router } from 'express';
import type { Config } from '../../config.ts';
import { coverageRouter } from '../../http/routes/coverage.ts';
import { plansRouter } from '../../http/routes/plans.ts';
import { roundsRouter } from '../../http/routes/rounds.ts';
import { Scheduler } from '../../jobs/scheduler.ts';
import type { Logger } from '../../logging.ts';
import type { PlanningRepositories } from '../../repositories/plans-repositories.ts';
import { CoverageService, type DeliveryFact } from '../coverage.ts';
import { RoundService, type Actor } from '../rounds.ts';
import { distanceProviderFor, type DistanceProvider } from './distance.ts';
import type { JobRunner } from './jobs.ts';
import { PlanningService } from './service.ts';

export interface PlanningModuleOptions {
  repositories: PlanningRepositories;
  config: Config;
  logger: Logger;
  /** Optional: deliveries recorded by the execution side (coverage shows actual dates). */
  deliveries?: (planIds: string[]) => Promise<DeliveryFact[]>;
  distance?: DistanceProvider;
  runner?: JobRunner;
  instanceId?: string;
  /** Daily housekeeping run by the scheduler (see src/jobs/scheduler.ts). */
  housekeeping?: () => Promise<Record<string, number>>;
}

export function createPlanningModule(options: PlanningModuleOptions) {
  const { repositories: repos, config, logger } = options;
  const instanceId = options.instanceId ?? `inst-${randomBytes(4).toString('hex')}`;
  const calendar = { weekFromEnd: config.planning.ordinaryWeekFromEnd, deliveryDays: config.planning.ordinaryDeliveryDays };
  const rounds = new RoundService({ rounds: repos.rounds, plans: repos.plans, inputs: repos.inputs, lots: repos.lots, calendar });
  const planning = new PlanningService({
    rounds: repos.rounds,
    plans: repos.plans,
    inputs: repos.inputs,
    lots: repos.lots,
    settings: { ...config.planning, minShelfLifeDays: config.minShelfLifeDays },
    distance: options.distance ?? distanceProviderFor(config),
    runner: options.runner,
    logger,
    instanceId,
  });
  const coverage = new CoverageService({ rounds: repos.rounds, plans: repos.plans, inputs: repos.inputs, deliveries: options.deliveries });
  const scheduler = new Scheduler({
    lease: repos.lease,
    rounds,
    planning,
    logger,
    cron: config.scheduler.cron,
    timezone: config.scheduler.timezone,
    calendar,
    instanceId,
    housekeeping: options.housekeeping,
  });
  return {
    rounds,
    planning,
    coverage,
    scheduler,
    routers(actorOf: (req: Request) => Actor): Router[] {
      return [roundsRouter({ rounds, planning, actorOf }), plansRouter({ planning, actorOf }), coverageRouter({ coverage, actorOf })];
    },
    /** Graceful stop: schedules, then running generations (marked failed, cleaned up). */
    async stop(): Promise<void> {
      await scheduler.stop();
      await planning.stop();
    },
  };
}

export type PlanningModule = ReturnType<typeof createPlanningModule>;

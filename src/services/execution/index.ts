import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { registerModels } from '../../../models/index.ts';
import { createDeliveryRepository } from '../../repositories/deliveries.ts';
import { createPlanReplanRepository } from '../../repositories/deliveries-plans.ts';
import { createEvidenceRepository } from '../../repositories/evidence.ts';
import { createPlanRepository } from '../../repositories/plans.ts';
import { createRoundRepository } from '../../repositories/rounds.ts';
import { createUnitRepository } from '../../repositories/units.ts';
import { createVehicleRepository } from '../../repositories/vehicles.ts';
import { createWarehouseRepository } from '../../repositories/warehouses.ts';
import type { RunOnce } from '../idempotency.ts';
import { distanceProviderFor } from '../planning/distance.ts';
import { createDeliveryService } from './deliveries.ts';
import { createEvidenceService } from './evidence.ts';
import { ExecutionEvents } from './events.ts';
import { createPlanSource } from './plan-source.ts';
import { loadRegions } from './regions.ts';
import { createReplanService } from './replan-service.ts';
import { createRoundExecutionService } from './rounds.ts';
import type { PlanSource } from './types.ts';

export interface ExecutionOptions {
  connection: Connection;
  projectRoot: string;
  /** The shared Idempotency-Key runner of the core services. */
  runOnce: RunOnce;
  config: { evidenceMaxBytes: number; circuityFactor: number; averageSpeedKmh: number; osrmUrl: string | undefined };
  /** How often open progress streams re-read the database (other instances' changes). */
  progressPollMs?: number;
  /** Solver budget per warehouse when replanning. */
  replanTimeLimitMs?: number;
  /** Replaces the adapter over the plans module (tests of the services alone). */
  plans?: PlanSource;
  now?: () => Date;
}

/** Round execution: repositories, the plan adapter and the four services, built once by main.ts. */
export function createExecutionServices(options: ExecutionOptions) {
  const models = registerModels(options.connection);
  const deliveries = createDeliveryRepository(options.connection);
  const evidence = createEvidenceRepository(options.connection);
  const plans =
    options.plans ??
    createPlanSource({
      plans: createPlanRepository(models),
      rounds: createRoundRepository(models),
      warehouses: createWarehouseRepository(models),
      vehicles: createVehicleRepository(models),
      units: createUnitRepository(models),
      replans: createPlanReplanRepository(options.connection),
    });
  const regions = loadRegions(join(options.projectRoot, 'data', 'regions.csv'));
  const events = new ExecutionEvents();
  const now = options.now;
  return {
    events,
    /** Unique indexes of deliveries and evidence; await before serving. */
    init: async (): Promise<void> => {
      await Promise.all([deliveries.init(), evidence.init()]);
    },
    /** For the coverage service: what was actually delivered on these plans. */
    deliveryFacts: (planIds: string[]) => deliveries.listByPlans(planIds),
    deliveries: createDeliveryService({ plans, deliveries, runOnce: options.runOnce, events, regions, now }),
    evidence: createEvidenceService({ plans, evidence, deliveries, events, regions, maxBytes: options.config.evidenceMaxBytes, now }),
    rounds: createRoundExecutionService({ plans, deliveries, evidence, events, regions, pollMs: options.progressPollMs ?? 5000, now }),
    replan: createReplanService({
      plans,
      deliveries,
      runOnce: options.runOnce,
      events,
      distance: distanceProviderFor(options.config),
      timeLimitMs: options.replanTimeLimitMs ?? 5000,
      now,
    }),
  };
}

export type ExecutionServices = ReturnType<typeof createExecutionServices>;

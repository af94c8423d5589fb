import { ConflictError, ForbiddenError } from '../../errors.ts';
import type { DeliveryRepository } from '../../repositories/deliveries.ts';
import type { RunOnce } from '../idempotency.ts';
import type { DistanceProvider } from '../planning/distance.ts';
import { requireAction } from './access.ts';
import type { ExecutionEvents } from './events.ts';
import { canonicalJson, sha256Hex } from './hashing.ts';
import { loadPlan, requireExecutable } from './plan-lookup.ts';
import { replanPlan, type ReplanChanges } from './replan.ts';
import { localDay } from './time.ts';
import type { Actor, PlanSource } from './types.ts';

export interface ReplanInput {
  vehiclesOut?: string[];
  unitsClosed?: string[];
  from?: string;
}

export interface ReplanOutcome {
  planId: string;
  changes: ReplanChanges;
}

export interface ReplanServiceDeps {
  plans: PlanSource;
  deliveries: DeliveryRepository;
  runOnce: RunOnce;
  events: ExecutionEvents;
  distance: DistanceProvider;
  timeLimitMs: number;
  now?: () => Date;
}

export function createReplanService(deps: ReplanServiceDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async replan(actor: Actor, planId: string, input: ReplanInput, idempotencyKey?: string): Promise<ReplanOutcome> {
      requireAction(actor, 'replan');
      const plan = await loadPlan(deps.plans, planId, true);
      requireExecutable(plan);
      const saveRoutes = deps.plans.saveRoutes?.bind(deps.plans);
      if (!saveRoutes) throw new ConflictError('This installation cannot save replanned routes (the plans module exposes no route update).');
      if (actor.state !== undefined) {
        // A state coordinator replans only vehicles and units of their own state.
        const foreignVehicle = plan.routes.find((route) => (input.vehiclesOut ?? []).includes(route.vehicleId) && route.state.code !== actor.state);
        const foreignUnit = plan.routes.flatMap((route) => route.stops).find((stop) => (input.unitsClosed ?? []).includes(stop.clues) && stop.state.code !== actor.state);
        if (foreignVehicle) throw new ForbiddenError(`Vehicle ${foreignVehicle.vehicleId} belongs to state ${foreignVehicle.state.code}; this token is limited to state ${actor.state}.`);
        if (foreignUnit) throw new ForbiddenError(`Unit ${foreignUnit.clues} is in state ${foreignUnit.state.code}; this token is limited to state ${actor.state}.`);
      }
      const work = async (): Promise<{ status: number; body: ReplanOutcome; resourceId: string }> => {
        await deps.plans.prepareForReplan?.(plan);
        const deliveries = await deps.deliveries.listByPlan(planId);
        const delivered = new Set(deliveries.map((d) => d.clues));
        const from = input.from ?? localDay(now());
        const result = await replanPlan(plan, delivered, { vehiclesOut: input.vehiclesOut, unitsClosed: input.unitsClosed, from }, { distance: deps.distance, timeLimitMs: deps.timeLimitMs });
        const note = `replanned from ${from} by ${actor.name ?? actor.tokenId ?? actor.role}: vehicles out ${(input.vehiclesOut ?? []).join(', ') || '—'}; units closed ${(input.unitsClosed ?? []).join(', ') || '—'}`;
        await saveRoutes(planId, result.routes, result.unassigned, note);
        deps.events.publish({ kind: 'replan', roundId: plan.roundId, planId, at: now() });
        return { status: 200, body: { planId, changes: result.changes }, resourceId: planId };
      };
      if (!idempotencyKey) return (await work()).body;
      return (await deps.runOnce<ReplanOutcome>(`replan:${planId}`, idempotencyKey, sha256Hex(canonicalJson(input)), work)).body;
    },
  };
}

export type ReplanService = ReturnType<typeof createReplanService>;

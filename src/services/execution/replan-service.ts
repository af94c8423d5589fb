import { ConflictError, ForbiddenError } from '../../errors.ts';
import type { DeliveryRepository, ExecutionIdempotency } from '../../repositories/deliveries.ts';
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
  idempotency: ExecutionIdempotency;
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
      const plan = await loadPlan(deps.plans, planId);
      requireExecutable(plan);
      if (!deps.plans.saveRoutes) throw new ConflictError('This installation cannot save replanned routes (the plans module exposes no route update).');
      if (actor.state !== undefined) {
        // A state coordinator replans only vehicles and units of their own state.
        const foreignVehicle = plan.routes.find((route) => (input.vehiclesOut ?? []).includes(route.vehicleId) && route.state.code !== actor.state);
        const foreignUnit = plan.routes.flatMap((route) => route.stops).find((stop) => (input.unitsClosed ?? []).includes(stop.clues) && stop.state.code !== actor.state);
        if (foreignVehicle) throw new ForbiddenError(`Vehicle ${foreignVehicle.vehicleId} belongs to state ${foreignVehicle.state.code}; this token is limited to state ${actor.state}.`);
        if (foreignUnit) throw new ForbiddenError(`Unit ${foreignUnit.clues} is in state ${foreignUnit.state.code}; this token is limited to state ${actor.state}.`);
      }
      const scope = `replan:${planId}`;
      const bodyHash = sha256Hex(canonicalJson(input));
      if (idempotencyKey) {
        const claim = await deps.idempotency.claim(scope, idempotencyKey, bodyHash);
        if (claim.state === 'mismatch') throw new ConflictError('This Idempotency-Key was already used with a different replanning request.');
        if (claim.state === 'replay') return claim.response.body as ReplanOutcome;
      }
      try {
        const deliveries = await deps.deliveries.listByPlan(planId);
        const delivered = new Set(deliveries.map((d) => d.clues));
        const from = input.from ?? localDay(now());
        const result = await replanPlan(plan, delivered, { vehiclesOut: input.vehiclesOut, unitsClosed: input.unitsClosed, from }, { distance: deps.distance, timeLimitMs: deps.timeLimitMs });
        const note = `replanned from ${from} by ${actor.name ?? actor.tokenId ?? actor.role}: vehicles out ${(input.vehiclesOut ?? []).join(', ') || '—'}; units closed ${(input.unitsClosed ?? []).join(', ') || '—'}`;
        await deps.plans.saveRoutes(planId, result.routes, result.unassigned, note);
        const outcome: ReplanOutcome = { planId, changes: result.changes };
        if (idempotencyKey) await deps.idempotency.complete(scope, idempotencyKey, { status: 200, resourceId: planId, body: outcome });
        deps.events.publish({ kind: 'replan', roundId: plan.roundId, planId, at: now() });
        return outcome;
      } catch (error) {
        if (idempotencyKey) await deps.idempotency.release(scope, idempotencyKey);
        throw error;
      }
    },
  };
}

export type ReplanService = ReturnType<typeof createReplanService>;

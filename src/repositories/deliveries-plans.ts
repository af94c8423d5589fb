import type { Connection } from 'mongoose';
import { planKitModel } from '../../models/plan-kit.ts';
import { planRouteModel, type PlanRouteDoc } from '../../models/plan-route.ts';
import { planModel } from '../../models/plan.ts';

/**
 * The writes replanning makes to a plan's documents (plans, plan_routes, plan_kits). The
 * embedded server has no transactions, so the order makes every step safe to repeat and the
 * header — what readers follow — changes last, in one single-document update: new routes are
 * inserted first (unreferenced until then), kits point to their new route, changed routes are
 * rewritten, and finally the header lists the new route ids and unassigned units, with the
 * KPIs recomputed over them.
 */
export function createPlanReplanRepository(connection: Connection) {
  const Plan = planModel(connection);
  const PlanRoute = planRouteModel(connection);
  const PlanKit = planKitModel(connection);
  return {
    /**
     * Marks a stop closed inside its route document (the routes API and the console show it):
     * one atomic positional update, so deliveries of two stops of a route never overwrite each
     * other. Returns false when the stop is not in that route document.
     */
    async closeStop(routeDocId: string, clues: string, outcome: { status: 'delivered' | 'not-delivered'; at: Date; reason?: string }): Promise<boolean> {
      const set: Record<string, unknown> = { 'route.stops.$.status': outcome.status, 'route.stops.$.deliveredAt': outcome.at.toISOString() };
      if (outcome.reason) set['route.stops.$.notDeliveredReason'] = outcome.reason;
      const result = await PlanRoute.collection.updateOne({ _id: routeDocId as never, 'route.stops.clues': clues }, { $set: set });
      return result.matchedCount === 1;
    },

    async applyReplan(change: {
      planId: string;
      generation: string;
      routes: { id: string; routeKey: string; route: unknown }[];
      kitRouteKeys: { clues: string; routeKey: string }[];
      header: { routeIds: string[]; unassigned: unknown[]; vehicles: unknown[]; kpis: unknown; replans: unknown };
    }): Promise<void> {
      for (const route of change.routes) {
        const doc: PlanRouteDoc = { _id: route.id, planId: change.planId, generation: change.generation, routeKey: route.routeKey, route: route.route };
        await PlanRoute.replaceOne({ _id: route.id }, doc, { upsert: true });
      }
      for (const kit of change.kitRouteKeys) {
        await PlanKit.updateOne({ _id: `${change.generation}:${kit.clues}` }, { $set: { routeKey: kit.routeKey } });
      }
      await Plan.collection.updateOne(
        { _id: change.planId as never, generation: change.generation },
        {
          $set: { routeIds: change.header.routeIds, unassigned: change.header.unassigned, vehicles: change.header.vehicles, kpis: change.header.kpis, updatedAt: new Date() },
          $push: { replans: change.header.replans },
        } as never,
      );
    },
  };
}

export type PlanReplanRepository = ReturnType<typeof createPlanReplanRepository>;

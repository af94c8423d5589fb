import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One route of a plan generation. `_id` = "<generation>:<routeKey>" (the fast key); the body is
 * a PlannedRoute (src/services/planning/types.ts) with its stops, written in bulk.
 */
export interface PlanRouteDoc {
  _id: string;
  planId: string;
  generation: string;
  routeKey: string;
  route: unknown;
}

export const planRouteSchema = new Schema<PlanRouteDoc>(
  {
    _id: { type: String, required: true },
    planId: { type: String, required: true },
    generation: { type: String, required: true },
    routeKey: { type: String, required: true },
    route: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'plan_routes', id: false, versionKey: false },
);

export type PlanRouteModel = Model<PlanRouteDoc>;
export function planRouteModel(connection: Connection): PlanRouteModel {
  return (connection.models.PlanRoute as PlanRouteModel | undefined) ?? connection.model<PlanRouteDoc>('PlanRoute', planRouteSchema);
}

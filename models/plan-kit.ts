import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The kit of one stop of a plan generation (up to 147 lines with their lots). `_id` =
 * "<generation>:<clues>"; one document per stop keeps every document far below 16 MB.
 */
export interface PlanKitDoc {
  _id: string;
  planId: string;
  generation: string;
  clues: string;
  routeKey: string;
  /** UnitKit (src/services/planning/types.ts). */
  kit: unknown;
}

export const planKitSchema = new Schema<PlanKitDoc>(
  {
    _id: { type: String, required: true },
    planId: { type: String, required: true },
    generation: { type: String, required: true },
    clues: { type: String, required: true },
    routeKey: { type: String, required: true },
    kit: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'plan_kits', id: false, versionKey: false },
);

export type PlanKitModel = Model<PlanKitDoc>;
export function planKitModel(connection: Connection): PlanKitModel {
  return (connection.models.PlanKit as PlanKitModel | undefined) ?? connection.model<PlanKitDoc>('PlanKit', planKitSchema);
}

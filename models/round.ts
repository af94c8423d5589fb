import { Schema, type Connection, type Model } from 'mongoose';

export const ROUND_TYPES = ['ordinary', 'extraordinary', 'emergency'] as const;
export type RoundType = (typeof ROUND_TYPES)[number];
export const ROUND_LEVELS = ['first', 'second-third'] as const;
export type RoundLevel = (typeof ROUND_LEVELS)[number];
export const ROUND_STATUSES = ['planned', 'in-progress', 'closed', 'cancelled'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/**
 * A distribution round ("jornada"). `_id` is "rnd-<hex>" for rounds created by hand and
 * "cal-<level>-<YYYY-MM>" for the ordinary round of the default calendar, so two scheduler
 * instances creating the same month's round collide on the `_id` (only one wins).
 */
export interface RoundDoc {
  _id: string;
  name: string;
  type: RoundType;
  level: RoundLevel;
  /** ISO dates (local days), inclusive. */
  deliveryStart: string;
  deliveryEnd: string;
  /** Month of deliveryStart, "YYYY-MM" (coverage queries). */
  month: string;
  /** INEGI state codes; empty = every state. */
  states: string[];
  /** CLUES; empty = every active unit of the level in `states`. */
  units: string[];
  /** State code → coordinator named on the route programme. */
  coordinators: { state: string; name: string }[];
  status: RoundStatus;
  source: 'api' | 'cli' | 'scheduler';
  /** The plan that counts for the round (latest complete draft, or the approved one). */
  currentPlanId?: string;
  /** The approved (or dispatched) plan; at most one per round. */
  approvedPlanId?: string;
  createdBy: string;
  cancelledBy?: string;
  cancelledAt?: Date;
  cancelReason?: string;
  closedBy?: string;
  closedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const roundSchema = new Schema<RoundDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    type: { type: String, enum: ROUND_TYPES, required: true },
    level: { type: String, enum: ROUND_LEVELS, required: true },
    deliveryStart: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    deliveryEnd: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    month: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    states: { type: [String], default: [] },
    units: { type: [String], default: [] },
    coordinators: { type: [new Schema({ state: String, name: String }, { _id: false })], default: [] },
    status: { type: String, enum: ROUND_STATUSES, required: true, default: 'planned' },
    source: { type: String, enum: ['api', 'cli', 'scheduler'], required: true, default: 'api' },
    currentPlanId: { type: String },
    approvedPlanId: { type: String },
    createdBy: { type: String, required: true },
    cancelledBy: String,
    cancelledAt: Date,
    cancelReason: String,
    closedBy: String,
    closedAt: Date,
  },
  { timestamps: true, collection: 'rounds', id: false, versionKey: false },
);

export type RoundModel = Model<RoundDoc>;
export function roundModel(connection: Connection): RoundModel {
  return (connection.models.Round as RoundModel | undefined) ?? connection.model<RoundDoc>('Round', roundSchema);
}

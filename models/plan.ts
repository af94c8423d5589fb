import { Schema, type Connection, type Model } from 'mongoose';

export const PLAN_STATUSES = ['queued', 'running', 'draft', 'approved', 'dispatched', 'failed', 'superseded', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * The header of a plan: status, progress, KPIs, unassigned units and an index of its routes.
 * Routes and kits live in their own documents (plan_routes, plan_kits) under a generation id;
 * `generation` is set, in one single-document update, only once all of them are written, so
 * readers never see a partial plan. Large nested blocks are stored as plain data (Mixed).
 */
export interface PlanDoc {
  _id: string;
  roundId: string;
  status: PlanStatus;
  stage: string;
  percent: number;
  /** Complete generation readers use (absent until the run finishes). */
  generation?: string;
  /** Generation being written by the current run. */
  runGeneration?: string;
  /** Instance running the generation and its last sign of life (stale → failed). */
  owner?: string;
  heartbeatAt?: Date;
  error?: { code: string; message: string };
  options: { seed: number; timeBudgetMs?: number };
  deliveryDates: string[];
  /** PlanKpis, UnassignedUnit[], RationedItem[], WarehouseOutcome[] (see src/services/planning/types.ts). */
  kpis?: unknown;
  unassigned: unknown[];
  rationing: unknown[];
  warehouses: unknown[];
  /** Route document ids of `generation`, and the vehicles that run them. */
  routeIds: string[];
  vehicles: { vehicleId: string; warehouseId: string; stateCode: string; routeIds: string[] }[];
  reservation?: { lots: number; pieces: number };
  /** Milliseconds spent per generation stage, and `total`. */
  timingsMs?: Record<string, number>;
  /** Item attributes (name, category, cold chain, controlled) of the kit lines, once per plan. */
  items?: unknown[];
  createdBy: string;
  startedAt?: Date;
  finishedAt?: Date;
  approvedBy?: string;
  approvedAt?: Date;
  dispatchedBy?: string;
  dispatchedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const planSchema = new Schema<PlanDoc>(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    status: { type: String, enum: PLAN_STATUSES, required: true },
    stage: { type: String, required: true, default: 'queued' },
    percent: { type: Number, required: true, default: 0, min: 0, max: 100 },
    generation: String,
    runGeneration: String,
    owner: String,
    heartbeatAt: Date,
    error: { type: new Schema({ code: String, message: String }, { _id: false }) },
    options: { type: Schema.Types.Mixed, default: () => ({ seed: 1 }) },
    deliveryDates: { type: [String], default: [] },
    kpis: Schema.Types.Mixed,
    unassigned: { type: [Schema.Types.Mixed], default: [] },
    rationing: { type: [Schema.Types.Mixed], default: [] },
    warehouses: { type: [Schema.Types.Mixed], default: [] },
    routeIds: { type: [String], default: [] },
    vehicles: { type: Schema.Types.Mixed, default: () => [] },
    reservation: Schema.Types.Mixed,
    timingsMs: Schema.Types.Mixed,
    items: { type: Schema.Types.Mixed },
    createdBy: { type: String, required: true },
    startedAt: Date,
    finishedAt: Date,
    approvedBy: String,
    approvedAt: Date,
    dispatchedBy: String,
    dispatchedAt: Date,
  },
  { timestamps: true, collection: 'plans', id: false, versionKey: false, minimize: false },
);

export type PlanModel = Model<PlanDoc>;
export function planModel(connection: Connection): PlanModel {
  return (connection.models.Plan as PlanModel | undefined) ?? connection.model<PlanDoc>('Plan', planSchema);
}

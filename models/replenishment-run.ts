import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A replenishment run (issue 7) is stored as ONE small header plus one document per unit and one
 * per item, because a national run (~9,500 units × 147 items) does not fit in one 16 MB document.
 * - header `replenishment_runs`, `_id` = run id (24 hex characters, time-ordered);
 * - per unit `replenishment_run_units`, `_id` = "<runId>|<CLUES>" (unique (runId, clues));
 * - per item `replenishment_run_items`, `_id` = "<runId>|<code>" (unique (runId, code)).
 * Results are written first; the header flips from `running` to `completed` last, in a single
 * document update, so readers never see a partial run. A failure marks the header `failed`.
 */

export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_SCOPES = ['warehouse', 'national'] as const;
export type RunScope = (typeof RUN_SCOPES)[number];
export const RUN_METHODS = ['highs', 'water-filling'] as const;
export type RunMethod = (typeof RUN_METHODS)[number];

export interface RunOptions {
  /** Days the kit must cover (OpenLMIS coverage; default 30). */
  horizonDays: number;
  safetyDays: number;
  daysUntilNextDelivery: number;
  emergencyDays: number;
  minShelfLifeDays: number;
  method: RunMethod;
  /** ISO date YYYY-MM-DD of the delivery (drives lot shelf life). */
  deliveryDate: string;
  /** Priority weights for rationing (≥ 1): hospitals (care level ≥ 2) and remote units. */
  hospitalWeight: number;
  remoteWeight: number;
}

/** Rationing report of one item (over the run's warehouses). */
export interface RunItemReport {
  code: string;
  name: string;
  /** Usable pieces at the warehouses (quantity − reserved, shelf life ≥ minimum at delivery). */
  available: number;
  /** Pieces refused for this delivery: expired, or shelf life below the minimum. */
  expiredQuantity: number;
  shortShelfLifeQuantity: number;
  requested: number;
  allocated: number;
  shortfall: number;
  unitsShort: number;
  /** Lowest coverage days at delivery after the kit over units that use the item (≤ horizon + safety). */
  minCoverageDays: number;
}

export interface RunSummary {
  warehouses: number;
  units: number;
  /** Units whose AMC came from the kit template for at least one item (no reports). */
  unitsWithoutReports: number;
  items: number;
  itemsShort: number;
  requestedPieces: number;
  allocatedPieces: number;
  shortfallPieces: number;
  emergencyLines: number;
  unfilledLotLines: number;
  weightKg: number;
  volumeM3: number;
  coldBoxes: number;
}

export interface RunWarehouseSummary {
  warehouseId: string;
  name: string;
  state: string;
  units: number;
  itemsShort: number;
  /** False: the warehouse has no lot records (stock not tracked; requests were not rationed). */
  stockTracked: boolean;
}

export interface ReplenishmentRunDoc {
  _id: string;
  scope: RunScope;
  warehouseId?: string;
  /** INEGI code of the warehouse's state (warehouse runs), for state-scoped readers. */
  state?: string;
  status: RunStatus;
  options: RunOptions;
  createdBy?: string;
  createdAt: Date;
  completedAt?: Date;
  failedAt?: Date;
  error?: string;
  summary?: RunSummary;
  warehouses?: RunWarehouseSummary[];
  /** One entry per catalogue item, catalogue order (set with the flip to `completed`). */
  rationing?: RunItemReport[];
  /** National runs: active units without a warehouse (not planned, listed so nobody is dropped silently). */
  unassignedUnits?: string[];
}

export interface RunUnitLine {
  code: string;
  /** AMC source: the unit's reports or its kit template. */
  source: 'reports' | 'template';
  averageMonthlyConsumption: number;
  stockOnHand: number;
  stockoutRisk: string;
  maxStockQuantity: number;
  requestedQuantity: number;
  allocatedQuantity: number;
  coverageDaysAtDelivery: number | null;
  emergency: boolean;
}

export interface RunLotPick {
  code: string;
  lotNumber: string;
  expiryDate: string;
  quantity: number;
  shelfLifeDaysAtDelivery: number;
  coldBox: boolean;
}

export interface RunUnfilledLine {
  code: string;
  requested: number;
  filled: number;
  missing: number;
  reason: 'no_stock' | 'expired' | 'short_shelf_life';
  blockedQuantity: number;
}

export interface RunKitTotals {
  claves: number;
  medicinePieces: number;
  supplyPieces: number;
  weightKg: number;
  volumeM3: number;
  coldChainPieces: number;
  coldChainVolumeM3: number;
  coldBoxes: number;
  controlledPieces: number;
}

/** What one unit's result holds besides its summary (stored as JSON text in `detail`). */
export interface RunUnitDetail {
  lines: RunUnitLine[];
  lots: RunLotPick[];
  unfilled: RunUnfilledLine[];
}

/**
 * One unit's result. The 147 kit lines, lots and unfilled lines are stored as one JSON string
 * (`detail`): they are only ever read whole, by `_id`, and a nested array of 147 sub-documents
 * costs the embedded wire server ~10× more to write than the same data as one string (measured:
 * 12 ms vs ~1 ms per unit), which matters for a national run of 9,500 units.
 */
export interface ReplenishmentRunUnitDoc {
  _id: string;
  runId: string;
  clues: string;
  name: string;
  warehouseId: string;
  state: string;
  sizeClass: string;
  weight: number;
  deliveryDate: string;
  linesShort: number;
  emergencyLines: number;
  totals: RunKitTotals;
  /** JSON of {@link RunUnitDetail}. */
  detail: string;
}

export interface RunItemWarehouse {
  warehouseId: string;
  available: number;
  expiredQuantity: number;
  shortShelfLifeQuantity: number;
  requested: number;
  allocated: number;
  shortfall: number;
  unitsShort: number;
  minCoverageDays: number;
}

export interface RunShortUnit {
  clues: string;
  warehouseId: string;
  requested: number;
  allocated: number;
  coverageDaysAtDelivery: number | null;
}

export interface ReplenishmentRunItemDoc {
  _id: string;
  runId: string;
  code: string;
  report: RunItemReport;
  warehouses: RunItemWarehouse[];
  /** Units that received less than they requested, lowest coverage first. */
  shortUnits: RunShortUnit[];
}

export function runUnitId(runId: string, clues: string): string {
  return `${runId}|${clues}`;
}

export function runItemId(runId: string, code: string): string {
  return `${runId}|${code}`;
}

// Sub-documents are stored as given (validated by the service that computes them): a strict
// schema for 147 lines × 9,500 units would only cost time on every insert.
export const replenishmentRunSchema = new Schema<ReplenishmentRunDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, enum: RUN_SCOPES, required: true },
    warehouseId: { type: String },
    state: { type: String },
    status: { type: String, enum: RUN_STATUSES, required: true },
    options: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date },
    failedAt: { type: Date },
    error: { type: String },
    summary: { type: Schema.Types.Mixed },
    warehouses: { type: Schema.Types.Mixed },
    rationing: { type: Schema.Types.Mixed },
    unassignedUnits: { type: [String], default: undefined },
  },
  { collection: 'replenishment_runs', id: false, versionKey: false, minimize: false },
);

export const replenishmentRunUnitSchema = new Schema<ReplenishmentRunUnitDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    clues: { type: String, required: true },
    name: { type: String, required: true },
    warehouseId: { type: String, required: true },
    state: { type: String, required: true },
    sizeClass: { type: String, required: true },
    weight: { type: Number, required: true },
    deliveryDate: { type: String, required: true },
    linesShort: { type: Number, required: true },
    emergencyLines: { type: Number, required: true },
    totals: { type: Schema.Types.Mixed, required: true },
    detail: { type: String, required: true },
  },
  { collection: 'replenishment_run_units', id: false, versionKey: false, minimize: false },
);
replenishmentRunUnitSchema.index({ runId: 1, clues: 1 }, { unique: true });

export const replenishmentRunItemSchema = new Schema<ReplenishmentRunItemDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    code: { type: String, required: true },
    report: { type: Schema.Types.Mixed, required: true },
    warehouses: { type: Schema.Types.Mixed, required: true },
    shortUnits: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'replenishment_run_items', id: false, versionKey: false, minimize: false },
);
replenishmentRunItemSchema.index({ runId: 1, code: 1 }, { unique: true });

export type ReplenishmentRunModel = Model<ReplenishmentRunDoc>;
export type ReplenishmentRunUnitModel = Model<ReplenishmentRunUnitDoc>;
export type ReplenishmentRunItemModel = Model<ReplenishmentRunItemDoc>;

export function replenishmentRunModel(connection: Connection): ReplenishmentRunModel {
  return (connection.models.ReplenishmentRun as ReplenishmentRunModel | undefined) ?? connection.model<ReplenishmentRunDoc>('ReplenishmentRun', replenishmentRunSchema);
}
export function replenishmentRunUnitModel(connection: Connection): ReplenishmentRunUnitModel {
  return (
    (connection.models.ReplenishmentRunUnit as ReplenishmentRunUnitModel | undefined) ??
    connection.model<ReplenishmentRunUnitDoc>('ReplenishmentRunUnit', replenishmentRunUnitSchema)
  );
}
export function replenishmentRunItemModel(connection: Connection): ReplenishmentRunItemModel {
  return (
    (connection.models.ReplenishmentRunItem as ReplenishmentRunItemModel | undefined) ??
    connection.model<ReplenishmentRunItemDoc>('ReplenishmentRunItem', replenishmentRunItemSchema)
  );
}

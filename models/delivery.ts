import { Schema, type Connection, type Model } from 'mongoose';
import { stateRefSchema, type StateRef } from './common.ts';

const integer = { validator: Number.isInteger, message: '{PATH} must be an integer' };

/** Why a planned stop was not delivered (proof of delivery, "no entregado"). */
export const NOT_DELIVERED_REASONS = [
  'closed',
  'no-receiver',
  'refused',
  'access',
  'security',
  'weather',
  'vehicle',
  'out-of-time',
  'other',
] as const;
export type NotDeliveredReason = (typeof NOT_DELIVERED_REASONS)[number];

/** A received line that differs from what was shipped: pieces short, damaged or expired. */
export const DISCREPANCY_KINDS = ['short', 'damaged', 'expired'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export interface DeliveryDiscrepancy {
  kind: DiscrepancyKind;
  /** Pieces, integer > 0. */
  quantity: number;
  note?: string;
}

export interface DeliveryLine {
  itemCode: string;
  lotNumber?: string;
  /** Pieces accepted into the unit's stock (integer ≥ 0). */
  quantityReceived: number;
  discrepancies: DeliveryDiscrepancy[];
}

export interface DeliveryActor {
  tokenId?: string;
  name?: string;
  role?: string;
}

/**
 * Proof of delivery of one planned stop. `_id` is "<planId>|<CLUES>": a stop has at most one
 * delivery record, so a retried or duplicated submission can never deliver twice.
 */
export interface DeliveryDoc {
  _id: string;
  planId: string;
  roundId: string;
  clues: string;
  unitName: string;
  state: StateRef;
  region?: string;
  warehouseId?: string;
  routeKey?: string;
  vehicleId?: string;
  /** Date the stop was planned for (ISO date). */
  plannedDate?: string;
  delivered: boolean;
  reason?: NotDeliveredReason;
  reasonNote?: string;
  receivedBy?: string;
  /** When the kit was handed over (or the visit failed). */
  deliveredAt: Date;
  /** Local (America/Mexico_City) ISO date of `deliveredAt`: the evidence "day". */
  day: string;
  lines: DeliveryLine[];
  piecesDelivered: number;
  discrepancyPieces: number;
  notes?: string;
  recordedBy: DeliveryActor;
  recordedAt: Date;
  /** Set once the received quantities were added to the unit's current stock. */
  stockAppliedAt?: Date;
}

const actorSchema = new Schema<DeliveryActor>({ tokenId: String, name: String, role: String }, { _id: false });

const discrepancySchema = new Schema<DeliveryDiscrepancy>(
  {
    kind: { type: String, enum: DISCREPANCY_KINDS, required: true },
    quantity: { type: Number, required: true, min: 1, validate: integer },
    note: { type: String, trim: true },
  },
  { _id: false },
);

const lineSchema = new Schema<DeliveryLine>(
  {
    itemCode: { type: String, required: true, trim: true },
    lotNumber: { type: String, trim: true },
    quantityReceived: { type: Number, required: true, min: 0, validate: integer },
    discrepancies: { type: [discrepancySchema], default: [] },
  },
  { _id: false },
);

export const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    planId: { type: String, required: true },
    roundId: { type: String, required: true },
    clues: { type: String, required: true },
    unitName: { type: String, required: true },
    state: { type: stateRefSchema, required: true },
    region: { type: String },
    warehouseId: { type: String },
    routeKey: { type: String },
    vehicleId: { type: String },
    plannedDate: { type: String },
    delivered: { type: Boolean, required: true },
    reason: { type: String, enum: NOT_DELIVERED_REASONS },
    reasonNote: { type: String, trim: true },
    receivedBy: { type: String, trim: true },
    deliveredAt: { type: Date, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    lines: { type: [lineSchema], default: [] },
    piecesDelivered: { type: Number, required: true, min: 0, validate: integer },
    discrepancyPieces: { type: Number, required: true, min: 0, validate: integer },
    notes: { type: String, trim: true },
    recordedBy: { type: actorSchema, required: true },
    recordedAt: { type: Date, required: true },
    stockAppliedAt: { type: Date },
  },
  { collection: 'deliveries', id: false, versionKey: false },
);
deliverySchema.index({ planId: 1, clues: 1 }, { unique: true });

export type DeliveryModel = Model<DeliveryDoc>;
export function deliveryModel(connection: Connection): DeliveryModel {
  return (connection.models.Delivery as DeliveryModel | undefined) ?? connection.model<DeliveryDoc>('Delivery', deliverySchema);
}

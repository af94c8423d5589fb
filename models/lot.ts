import { Schema, Types, type Connection, type Model } from 'mongoose';

const integer = { validator: Number.isInteger, message: '{PATH} must be an integer' };

/**
 * A lot of one item in one warehouse. `_id` is "<warehouseId>|<itemCode>|<lotNumber>" so the
 * natural key is also the fast key; a unique compound index guards the same key.
 * Quantities are pieces, integers, never negative: every change is one guarded `$inc`
 * (`quantity: {$gte: -delta}`) and is recorded as a LotMovement.
 */
export interface LotDoc {
  _id: string;
  warehouseId: string;
  itemCode: string;
  lotNumber: string;
  expiry: Date;
  quantity: number;
  /** Pieces promised to plans not yet dispatched (≤ quantity). */
  reserved: number;
  createdAt: Date;
  updatedAt: Date;
}

export function lotId(warehouseId: string, itemCode: string, lotNumber: string): string {
  return `${warehouseId}|${itemCode}|${lotNumber}`;
}

export const lotSchema = new Schema<LotDoc>(
  {
    _id: { type: String, required: true },
    warehouseId: { type: String, required: true },
    itemCode: { type: String, required: true },
    lotNumber: { type: String, required: true, trim: true },
    expiry: { type: Date, required: true },
    quantity: { type: Number, required: true, min: 0, validate: integer },
    reserved: { type: Number, default: 0, min: 0, validate: integer },
  },
  { timestamps: true, collection: 'lots', id: false, versionKey: false },
);
lotSchema.index({ warehouseId: 1, itemCode: 1, lotNumber: 1 }, { unique: true });

export const LOT_MOVEMENT_KINDS = ['receipt', 'adjustment', 'reservation', 'release', 'dispatch'] as const;
export type LotMovementKind = (typeof LOT_MOVEMENT_KINDS)[number];

/** One change of a lot's quantity (the audit trail). Append-only. */
export interface LotMovementDoc {
  _id: Types.ObjectId;
  lotId: string;
  warehouseId: string;
  itemCode: string;
  lotNumber: string;
  kind: LotMovementKind;
  /** Signed change of `quantity` (or of `reserved` for reservation/release), pieces. */
  delta: number;
  quantityAfter: number;
  reason?: string;
  reference?: string;
  tokenId?: string;
  at: Date;
}

export const lotMovementSchema = new Schema<LotMovementDoc>(
  {
    lotId: { type: String, required: true },
    warehouseId: { type: String, required: true },
    itemCode: { type: String, required: true },
    lotNumber: { type: String, required: true },
    kind: { type: String, enum: LOT_MOVEMENT_KINDS, required: true },
    delta: { type: Number, required: true, validate: integer },
    quantityAfter: { type: Number, required: true, min: 0 },
    reason: { type: String },
    reference: { type: String },
    tokenId: { type: String },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'lot_movements', id: false, versionKey: false },
);

export type LotModel = Model<LotDoc>;
export type LotMovementModel = Model<LotMovementDoc>;
export function lotModel(connection: Connection): LotModel {
  return (connection.models.Lot as LotModel | undefined) ?? connection.model<LotDoc>('Lot', lotSchema);
}
export function lotMovementModel(connection: Connection): LotMovementModel {
  return (connection.models.LotMovement as LotMovementModel | undefined) ?? connection.model<LotMovementDoc>('LotMovement', lotMovementSchema);
}

import { Schema, type Connection, type Model } from 'mongoose';
import { geoPointSchema, minuteWindowSchema, stateRefSchema, type GeoPoint, type MinuteWindow, type StateRef } from './common.ts';

export const WAREHOUSE_KINDS = ['national-hub', 'state-warehouse'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

/** A warehouse. `_id` is its id, e.g. "CEFEDIS" (national hub) or "ALM-07" (state warehouse of Chiapas). */
export interface WarehouseDoc {
  _id: string;
  name: string;
  kind: WarehouseKind;
  /** The state it serves (the hub: the state where it stands). */
  state: StateRef;
  location: GeoPoint;
  address?: string;
  openingHours: MinuteWindow;
  dockServiceTimeMin: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const warehouseSchema = new Schema<WarehouseDoc>(
  {
    _id: { type: String, required: true, trim: true },
    name: { type: String, required: true, trim: true },
    kind: { type: String, enum: WAREHOUSE_KINDS, required: true },
    state: { type: stateRefSchema, required: true },
    location: { type: geoPointSchema, required: true },
    address: { type: String },
    openingHours: { type: minuteWindowSchema, default: () => ({ startMin: 420, endMin: 1140 }) },
    dockServiceTimeMin: { type: Number, min: 0, default: 30 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'warehouses', id: false, versionKey: false },
);

export type WarehouseModel = Model<WarehouseDoc>;
export function warehouseModel(connection: Connection): WarehouseModel {
  return (connection.models.Warehouse as WarehouseModel | undefined) ?? connection.model<WarehouseDoc>('Warehouse', warehouseSchema);
}

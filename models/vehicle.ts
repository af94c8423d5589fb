import { Schema, type Connection, type Model } from 'mongoose';
import { minuteWindowSchema, type MinuteWindow } from './common.ts';

export const VEHICLE_TYPES = ['3.5t-truck', '1.5t-van', 'refrigerated', 'boat', '4x4-pickup', 'motorcycle'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export interface VehicleCapacity {
  kg: number;
  m3: number;
  /** Cold boxes it can carry (0 without a cold chain). */
  coldBoxes: number;
}

/** A vehicle of the fleet. `_id` is its id, e.g. "ALM-07-T01". */
export interface VehicleDoc {
  _id: string;
  name?: string;
  plate?: string;
  type: VehicleType;
  capacity: VehicleCapacity;
  homeWarehouseId: string;
  shift: MinuteWindow;
  costPerKm: number;
  costPerHour: number;
  /** Fixed cost of using the vehicle for a day (pesos). */
  fixedCost: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const vehicleSchema = new Schema<VehicleDoc>(
  {
    _id: { type: String, required: true, trim: true },
    name: { type: String, trim: true },
    plate: { type: String, trim: true },
    type: { type: String, enum: VEHICLE_TYPES, required: true },
    capacity: {
      type: new Schema(
        {
          kg: { type: Number, required: true, min: 0 },
          m3: { type: Number, required: true, min: 0 },
          coldBoxes: { type: Number, min: 0, default: 0 },
        },
        { _id: false },
      ),
      required: true,
    },
    homeWarehouseId: { type: String, required: true },
    shift: { type: minuteWindowSchema, default: () => ({ startMin: 420, endMin: 1140 }) },
    costPerKm: { type: Number, min: 0, default: 0 },
    costPerHour: { type: Number, min: 0, default: 0 },
    fixedCost: { type: Number, min: 0, default: 0 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'vehicles', id: false, versionKey: false },
);

export type VehicleModel = Model<VehicleDoc>;
export function vehicleModel(connection: Connection): VehicleModel {
  return (connection.models.Vehicle as VehicleModel | undefined) ?? connection.model<VehicleDoc>('Vehicle', vehicleSchema);
}

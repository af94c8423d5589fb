import { Schema, type Connection, type Model } from 'mongoose';
import { geoPointSchema, minuteWindowSchema, stateRefSchema, type GeoPoint, type MinuteWindow, type StateRef } from './common.ts';

export const LOCATION_PRECISIONS = ['exact', 'locality', 'municipality'] as const;
export type LocationPrecision = (typeof LOCATION_PRECISIONS)[number];
export const UNIT_SOURCES = ['catalog', 'clues-import', 'manual'] as const;
export type UnitSource = (typeof UNIT_SOURCES)[number];
export const CARE_LEVELS = [1, 2, 3] as const;
export type CareLevel = (typeof CARE_LEVELS)[number];

export interface UnitAccess {
  remote: boolean;
  fourByFour: boolean;
  multiDay: boolean;
  boat: boolean;
  notes?: string;
}

export interface UnitContact {
  receiverName?: string;
  phone?: string;
  email?: string;
}

/**
 * A health unit. `_id` IS the CLUES (e.g. "OCSSA001234", or a provisional id for a manual unit),
 * duplicated in `clues` (unique) for readable queries: look units up by `_id`, the fast index.
 */
export interface HealthUnitDoc {
  _id: string;
  clues: string;
  name: string;
  institution: string;
  state: StateRef;
  municipality: { code?: string; name: string };
  locality?: string;
  level: CareLevel;
  /** e.g. "centro de salud", "hospital", "unidad móvil", "UNEME", "CAAPS", "CESSA". */
  type: string;
  /** The catalogue's tipología, e.g. "URBANO DE 03 NÚCLEOS BÁSICOS". */
  tipologia?: string;
  /** Drives the 30-day kit (KitTemplate.sizeClass). */
  sizeClass: string;
  location?: GeoPoint;
  locationPrecision: LocationPrecision;
  source: UnitSource;
  timeWindows: MinuteWindow[];
  serviceTimeMin: number;
  access: UnitAccess;
  warehouseId?: string;
  active: boolean;
  synthetic: boolean;
  contact?: UnitContact;
  createdAt: Date;
  updatedAt: Date;
}

export const healthUnitSchema = new Schema<HealthUnitDoc>(
  {
    _id: { type: String, required: true },
    clues: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    institution: { type: String, required: true, default: 'IMB' },
    state: { type: stateRefSchema, required: true },
    municipality: {
      type: new Schema({ code: { type: String }, name: { type: String, required: true, trim: true } }, { _id: false }),
      required: true,
    },
    locality: { type: String, trim: true },
    level: { type: Number, enum: CARE_LEVELS, required: true, default: 1 },
    type: { type: String, required: true, trim: true },
    tipologia: { type: String, trim: true },
    sizeClass: { type: String, required: true, trim: true },
    location: { type: geoPointSchema },
    locationPrecision: { type: String, enum: LOCATION_PRECISIONS, required: true, default: 'exact' },
    source: { type: String, enum: UNIT_SOURCES, required: true, default: 'catalog' },
    timeWindows: { type: [minuteWindowSchema], default: () => [{ startMin: 480, endMin: 960 }] },
    serviceTimeMin: { type: Number, min: 0, default: 20 },
    access: {
      type: new Schema(
        {
          remote: { type: Boolean, default: false },
          fourByFour: { type: Boolean, default: false },
          multiDay: { type: Boolean, default: false },
          boat: { type: Boolean, default: false },
          notes: { type: String },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
    warehouseId: { type: String },
    active: { type: Boolean, default: true },
    synthetic: { type: Boolean, default: false },
    contact: {
      type: new Schema({ receiverName: String, phone: String, email: String }, { _id: false }),
    },
  },
  { timestamps: true, collection: 'health_units', id: false, versionKey: false },
);

healthUnitSchema.pre('validate', function setIdFromClues() {
  if (this._id === undefined || this._id === null) this._id = this.clues;
});

export type HealthUnitModel = Model<HealthUnitDoc>;
export function healthUnitModel(connection: Connection): HealthUnitModel {
  return connection.models.HealthUnit ? (connection.models.HealthUnit as HealthUnitModel) : connection.model<HealthUnitDoc>('HealthUnit', healthUnitSchema);
}

import { Schema } from 'mongoose';

/** Shared sub-schemas. Coordinates are GeoJSON order: [longitude, latitude]. */

export interface GeoPoint {
  type: 'Point';
  /** [lng, lat] in WGS84 degrees. */
  coordinates: [number, number];
}

export interface StateRef {
  /** INEGI 2-digit state code, e.g. "20" (Oaxaca). */
  code: string;
  name: string;
}

export interface MinuteWindow {
  /** Minutes after local midnight (America/Mexico_City), 0..1440. */
  startMin: number;
  endMin: number;
}

/** Loose bounding box of Mexico (mainland and islands) used to reject coordinates that cannot be right. */
export const MEXICO_BBOX = { minLng: -118.6, minLat: 14.3, maxLng: -86.5, maxLat: 32.8 } as const;

export function insideMexicoBox(coordinates: readonly number[]): boolean {
  const [lng, lat] = coordinates;
  return (
    coordinates.length === 2 &&
    Number.isFinite(lng) &&
    Number.isFinite(lat) &&
    lng >= MEXICO_BBOX.minLng &&
    lng <= MEXICO_BBOX.maxLng &&
    lat >= MEXICO_BBOX.minLat &&
    lat <= MEXICO_BBOX.maxLat
  );
}

export const geoPointSchema = new Schema<GeoPoint>(
  {
    type: { type: String, enum: ['Point'], required: true, default: 'Point' },
    coordinates: {
      type: [Number],
      required: true,
      validate: { validator: insideMexicoBox, message: 'coordinates must be [lng, lat] inside Mexico' },
    },
  },
  { _id: false },
);

export const stateRefSchema = new Schema<StateRef>(
  {
    code: { type: String, required: true, match: /^\d{2}$/ },
    name: { type: String, required: true, trim: true },
  },
  { _id: false },
);

export const minuteWindowSchema = new Schema<MinuteWindow>(
  {
    startMin: { type: Number, required: true, min: 0, max: 1440 },
    endMin: { type: Number, required: true, min: 0, max: 1440 },
  },
  { _id: false },
);

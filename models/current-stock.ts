import { Schema, type Connection, type Model } from 'mongoose';

/** Consumption of one item in one reported period (input of the AMC). */
export interface ConsumptionPeriod {
  period: string;
  consumed: number;
  stockoutDays: number;
}

/** Latest stock of one item at a unit. */
export interface CurrentStockItem {
  soh: number;
  /** Average monthly consumption from the last periods (pieces / 30 days), integer. */
  amc: number;
  period: string;
  reportedAt: Date;
  /** Last reported periods, oldest first (at most CURRENT_STOCK_HISTORY). */
  history: ConsumptionPeriod[];
}

export const CURRENT_STOCK_HISTORY = 6;

/**
 * One document per unit, `_id` = CLUES, holding the latest stock of every item reported,
 * updated on each stock report and delivery. Reading a unit's stock is one `_id` lookup.
 *
 * The items are stored as one JSON string (`itemsJson`, see src/repositories/current-stock.ts): the
 * embedded database rewrites a whole document on every update at a cost that grows with its
 * number of fields, and 147 items × 6 history periods made this update the slowest write of a
 * stock report (measured: 82 updates/s as nested objects, ~400/s as one string). Nothing queries
 * inside the items; they are always read whole. Documents written before keep `items` (an object
 * keyed by code) and are read the same way.
 */
export interface CurrentStockDoc {
  _id: string;
  lastPeriod: string;
  lastReportedAt: Date;
  /** The items packed as JSON (src/repositories/current-stock.ts). */
  itemsJson?: string;
  /** Earlier layout, still read. */
  items?: Map<string, CurrentStockItem> | Record<string, CurrentStockItem>;
  /** Optimistic concurrency: every write is conditional on the version it read. */
  version: number;
  /** Deliveries already added to the stock (each applied once). */
  appliedDeliveries?: string[];
  updatedAt: Date;
}

const itemSchema = new Schema<CurrentStockItem>(
  {
    soh: { type: Number, required: true, min: 0 },
    amc: { type: Number, required: true, min: 0 },
    period: { type: String, required: true },
    reportedAt: { type: Date, required: true },
    history: {
      type: [new Schema<ConsumptionPeriod>({ period: String, consumed: Number, stockoutDays: Number }, { _id: false })],
      default: [],
    },
  },
  { _id: false },
);

export const currentStockSchema = new Schema<CurrentStockDoc>(
  {
    _id: { type: String, required: true },
    lastPeriod: { type: String, required: true },
    lastReportedAt: { type: Date, required: true },
    itemsJson: { type: String },
    items: { type: Map, of: itemSchema },
    appliedDeliveries: { type: [String], default: undefined },
    version: { type: Number, required: true, default: 0 },
  },
  { timestamps: { createdAt: false, updatedAt: true }, collection: 'current_stock', id: false, versionKey: false },
);

export type CurrentStockModel = Model<CurrentStockDoc>;
export function currentStockModel(connection: Connection): CurrentStockModel {
  return (connection.models.CurrentStock as CurrentStockModel | undefined) ?? connection.model<CurrentStockDoc>('CurrentStock', currentStockSchema);
}

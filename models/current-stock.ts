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
 * One document per unit, `_id` = CLUES, holding the latest stock of every item reported
 * (`items.<code>`), updated on each stock report. Reading a unit's stock is one `_id` lookup.
 */
export interface CurrentStockDoc {
  _id: string;
  lastPeriod: string;
  lastReportedAt: Date;
  items: Map<string, CurrentStockItem>;
  /** Optimistic concurrency: every write is conditional on the version it read. */
  version: number;
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
    items: { type: Map, of: itemSchema, default: () => new Map() },
    version: { type: Number, required: true, default: 0 },
  },
  { timestamps: { createdAt: false, updatedAt: true }, collection: 'current_stock', id: false, versionKey: false },
);

export type CurrentStockModel = Model<CurrentStockDoc>;
export function currentStockModel(connection: Connection): CurrentStockModel {
  return (connection.models.CurrentStock as CurrentStockModel | undefined) ?? connection.model<CurrentStockDoc>('CurrentStock', currentStockSchema);
}

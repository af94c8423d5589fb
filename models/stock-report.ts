import { Schema, type Connection, type Model } from 'mongoose';

/** One item line of a stock report (pieces, integers). */
export interface StockReportLine {
  /** Item code (clave). */
  code: string;
  /** Stock on hand at the end of the period. */
  soh: number;
  consumed: number;
  received: number;
  /** Losses and adjustments, signed (negative = losses). */
  adjustments: number;
  stockoutDays: number;
}

/**
 * A unit's stock report for one period. `_id` is "<CLUES>|<period>" (the unique key unit+period);
 * a later report for the same period replaces it (`revision` + 1).
 */
export interface StockReportDoc {
  _id: string;
  unitClues: string;
  /** "YYYY-MM". */
  period: string;
  reportedAt: Date;
  lines: StockReportLine[];
  idempotencyKey: string;
  /** SHA-256 of the canonical request body. */
  bodyHash: string;
  tokenId: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export function stockReportId(unitClues: string, period: string): string {
  return `${unitClues}|${period}`;
}

export const stockReportSchema = new Schema<StockReportDoc>(
  {
    _id: { type: String, required: true },
    unitClues: { type: String, required: true },
    period: { type: String, required: true, match: /^\d{4}-(0[1-9]|1[0-2])$/ },
    reportedAt: { type: Date, required: true },
    lines: {
      type: [
        new Schema<StockReportLine>(
          {
            code: { type: String, required: true },
            soh: { type: Number, required: true, min: 0 },
            consumed: { type: Number, required: true, min: 0 },
            received: { type: Number, required: true, min: 0 },
            adjustments: { type: Number, required: true, default: 0 },
            stockoutDays: { type: Number, required: true, min: 0, max: 31 },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    idempotencyKey: { type: String, required: true },
    bodyHash: { type: String, required: true },
    tokenId: { type: String, required: true },
    revision: { type: Number, default: 1 },
  },
  { timestamps: true, collection: 'stock_reports', id: false, versionKey: false },
);
stockReportSchema.index({ unitClues: 1, period: 1 }, { unique: true });

export type StockReportModel = Model<StockReportDoc>;
export function stockReportModel(connection: Connection): StockReportModel {
  return (connection.models.StockReport as StockReportModel | undefined) ?? connection.model<StockReportDoc>('StockReport', stockReportSchema);
}

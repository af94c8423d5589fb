import type { Models } from '../../models/index.ts';
import type { CurrentStockDoc, CurrentStockItem } from '../../models/current-stock.ts';
import { currentStockItems, writeCurrentStock } from './current-stock.ts';
import { stockReportId, type StockReportDoc, type StockReportLine } from '../../models/stock-report.ts';
import { ConflictError } from '../errors.ts';
import { isDuplicateKey } from './common.ts';

export type { StockReportLine } from '../../models/stock-report.ts';
export type { CurrentStockItem, ConsumptionPeriod } from '../../models/current-stock.ts';

export interface StockReport {
  id: string;
  unitClues: string;
  period: string;
  reportedAt: Date;
  lines: StockReportLine[];
  idempotencyKey: string;
  bodyHash: string;
  tokenId: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CurrentStock {
  clues: string;
  lastPeriod: string;
  lastReportedAt: Date;
  items: Record<string, CurrentStockItem>;
  version: number;
  updatedAt?: Date;
}

function toReport(doc: StockReportDoc): StockReport {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

function toCurrent(doc: CurrentStockDoc): CurrentStock {
  return { clues: doc._id, lastPeriod: doc.lastPeriod, lastReportedAt: doc.lastReportedAt, items: currentStockItems(doc), version: doc.version ?? 0, updatedAt: doc.updatedAt };
}

export function createStockReportRepository(models: Pick<Models, 'StockReport' | 'CurrentStock'>) {
  const { StockReport: ReportModel, CurrentStock: CurrentModel } = models;
  return {
    get: async (unitClues: string, period: string): Promise<StockReport | undefined> => {
      const doc = await ReportModel.findById(stockReportId(unitClues, period)).lean<StockReportDoc>();
      return doc ? toReport(doc) : undefined;
    },

    /** A unit's reports, newest period first. */
    listForUnit: async (unitClues: string, limit: number): Promise<StockReport[]> => {
      const docs = await ReportModel.find({ unitClues }).sort({ period: -1 }).limit(limit).lean<StockReportDoc[]>();
      return docs.map(toReport);
    },

    count: async (): Promise<number> => ReportModel.estimatedDocumentCount(),

    /**
     * Stores the report of a unit and period; a later report of the same period replaces it
     * (revision + 1). Written through the driver, not mongoose: the service has validated the
     * lines, and casting 147 subdocuments per report was most of the CPU of this hot path.
     */
    upsert: async (report: Omit<StockReport, 'id' | 'revision' | 'createdAt' | 'updatedAt'>): Promise<StockReport> => {
      const id = stockReportId(report.unitClues, report.period);
      const lines = report.lines.map((l) => ({ code: l.code, soh: l.soh, consumed: l.consumed, received: l.received, adjustments: l.adjustments, stockoutDays: l.stockoutDays }));
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const now = new Date();
        try {
          const doc = await ReportModel.collection.findOneAndUpdate(
            { _id: id as never },
            { $set: { ...report, lines, updatedAt: now }, $setOnInsert: { createdAt: now }, $inc: { revision: 1 } },
            { upsert: true, returnDocument: 'after', projection: { revision: 1, createdAt: 1 } },
          );
          if (doc) return { id, ...report, lines, revision: doc.revision as number, createdAt: doc.createdAt as Date, updatedAt: now };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          // Two first reports of the same period raced on the upsert: retry as an update.
        }
      }
      throw new ConflictError('The report is being written concurrently; retry.');
    },

    getCurrent: async (clues: string): Promise<CurrentStock | undefined> => {
      const doc = await CurrentModel.collection.findOne<CurrentStockDoc>({ _id: clues as never });
      return doc ? toCurrent(doc) : undefined;
    },

    /**
     * Read-modify-write of a unit's current stock with optimistic concurrency (`version`): the
     * write applies only if nobody wrote since we read; otherwise we read again and recompute.
     */
    updateCurrent: async (clues: string, compute: (current: CurrentStock | undefined) => Omit<CurrentStock, 'clues' | 'version' | 'updatedAt'>): Promise<CurrentStock> => {
      let next: Omit<CurrentStock, 'clues' | 'version' | 'updatedAt'> | undefined;
      const written = await writeCurrentStock(
        CurrentModel.collection,
        clues,
        (doc) => (next = compute(doc ? toCurrent(doc) : undefined)),
        { conflict: `The stock of ${clues} is being updated concurrently; retry.` },
      );
      return { clues, ...next!, ...written! };
    },
  };
}

export type StockReportRepository = ReturnType<typeof createStockReportRepository>;

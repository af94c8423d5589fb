import type { Models } from '../../models/index.ts';
import type { CurrentStockDoc } from '../../models/current-stock.ts';
import { currentStockItems } from './current-stock.ts';
import type { HealthUnitDoc } from '../../models/health-unit.ts';
import type { ItemDoc } from '../../models/item.ts';
import type { KitTemplateDoc } from '../../models/kit-template.ts';
import type { LotDoc } from '../../models/lot.ts';
import type { StockReportDoc } from '../../models/stock-report.ts';
import type { WarehouseDoc } from '../../models/warehouse.ts';
import {
  replenishmentRunItemModel,
  replenishmentRunModel,
  replenishmentRunUnitModel,
  runItemId,
  runUnitId,
  type ReplenishmentRunDoc,
  type ReplenishmentRunItemDoc,
  type ReplenishmentRunItemModel,
  type ReplenishmentRunModel,
  type ReplenishmentRunUnitDoc,
  type ReplenishmentRunUnitModel,
  type RunUnitDetail,
} from '../../models/replenishment-run.ts';
import type { Connection } from 'mongoose';
import { compareKeys, decodeCursor, encodeCursor, type Page, type PageRequest } from './common.ts';

export type {
  ReplenishmentRunDoc,
  ReplenishmentRunItemDoc,
  ReplenishmentRunUnitDoc,
  RunItemReport,
  RunOptions,
  RunScope,
  RunStatus,
  RunSummary,
  RunWarehouseSummary,
  RunUnitDetail,
} from '../../models/replenishment-run.ts';

/** One unit's result as the service sees it (the stored `detail` string parsed). */
export type RunUnitRecord = Omit<ReplenishmentRunUnitDoc, '_id' | 'detail'> & RunUnitDetail;
/** A unit's result without its lines (lists). */
export type RunUnitHeader = Omit<ReplenishmentRunUnitDoc, '_id' | 'detail'>;

export interface RunModels {
  ReplenishmentRun: ReplenishmentRunModel;
  ReplenishmentRunUnit: ReplenishmentRunUnitModel;
  ReplenishmentRunItem: ReplenishmentRunItemModel;
}

/** The run models on a connection (idempotent: mongoose keeps one model per name). */
export function runModels(connection: Connection): RunModels {
  return {
    ReplenishmentRun: replenishmentRunModel(connection),
    ReplenishmentRunUnit: replenishmentRunUnitModel(connection),
    ReplenishmentRunItem: replenishmentRunItemModel(connection),
  };
}

export type ReplenishmentModels = Pick<Models, 'HealthUnit' | 'Warehouse' | 'Item' | 'KitTemplate' | 'Lot' | 'StockReport' | 'CurrentStock'> & RunModels;

/** Per-unit result documents are written in batches of this many (one insertMany each). */
export const UNIT_BATCH_SIZE = 250;

/** All keys of a run share the prefix "<runId>|": an `_id` range addresses them (the fast index). */
function childRange(runId: string, after?: string) {
  return { _id: { $gt: after ?? `${runId}|`, $lt: `${runId}|\uffff` } };
}

/**
 * Everything a replenishment run reads and writes. Reads address documents by `_id` (CLUES,
 * clave, "<warehouse>|…" lot keys) or a scan of a small collection; results are keyed by
 * "<runId>|<CLUES>" / "<runId>|<code>" so one run is an `_id` range.
 */
export function createReplenishmentRepository(models: ReplenishmentModels) {
  const { HealthUnit, Warehouse, Item, KitTemplate, Lot, StockReport, CurrentStock, ReplenishmentRun, ReplenishmentRunUnit, ReplenishmentRunItem } = models;
  return {
    warehouse: (id: string) => Warehouse.findById(id).lean<WarehouseDoc>(),
    warehouses: () => Warehouse.find({}).sort({ _id: 1 }).lean<WarehouseDoc[]>(),
    /** Active units; with a warehouse id only the units it serves. Sorted by CLUES. */
    activeUnits: async (warehouseId?: string) => {
      const filter: Record<string, unknown> = { active: true };
      if (warehouseId !== undefined) filter.warehouseId = warehouseId;
      const units = await HealthUnit.find(filter).lean<HealthUnitDoc[]>();
      return units.sort((a, b) => compareKeys(a._id, b._id));
    },
    unitsByClues: async (clues: readonly string[]) => {
      const units = await HealthUnit.find({ _id: { $in: [...clues] } }).lean<HealthUnitDoc[]>();
      return units.sort((a, b) => compareKeys(a._id, b._id));
    },
    catalogue: async () => {
      const items = await Item.find({ active: true }).lean<ItemDoc[]>();
      return items.sort((a, b) => compareKeys(a._id, b._id));
    },
    kitTemplates: () => KitTemplate.find({}).lean<KitTemplateDoc[]>(),
    /** Lots of a warehouse: their `_id` starts with "<warehouseId>|". */
    lotsOfWarehouse: async (warehouseId: string) => {
      const lots = await Lot.find({ _id: { $gt: `${warehouseId}|`, $lt: `${warehouseId}|\uffff` } }).lean<LotDoc[]>();
      return lots.filter((lot) => lot.warehouseId === warehouseId);
    },
    /** Current stock of these units (decoded items); units that never reported are absent. */
    currentStock: async (clues: readonly string[]) =>
      (await CurrentStock.find({ _id: { $in: [...clues] } }).lean<CurrentStockDoc[]>()).map((doc) => ({ _id: doc._id, items: currentStockItems(doc) })),
    /** Fallback for units without a CurrentStock document. */
    stockReports: (clues: readonly string[]) => StockReport.find({ unitClues: { $in: [...clues] } }).lean<StockReportDoc[]>(),

    createRun: async (run: ReplenishmentRunDoc) => {
      await ReplenishmentRun.create(run);
    },
    insertUnits: async (records: readonly RunUnitRecord[]) => {
      for (let start = 0; start < records.length; start += UNIT_BATCH_SIZE) {
        const batch = records.slice(start, start + UNIT_BATCH_SIZE).map(({ lines, lots, unfilled, ...rest }): ReplenishmentRunUnitDoc => ({
          ...rest,
          _id: runUnitId(rest.runId, rest.clues),
          detail: JSON.stringify({ lines, lots, unfilled } satisfies RunUnitDetail),
        }));
        await ReplenishmentRunUnit.insertMany(batch, { ordered: true, lean: true });
      }
    },
    insertItems: async (docs: readonly Omit<ReplenishmentRunItemDoc, '_id'>[]) => {
      if (docs.length === 0) return;
      await ReplenishmentRunItem.insertMany(
        docs.map((doc) => ({ ...doc, _id: runItemId(doc.runId, doc.code) })),
        { ordered: true, lean: true },
      );
    },
    /** The single-document flip that makes a run visible. False when it was not `running`. */
    completeRun: async (id: string, fields: Pick<ReplenishmentRunDoc, 'summary' | 'warehouses' | 'rationing' | 'unassignedUnits'>) => {
      const result = await ReplenishmentRun.updateOne({ _id: id, status: 'running' }, { $set: { ...fields, status: 'completed', completedAt: new Date() } });
      return result.modifiedCount === 1;
    },
    failRun: async (id: string, error: string) => {
      await ReplenishmentRun.updateOne({ _id: id, status: 'running' }, { $set: { status: 'failed', failedAt: new Date(), error } });
    },
    /** Removes the result documents of a run (after a failure). */
    deleteResults: async (runId: string) => {
      await ReplenishmentRunUnit.deleteMany(childRange(runId));
      await ReplenishmentRunItem.deleteMany(childRange(runId));
    },

    findRun: (id: string) => ReplenishmentRun.findById(id).lean<ReplenishmentRunDoc>(),
    /** Runs newest first (ids are time-ordered), optionally only those of one state. */
    listRuns: async (filter: { state?: string; status?: string; warehouseId?: string }, page: PageRequest): Promise<Page<ReplenishmentRunDoc>> => {
      const query: Record<string, unknown> = {};
      if (filter.state !== undefined) query.state = filter.state;
      if (filter.status !== undefined) query.status = filter.status;
      if (filter.warehouseId !== undefined) query.warehouseId = filter.warehouseId;
      const total = await ReplenishmentRun.countDocuments(query);
      const after = decodeCursor(page.cursor);
      if (after !== undefined) query._id = { $lt: after };
      const docs = await ReplenishmentRun.find(query, { rationing: 0, warehouses: 0, unassignedUnits: 0 })
        .sort({ _id: -1 })
        .limit(page.limit + 1)
        .lean<ReplenishmentRunDoc[]>();
      const items = docs.slice(0, page.limit);
      return { items, total, next: docs.length > page.limit ? encodeCursor(items[items.length - 1]._id) : null };
    },
    findRunUnit: async (runId: string, clues: string): Promise<RunUnitRecord | undefined> => {
      const doc = await ReplenishmentRunUnit.findById(runUnitId(runId, clues)).lean<ReplenishmentRunUnitDoc>();
      if (!doc) return undefined;
      const { _id, detail, ...rest } = doc;
      return { ...rest, ...(JSON.parse(detail) as RunUnitDetail) };
    },
    /** Unit summaries of a run, CLUES order, without their lines. */
    listRunUnits: async (runId: string, page: PageRequest, total: number): Promise<Page<RunUnitHeader>> => {
      const after = decodeCursor(page.cursor);
      const docs = await ReplenishmentRunUnit.find(childRange(runId, after === undefined ? undefined : runUnitId(runId, after)), { detail: 0 })
        .sort({ _id: 1 })
        .limit(page.limit + 1)
        .lean<ReplenishmentRunUnitDoc[]>();
      const items = docs.slice(0, page.limit).map(({ _id, detail: _detail, ...rest }): RunUnitHeader => rest);
      return { items, total, next: docs.length > page.limit ? encodeCursor(items[items.length - 1].clues) : null };
    },
    findRunItem: (runId: string, code: string) => ReplenishmentRunItem.findById(runItemId(runId, code)).lean<ReplenishmentRunItemDoc>(),
  };
}

export type ReplenishmentRepository = ReturnType<typeof createReplenishmentRepository>;

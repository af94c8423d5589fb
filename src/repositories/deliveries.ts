import type { Connection } from 'mongoose';
import { currentStockModel, type CurrentStockDoc } from '../../models/current-stock.ts';
import { currentStockItems, writeCurrentStock } from './current-stock.ts';
import { deliveryModel, type DeliveryDoc } from '../../models/delivery.ts';
import { isDuplicateKey, toValidation } from './common.ts';

export type Delivery = DeliveryDoc;

export function deliveryId(planId: string, clues: string): string {
  return `${planId}|${clues}`;
}

/** Range over `_id` "<planId>|…": the only fast way to list a plan's deliveries on every server. */
function planRange(planId: string): { $gte: string; $lt: string } {
  return { $gte: `${planId}|`, $lt: `${planId}}` };
}

export interface StockIncrement {
  itemCode: string;
  quantity: number;
}

/**
 * Deliveries and their effect on the unit's current stock. The stock increment is applied
 * exactly once per delivery: the current-stock document remembers the delivery ids it absorbed
 * (`appliedDeliveries`) and the update is guarded by that list and by the document `version`
 * (the stock writers' optimistic concurrency), so a retry after a crash between "delivery
 * recorded" and "stock updated" cannot count the kit twice, and a concurrent stock report is
 * never overwritten.
 */
export function createDeliveryRepository(connection: Connection) {
  const Delivery = deliveryModel(connection);
  const CurrentStock = currentStockModel(connection);
  // The raw collection: `appliedDeliveries` is bookkeeping of this repository, not part of the
  // stock schema other code reads.
  const stockCollection = CurrentStock.collection;

  return {
    async init(): Promise<void> {
      await Delivery.init();
    },

    async find(planId: string, clues: string): Promise<Delivery | undefined> {
      return (await Delivery.findById(deliveryId(planId, clues)).lean<Delivery>()) ?? undefined;
    },

    /** Inserts the record; returns the one already stored when the stop has one. */
    async insertOnce(doc: Delivery): Promise<{ created: boolean; delivery: Delivery }> {
      try {
        await Delivery.create(doc);
        return { created: true, delivery: doc };
      } catch (error) {
        if (isDuplicateKey(error)) {
          const existing = await Delivery.findById(doc._id).lean<Delivery>();
          if (existing) return { created: false, delivery: existing };
        }
        throw toValidation(error);
      }
    },

    async listByPlan(planId: string): Promise<Delivery[]> {
      return Delivery.find({ _id: planRange(planId) }).sort({ _id: 1 }).lean<Delivery[]>();
    },

    async listByPlans(planIds: string[]): Promise<Delivery[]> {
      const lists = await Promise.all(planIds.map((id) => Delivery.find({ _id: planRange(id) }).lean<Delivery[]>()));
      return lists.flat();
    },

    /** Deliveries of a set of units, by CLUES (for coverage: actual delivery dates). */
    async listByClues(clues: string[]): Promise<Delivery[]> {
      if (clues.length === 0) return [];
      return Delivery.find({ clues: { $in: clues } }).lean<Delivery[]>();
    },

    async markStockApplied(id: string, at: Date): Promise<void> {
      await Delivery.updateOne({ _id: id, stockAppliedAt: { $exists: false } }, { $set: { stockAppliedAt: at } });
    },

    /**
     * Adds received pieces to the unit's stock on hand, once per delivery id. Items the unit
     * never reported are created with AMC 0 (no consumption known yet) and the delivery's period.
     */
    async applyToStock(clues: string, id: string, increments: StockIncrement[], at: Date, period: string): Promise<'applied' | 'already-applied'> {
      const positive = increments.filter((line) => line.quantity > 0);
      // Guarded by `version` like a stock report (a write in between makes ours recompute) and
      // by `appliedDeliveries` (this delivery is absorbed once).
      const written = await writeCurrentStock(
        stockCollection,
        clues,
        (current) => {
          if (current?.appliedDeliveries?.includes(id)) return undefined;
          const items = current ? currentStockItems(current) : {};
          for (const line of positive) {
            const base = items[line.itemCode] ?? { soh: 0, amc: 0, period, reportedAt: at, history: [] };
            items[line.itemCode] = { ...base, soh: base.soh + line.quantity };
          }
          return { items, delivery: id, ...(current ? {} : { lastPeriod: period, lastReportedAt: at }) };
        },
        { conflict: `The stock of ${clues} is being updated concurrently; retry the delivery (it will be applied once).`, at: () => at },
      );
      return written ? 'applied' : 'already-applied';
    },

    async stockOf(clues: string): Promise<Record<string, { soh: number }> | undefined> {
      const doc = await stockCollection.findOne<CurrentStockDoc>({ _id: clues as never });
      return doc ? currentStockItems(doc) : undefined;
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;


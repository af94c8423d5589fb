import type { Connection } from 'mongoose';
import { currentStockModel } from '../../models/current-stock.ts';
import { deliveryModel, type DeliveryDoc } from '../../models/delivery.ts';
import { idempotencyRecordId, idempotencyRecordModel, type IdempotencyRecordDoc } from '../../models/idempotency-record.ts';
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
 * (`appliedDeliveries`) and the update is guarded by that list, so a retry after a crash between
 * "delivery recorded" and "stock updated" cannot count the kit twice.
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
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const current = await stockCollection.findOne<{ _id: string; items?: Record<string, unknown>; appliedDeliveries?: string[] }>({ _id: clues as never });
        if (current?.appliedDeliveries?.includes(id)) return 'already-applied';
        if (!current) {
          const items: Record<string, unknown> = {};
          for (const line of positive) {
            const existing = items[line.itemCode] as { soh: number } | undefined;
            items[line.itemCode] = { soh: (existing?.soh ?? 0) + line.quantity, amc: 0, period, reportedAt: at, history: [] };
          }
          try {
            await stockCollection.insertOne({ _id: clues as never, lastPeriod: period, lastReportedAt: at, items, appliedDeliveries: [id], updatedAt: at });
            return 'applied';
          } catch (error) {
            if (isDuplicateKey(error)) continue;
            throw error;
          }
        }
        const filter: Record<string, unknown> = { _id: clues, appliedDeliveries: { $ne: id } };
        const inc: Record<string, number> = {};
        const set: Record<string, unknown> = { updatedAt: at };
        const known = current.items ?? {};
        for (const line of positive) {
          if (Object.prototype.hasOwnProperty.call(known, line.itemCode)) {
            inc[`items.${line.itemCode}.soh`] = (inc[`items.${line.itemCode}.soh`] ?? 0) + line.quantity;
          } else {
            const key = `items.${line.itemCode}`;
            const pending = set[key] as { soh: number } | undefined;
            set[key] = { soh: (pending?.soh ?? 0) + line.quantity, amc: 0, period, reportedAt: at, history: [] };
            filter[key] = { $exists: false };
          }
        }
        const update: Record<string, unknown> = { $set: set, $push: { appliedDeliveries: id } };
        if (Object.keys(inc).length > 0) update.$inc = inc;
        const result = await stockCollection.updateOne(filter, update);
        if (result.matchedCount === 1) return 'applied';
        // Someone changed the document between our read and write (or it was applied): re-read.
      }
      throw new Error(`could not apply delivery ${id} to the stock of ${clues}: too much contention`);
    },

    async stockOf(clues: string): Promise<Record<string, { soh: number }> | undefined> {
      const doc = await stockCollection.findOne<{ items?: Record<string, { soh: number }> }>({ _id: clues as never });
      return doc?.items;
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;

/**
 * Idempotency-Key bookkeeping for execution writes, on the shared IdempotencyRecord model:
 * `_id` "<scope>|<key>". The first request claims the key ('pending'); a replay with the same
 * body hash gets the stored answer; another body gets a conflict.
 */
export function createExecutionIdempotency(connection: Connection) {
  const Record = idempotencyRecordModel(connection);
  type Claim =
    | { state: 'claimed' }
    | { state: 'replay'; response: { status: number; body?: unknown } }
    | { state: 'pending' }
    | { state: 'mismatch' };
  return {
    async claim(scope: string, key: string, bodyHash: string): Promise<Claim> {
      const id = idempotencyRecordId(scope, key);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const existing = await Record.findById(id).lean<IdempotencyRecordDoc>();
        if (existing) {
          if (existing.bodyHash !== bodyHash) return { state: 'mismatch' };
          if (existing.status === 'done' && existing.response) return { state: 'replay', response: existing.response };
          return { state: 'pending' };
        }
        try {
          await Record.create({ _id: id, scope, key, bodyHash, status: 'pending', createdAt: new Date() });
          return { state: 'claimed' };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      return { state: 'pending' };
    },
    async complete(scope: string, key: string, response: { status: number; resourceId?: string; body?: unknown }): Promise<void> {
      await Record.updateOne({ _id: idempotencyRecordId(scope, key) }, { $set: { status: 'done', response, completedAt: new Date() } });
    },
    /** Frees a key whose request failed for a transient reason, so a retry can run again. */
    async release(scope: string, key: string): Promise<void> {
      await Record.deleteOne({ _id: idempotencyRecordId(scope, key), status: 'pending' });
    },
  };
}

export type ExecutionIdempotency = ReturnType<typeof createExecutionIdempotency>;

import type { Models } from '../../models/index.ts';
import { lotId, type LotDoc, type LotMovementDoc, type LotMovementKind } from '../../models/lot.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { isDuplicateKey } from './common.ts';

export type Lot = Omit<LotDoc, '_id'> & { id: string };
export type LotMovement = Omit<LotMovementDoc, '_id'> & { id: string };

function toLot(doc: LotDoc): Lot {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

function toMovement(doc: LotMovementDoc): LotMovement {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

export interface LotChange {
  warehouseId: string;
  itemCode: string;
  lotNumber: string;
  reason?: string;
  reference?: string;
  tokenId?: string;
}

/**
 * Lots change only through single-document guarded `$inc` (no transactions on the embedded
 * server): a decrement matches only while `quantity ≥ amount`, so no quantity ever goes negative
 * however many requests race. Each applied change appends a LotMovement (the audit trail).
 */
export function createLotRepository(models: Pick<Models, 'Lot' | 'LotMovement'>) {
  const { Lot: LotModel, LotMovement } = models;

  async function record(kind: LotMovementKind, change: LotChange, delta: number, after: LotDoc, at: Date): Promise<void> {
    await LotMovement.create({
      lotId: after._id,
      warehouseId: change.warehouseId,
      itemCode: change.itemCode,
      lotNumber: change.lotNumber,
      kind,
      delta,
      quantityAfter: after.quantity,
      reason: change.reason,
      reference: change.reference,
      tokenId: change.tokenId,
      at,
    });
  }

  return {
    get: async (warehouseId: string, itemCode: string, lotNumber: string): Promise<Lot | undefined> => {
      const doc = await LotModel.findById(lotId(warehouseId, itemCode, lotNumber)).lean<LotDoc>();
      return doc ? toLot(doc) : undefined;
    },

    list: async (filter: { warehouseId: string; itemCode?: string; includeEmpty?: boolean }): Promise<Lot[]> => {
      const query: Record<string, unknown> = { warehouseId: filter.warehouseId };
      if (filter.itemCode !== undefined) query.itemCode = filter.itemCode;
      if (!filter.includeEmpty) query.quantity = { $gt: 0 };
      const docs = await LotModel.find(query).sort({ _id: 1 }).lean<LotDoc[]>();
      return docs.map(toLot);
    },

    /** Adds received pieces to a lot, creating it on first receipt. A different expiry → 409. */
    receive: async (change: LotChange, expiry: Date, quantity: number, at: Date): Promise<Lot> => {
      const id = lotId(change.warehouseId, change.itemCode, change.lotNumber);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const updated = await LotModel.findOneAndUpdate({ _id: id, expiry }, { $inc: { quantity } }, { returnDocument: 'after' }).lean<LotDoc>();
        if (updated) {
          await record('receipt', change, quantity, updated, at);
          return toLot(updated);
        }
        const existing = await LotModel.findById(id).lean<LotDoc>();
        // Created by a concurrent receipt since our update: add to it on the next attempt.
        if (existing && existing.expiry.getTime() === expiry.getTime()) continue;
        if (existing) {
          throw new ConflictError(`Lot ${change.lotNumber} of ${change.itemCode} is already stored with expiry ${existing.expiry.toISOString().slice(0, 10)}.`, [
            { pointer: '/body/expiry', detail: 'differs from the expiry of the stored lot' },
          ]);
        }
        try {
          const created = await LotModel.create({ _id: id, warehouseId: change.warehouseId, itemCode: change.itemCode, lotNumber: change.lotNumber, expiry, quantity, reserved: 0 });
          const doc = created.toObject();
          await record('receipt', change, quantity, doc, at);
          return toLot(doc);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          // Another receipt created it first: loop and add to it.
        }
      }
      throw new ConflictError('The lot is being changed concurrently; retry.');
    },

    /**
     * Adds `delta` (signed) to a lot's quantity. A decrement is guarded on the stored document:
     * it applies only while `quantity - delta ≥ reserved` for the `reserved` value read (retried
     * if `reserved` moved), so neither the quantity nor the free stock can go negative → else 409.
     */
    adjust: async (change: LotChange, delta: number, at: Date): Promise<Lot> => {
      const id = lotId(change.warehouseId, change.itemCode, change.lotNumber);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const existing = await LotModel.findById(id).lean<LotDoc>();
        if (!existing) throw new NotFoundError(`No lot ${change.lotNumber} of ${change.itemCode} in ${change.warehouseId}.`);
        const filter = delta < 0 ? { _id: id, reserved: existing.reserved, quantity: { $gte: existing.reserved - delta } } : { _id: id };
        const updated = await LotModel.findOneAndUpdate(filter, { $inc: { quantity: delta } }, { returnDocument: 'after' }).lean<LotDoc>();
        if (updated) {
          await record('adjustment', change, delta, updated, at);
          return toLot(updated);
        }
        const now = await LotModel.findById(id).lean<LotDoc>();
        if (now && now.reserved === existing.reserved && now.quantity < existing.reserved - delta) {
          throw new ConflictError(`Lot ${change.lotNumber} holds ${now.quantity} pieces (${now.reserved} reserved); it cannot lose ${-delta}.`, [
            { pointer: '/body/delta', detail: 'would make the quantity negative or below what is reserved' },
          ]);
        }
      }
      throw new ConflictError('The lot is being changed concurrently; retry.');
    },

    movements: async (filter: { warehouseId: string; itemCode?: string; lotNumber?: string }, limit: number): Promise<LotMovement[]> => {
      const query: Record<string, unknown> = { warehouseId: filter.warehouseId };
      if (filter.itemCode !== undefined) query.itemCode = filter.itemCode;
      if (filter.lotNumber !== undefined) query.lotNumber = filter.lotNumber;
      const docs = await LotMovement.find(query).sort({ _id: -1 }).limit(limit).lean<LotMovementDoc[]>();
      return docs.map(toMovement);
    },
  };
}

export type LotRepository = ReturnType<typeof createLotRepository>;

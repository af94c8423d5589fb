import type { Models } from '../../models/index.ts';
import { lotId, type LotDoc } from '../../models/lot.ts';

export interface LotQuantity {
  warehouseId: string;
  itemCode: string;
  lotNumber: string;
  quantity: number;
}

export interface LotShortage extends LotQuantity {
  free: number;
}

/**
 * Lot quantities promised to a plan (approve → reserve) and handed over (dispatch → issue).
 * Each lot changes with one guarded single-document update on the values just read (retried
 * when another writer moved them), so `reserved ≤ quantity` always holds; every change is
 * recorded as a LotMovement referencing the plan.
 */
export function createPlanLotRepository(models: Pick<Models, 'Lot' | 'LotMovement'>) {
  const { Lot, LotMovement } = models;

  async function change(line: LotQuantity, kind: 'reservation' | 'release' | 'dispatch', reference: string, tokenId: string | undefined): Promise<'ok' | 'short' | 'missing'> {
    const id = lotId(line.warehouseId, line.itemCode, line.lotNumber);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const lot = await Lot.findById(id).lean<LotDoc>();
      if (!lot) return 'missing';
      let filter: Record<string, unknown>;
      let inc: Record<string, number>;
      if (kind === 'reservation') {
        if (lot.quantity - lot.reserved < line.quantity) return 'short';
        filter = { _id: id, quantity: lot.quantity, reserved: lot.reserved };
        inc = { reserved: line.quantity };
      } else if (kind === 'release') {
        filter = { _id: id, reserved: lot.reserved };
        inc = { reserved: -Math.min(lot.reserved, line.quantity) };
      } else {
        if (lot.reserved < line.quantity || lot.quantity < line.quantity) return 'short';
        filter = { _id: id, quantity: lot.quantity, reserved: lot.reserved };
        inc = { quantity: -line.quantity, reserved: -line.quantity };
      }
      const updated = await Lot.findOneAndUpdate(filter, { $inc: inc }, { returnDocument: 'after' }).lean<LotDoc>();
      if (!updated) continue;
      await LotMovement.create({
        lotId: id,
        warehouseId: line.warehouseId,
        itemCode: line.itemCode,
        lotNumber: line.lotNumber,
        kind,
        delta: kind === 'dispatch' ? -line.quantity : (inc.reserved ?? 0),
        quantityAfter: updated.quantity,
        reason: `plan ${kind}`,
        reference,
        tokenId,
        at: new Date(),
      });
      return 'ok';
    }
    return 'short';
  }

  return {
    /** Reserves every line or none: on a shortage, what was reserved is released again. */
    async reserveAll(lines: readonly LotQuantity[], reference: string, tokenId?: string): Promise<{ ok: true } | { ok: false; shortages: LotShortage[] }> {
      const done: LotQuantity[] = [];
      const shortages: LotShortage[] = [];
      for (const line of lines) {
        const outcome = await change(line, 'reservation', reference, tokenId);
        if (outcome === 'ok') done.push(line);
        else {
          const lot = await Lot.findById(lotId(line.warehouseId, line.itemCode, line.lotNumber)).lean<LotDoc>();
          shortages.push({ ...line, free: lot ? lot.quantity - lot.reserved : 0 });
        }
      }
      if (shortages.length === 0) return { ok: true };
      for (const line of done) await change(line, 'release', reference, tokenId);
      return { ok: false, shortages };
    },
    async releaseAll(lines: readonly LotQuantity[], reference: string, tokenId?: string): Promise<void> {
      for (const line of lines) await change(line, 'release', reference, tokenId);
    },
    /** Issues reserved quantities; returns the lines that could not be issued. */
    async issueAll(lines: readonly LotQuantity[], reference: string, tokenId?: string): Promise<LotQuantity[]> {
      const failed: LotQuantity[] = [];
      for (const line of lines) if ((await change(line, 'dispatch', reference, tokenId)) !== 'ok') failed.push(line);
      return failed;
    },
    async get(warehouseId: string, itemCode: string, lotNumber: string): Promise<LotDoc | undefined> {
      return (await Lot.findById(lotId(warehouseId, itemCode, lotNumber)).lean<LotDoc>()) ?? undefined;
    },
  };
}

export type PlanLotRepository = ReturnType<typeof createPlanLotRepository>;

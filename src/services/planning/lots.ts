/** Lot quantities a plan's kits hold, aggregated per lot (what approval reserves and dispatch issues). */
import type { LotQuantity } from '../../repositories/plans-lots.ts';
import type { UnitKit } from './types.ts';

interface KitDocLike {
  kit: unknown;
  routeKey?: string;
}

/** One line per lot with the total pieces over the given kit documents, in a stable order. */
export function reservationLines(docs: readonly KitDocLike[], warehouseOf?: (doc: KitDocLike) => string): LotQuantity[] {
  const total = new Map<string, LotQuantity>();
  for (const doc of docs) {
    const kit = doc.kit as UnitKit & { warehouseId?: string };
    const warehouseId = warehouseOf ? warehouseOf(doc) : (kit.warehouseId ?? '');
    for (const line of kit.lines) {
      for (const lot of line.lots) {
        const key = `${warehouseId}|${line.code}|${lot.lotCode}`;
        const entry = total.get(key);
        if (entry) entry.quantity += lot.quantity;
        else total.set(key, { warehouseId, itemCode: line.code, lotNumber: lot.lotCode, quantity: lot.quantity });
      }
    }
  }
  return [...total.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
}

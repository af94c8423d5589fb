import type { ConsumptionPeriod, CurrentStockDoc, CurrentStockItem } from '../../models/current-stock.ts';

// How a unit's current-stock items are stored (why: models/current-stock.ts): one JSON string of
// { code: [soh, amc, period, reportedAt (epoch ms), [period, consumed, stockoutDays, …]] }.
// Positional arrays keep the string about 2.5 times shorter than objects with named fields, and it
// is read and written whole on every stock report.

type PackedItem = [soh: number, amc: number, period: string, reportedAtMs: number, history: (string | number)[]];

function unpackHistory(flat: readonly (string | number)[]): ConsumptionPeriod[] {
  const history: ConsumptionPeriod[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) history.push({ period: String(flat[i]), consumed: Number(flat[i + 1]), stockoutDays: Number(flat[i + 2]) });
  return history;
}

/** The items of a current-stock document, whichever layout it was written in. */
export function currentStockItems(doc: Pick<CurrentStockDoc, 'itemsJson' | 'items'>): Record<string, CurrentStockItem> {
  if (typeof doc.itemsJson === 'string') {
    const packed = JSON.parse(doc.itemsJson) as Record<string, PackedItem>;
    const items: Record<string, CurrentStockItem> = {};
    for (const code of Object.keys(packed)) {
      const [soh, amc, period, reportedAtMs, history] = packed[code];
      items[code] = { soh, amc, period, reportedAt: new Date(reportedAtMs), history: unpackHistory(history) };
    }
    return items;
  }
  if (doc.items instanceof Map) return Object.fromEntries(doc.items);
  return { ...(doc.items ?? {}) };
}

/** The fields to `$set` for these items (pair with `$unset: { items: '' }` on updates). */
export function packCurrentStockItems(items: Record<string, CurrentStockItem>): { itemsJson: string } {
  const packed: Record<string, PackedItem> = {};
  for (const code of Object.keys(items)) {
    const item = items[code];
    packed[code] = [item.soh, item.amc, item.period, new Date(item.reportedAt).getTime(), item.history.flatMap((h) => [h.period, h.consumed, h.stockoutDays])];
  }
  return { itemsJson: JSON.stringify(packed) };
}

import type { CurrentStockDoc, CurrentStockItem } from '../../models/current-stock.ts';

// How a unit's current-stock items are stored: one JSON string (why: models/current-stock.ts).

/** The items of a current-stock document, whichever layout it was written in. */
export function currentStockItems(doc: Pick<CurrentStockDoc, 'itemsJson' | 'items'>): Record<string, CurrentStockItem> {
  if (typeof doc.itemsJson === 'string') {
    const parsed = JSON.parse(doc.itemsJson) as Record<string, Omit<CurrentStockItem, 'reportedAt'> & { reportedAt: string }>;
    const items: Record<string, CurrentStockItem> = {};
    for (const [code, item] of Object.entries(parsed)) items[code] = { ...item, reportedAt: new Date(item.reportedAt) };
    return items;
  }
  if (doc.items instanceof Map) return Object.fromEntries(doc.items);
  return { ...(doc.items ?? {}) };
}

/** The fields to `$set` for these items (pair with `$unset: { items: '' }` on updates). */
export function packCurrentStockItems(items: Record<string, CurrentStockItem>): { itemsJson: string } {
  return { itemsJson: JSON.stringify(items) };
}

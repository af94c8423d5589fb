import type { Collection } from 'mongodb';
import type { ConsumptionPeriod, CurrentStockDoc, CurrentStockItem } from '../../models/current-stock.ts';
import { ConflictError } from '../errors.ts';
import { isDuplicateKey } from './common.ts';

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

/** A new state of a unit's current stock, from `writeCurrentStock`'s `change`. */
export interface CurrentStockChange {
  items: Record<string, CurrentStockItem>;
  /** Set on every write when given; required when the document does not exist yet. */
  lastPeriod?: string;
  lastReportedAt?: Date;
  /** A delivery absorbed by this write: recorded in `appliedDeliveries`, and the write is refused if it is there already. */
  delivery?: string;
}

/**
 * The one read-modify-write of a unit's current-stock document (stock reports and deliveries),
 * with optimistic concurrency on `version`: `change` gets the stored document (null when there
 * is none) and returns the new state, or undefined to leave it; a write in between makes ours
 * miss, and we read again and recompute. Returns the version written, or undefined when
 * `change` declined. Throws a 409 with `conflict` after 20 lost races.
 */
export async function writeCurrentStock(
  collection: Collection,
  clues: string,
  change: (doc: CurrentStockDoc | null) => CurrentStockChange | undefined,
  options: { conflict: string; at?: () => Date },
): Promise<{ version: number; updatedAt: Date } | undefined> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const doc = await collection.findOne<CurrentStockDoc>({ _id: clues as never });
    const next = change(doc);
    if (!next) return undefined;
    const updatedAt = options.at?.() ?? new Date();
    const fields = {
      ...(next.lastPeriod !== undefined ? { lastPeriod: next.lastPeriod } : {}),
      ...(next.lastReportedAt !== undefined ? { lastReportedAt: next.lastReportedAt } : {}),
      ...packCurrentStockItems(next.items),
    };
    if (!doc) {
      try {
        await collection.insertOne({ _id: clues as never, ...fields, version: 1, ...(next.delivery ? { appliedDeliveries: [next.delivery] } : {}), updatedAt });
        return { version: 1, updatedAt };
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
    }
    const version = (doc.version ?? 0) + 1;
    const result = await collection.updateOne(
      { _id: clues as never, version: doc.version ?? null, ...(next.delivery ? { appliedDeliveries: { $ne: next.delivery } } : {}) },
      { $set: { ...fields, version, updatedAt }, $unset: { items: '' }, ...(next.delivery ? { $push: { appliedDeliveries: next.delivery } } : {}) } as never,
    );
    if (result.modifiedCount === 1) return { version, updatedAt };
  }
  throw new ConflictError(options.conflict);
}

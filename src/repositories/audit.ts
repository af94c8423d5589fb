import { Types } from 'mongoose';
import type { Models } from '../../models/index.ts';
import type { AuditEntryDoc } from '../../models/audit-entry.ts';
import { ValidationError } from '../errors.ts';
import { createBatcher } from './batcher.ts';
import type { Page } from './common.ts';

export type AuditEntry = Omit<AuditEntryDoc, '_id'> & { id: string };
export type AuditEntryInput = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  tokenId?: string;
  role?: string;
  method?: string;
  status?: number;
  /** Path prefix, e.g. "/api/v1/units/OCSSA000001". */
  pathPrefix?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
}

function toEntry(doc: AuditEntryDoc): AuditEntry {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createAuditRepository(models: Pick<Models, 'AuditEntry'>) {
  const { AuditEntry } = models;

  function query(filter: AuditFilter): Record<string, unknown> {
    const q: Record<string, unknown> = {};
    if (filter.tokenId !== undefined) q.tokenId = filter.tokenId;
    if (filter.role !== undefined) q.role = filter.role;
    if (filter.method !== undefined) q.method = filter.method;
    if (filter.status !== undefined) q.status = filter.status;
    if (filter.resourceId !== undefined) q.resourceId = filter.resourceId;
    if (filter.pathPrefix !== undefined) q.path = { $regex: `^${escapeRegex(filter.pathPrefix)}` };
    if (filter.from !== undefined || filter.to !== undefined) {
      q.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
    }
    return q;
  }

  // Every write request adds an entry: under load they share one insert (see createBatcher).
  const pending = createBatcher<AuditEntryInput>(async (entries) => {
    // Absent fields stay absent (the driver would store `undefined` as null).
    const docs = entries.map((entry) => Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)));
    await AuditEntry.insertMany(docs, { ordered: false, lean: true });
  });

  return {
    insert: (entry: AuditEntryInput): Promise<void> => pending.add(entry),
    /** Waits for the entries not yet written (graceful shutdown). */
    flush: (): Promise<void> => pending.flush(),
    /** Newest first; the cursor is the last entry's id. */
    list: async (filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEntry>> => {
      const base = query(filter);
      const total = await AuditEntry.countDocuments(base);
      let after: Types.ObjectId | undefined;
      if (page.cursor !== undefined && page.cursor !== '') {
        if (!Types.ObjectId.isValid(page.cursor) || !/^[0-9a-f]{24}$/.test(page.cursor)) {
          throw new ValidationError('The cursor is not valid.', [{ pointer: '/query/cursor', detail: 'not a cursor returned by this API' }], 400);
        }
        after = new Types.ObjectId(page.cursor);
      }
      const docs = await AuditEntry.find(after ? { ...base, _id: { $lt: after } } : base)
        .sort({ _id: -1 })
        .limit(page.limit + 1)
        .lean<AuditEntryDoc[]>();
      const items = docs.slice(0, page.limit).map(toEntry);
      return { items, total, next: docs.length > page.limit ? items[items.length - 1].id : null };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

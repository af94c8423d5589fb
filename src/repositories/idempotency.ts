import type { Models } from '../../models/index.ts';
import { idempotencyRecordId, type IdempotencyRecordDoc } from '../../models/idempotency-record.ts';
import { MongoBulkWriteError, type WriteError } from 'mongodb';
import { createBatcher } from './batcher.ts';

export interface IdempotencyRecord {
  scope: string;
  key: string;
  bodyHash: string;
  status: 'pending' | 'done';
  response?: { status: number; resourceId?: string; body?: unknown };
  createdAt: Date;
  completedAt?: Date;
}

function toRecord(doc: IdempotencyRecordDoc): IdempotencyRecord {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

interface Completion {
  id: string;
  response: { status: number; resourceId?: string; body?: unknown };
  at: Date;
}

export function createIdempotencyRepository(models: Pick<Models, 'IdempotencyRecord'>) {
  const { IdempotencyRecord } = models;
  const records = IdempotencyRecord.collection;

  // Every idempotent write claims a record before its work and completes it after: under load
  // (thousands of units reporting) these small writes share round trips (see createBatcher).
  const claims = createBatcher<IdempotencyRecordDoc, boolean>(async (docs) => {
    const claimed = docs.map(() => true);
    try {
      await records.bulkWrite(
        docs.map((doc) => ({ insertOne: { document: doc as never } })),
        { ordered: false },
      );
    } catch (error) {
      const failures: WriteError | readonly WriteError[] | undefined = error instanceof MongoBulkWriteError ? error.writeErrors : undefined;
      const list: readonly WriteError[] = failures === undefined ? [] : failures instanceof Array ? failures : [failures];
      if (list.length === 0 || list.some((failure) => failure.code !== 11000)) throw error;
      // A duplicate key is a claim lost to an earlier request with the same key.
      for (const failure of list) claimed[failure.index] = false;
    }
    return claimed;
  });
  const completions = createBatcher<Completion>(async (done) => {
    await records.bulkWrite(
      done.map(({ id, response, at }) => ({ updateOne: { filter: { _id: id as never }, update: { $set: { status: 'done', response, completedAt: at } } } })),
      { ordered: false },
    );
  });

  return {
    /** Inserts a pending record; false when one already exists for this scope and key (race lost). */
    claim: (scope: string, key: string, bodyHash: string, now: Date): Promise<boolean> =>
      claims.add({ _id: idempotencyRecordId(scope, key), scope, key, bodyHash, status: 'pending', createdAt: now }),
    get: async (scope: string, key: string): Promise<IdempotencyRecord | undefined> => {
      const doc = await IdempotencyRecord.findById(idempotencyRecordId(scope, key)).lean<IdempotencyRecordDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    /** Takes over a pending record abandoned before `staleBefore` (its owner died). */
    takeOver: async (scope: string, key: string, bodyHash: string, staleBefore: Date, now: Date): Promise<boolean> => {
      const result = await IdempotencyRecord.updateOne(
        { _id: idempotencyRecordId(scope, key), status: 'pending', createdAt: { $lt: staleBefore } },
        { $set: { bodyHash, createdAt: now } },
      );
      return result.modifiedCount === 1;
    },
    complete: (scope: string, key: string, response: { status: number; resourceId?: string; body?: unknown }, now: Date): Promise<void> =>
      completions.add({ id: idempotencyRecordId(scope, key), response, at: now }),
    /**
     * Retention: deletes answered records completed before `doneBefore` and abandoned pending ones
     * created before `pendingBefore`; a retry after that is treated as a new request. Returns how
     * many went. (A filter on these fields scans the collection on the embedded database: run it
     * daily, not per request.)
     */
    purge: async (doneBefore: Date, pendingBefore: Date): Promise<number> => {
      const result = await records.deleteMany({ $or: [{ status: 'done', completedAt: { $lt: doneBefore } }, { status: 'pending', createdAt: { $lt: pendingBefore } }] });
      return result.deletedCount;
    },
    /** Forgets a pending record whose work failed, so a retry can run it again. */
    release: async (scope: string, key: string): Promise<void> => {
      await IdempotencyRecord.deleteOne({ _id: idempotencyRecordId(scope, key), status: 'pending' });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

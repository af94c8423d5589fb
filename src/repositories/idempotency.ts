import type { Models } from '../../models/index.ts';
import { idempotencyRecordId, type IdempotencyRecordDoc } from '../../models/idempotency-record.ts';
import { isDuplicateKey } from './common.ts';

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

export function createIdempotencyRepository(models: Pick<Models, 'IdempotencyRecord'>) {
  const { IdempotencyRecord } = models;
  return {
    /** Inserts a pending record; false when one already exists for this scope and key (race lost). */
    claim: async (scope: string, key: string, bodyHash: string, now: Date): Promise<boolean> => {
      try {
        await IdempotencyRecord.create({ _id: idempotencyRecordId(scope, key), scope, key, bodyHash, status: 'pending', createdAt: now });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
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
    complete: async (scope: string, key: string, response: { status: number; resourceId?: string; body?: unknown }, now: Date): Promise<void> => {
      await IdempotencyRecord.updateOne({ _id: idempotencyRecordId(scope, key) }, { $set: { status: 'done', response, completedAt: now } });
    },
    /** Forgets a pending record whose work failed, so a retry can run it again. */
    release: async (scope: string, key: string): Promise<void> => {
      await IdempotencyRecord.deleteOne({ _id: idempotencyRecordId(scope, key), status: 'pending' });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

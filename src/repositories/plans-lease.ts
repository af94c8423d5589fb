import type { Models } from '../../models/index.ts';
import type { LeaseDoc } from '../../models/lease.ts';
import { isDuplicateKey } from './common.ts';

/**
 * Named leases in the database so that one instance among several runs a job. Acquire = insert
 * the lease document, or take it over with a conditional update once it has expired; both are
 * single-document operations, atomic on any MongoDB.
 */
export function createLeaseRepository(models: Pick<Models, 'Lease'>) {
  const { Lease } = models;
  return {
    async acquire(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
      const expiresAt = new Date(now.getTime() + ttlMs);
      try {
        await Lease.create({ _id: name, owner, expiresAt, acquiredAt: now });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const taken = await Lease.updateOne({ _id: name, $or: [{ expiresAt: { $lt: now } }, { owner }] }, { $set: { owner, expiresAt, acquiredAt: now } });
      return taken.matchedCount === 1;
    },
    /** Extends a lease this owner holds; false when it was lost. */
    async renew(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
      const result = await Lease.updateOne({ _id: name, owner }, { $set: { expiresAt: new Date(now.getTime() + ttlMs) } });
      return result.matchedCount === 1;
    },
    async release(name: string, owner: string): Promise<void> {
      await Lease.deleteOne({ _id: name, owner });
    },
    async get(name: string): Promise<LeaseDoc | undefined> {
      return (await Lease.findById(name).lean<LeaseDoc>()) ?? undefined;
    },
  };
}

export type LeaseRepository = ReturnType<typeof createLeaseRepository>;

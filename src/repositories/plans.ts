import type { Models } from '../../models/index.ts';
import type { PlanDoc, PlanStatus } from '../../models/plan.ts';
import type { PlanKitDoc } from '../../models/plan-kit.ts';
import type { PlanRouteDoc } from '../../models/plan-route.ts';

export type PlanHeader = Omit<PlanDoc, '_id'> & { id: string };

function toHeader(doc: PlanDoc): PlanHeader {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

const BATCH = 500;

/**
 * Plans: a header document per plan, one document per route ("<generation>:<routeKey>") and per
 * stop kit ("<generation>:<clues>"). Children are read by `_id` (the fast index); the header's
 * `generation` is flipped in one single-document update when all children are written.
 */
export function createPlanRepository(models: Pick<Models, 'Plan' | 'PlanRoute' | 'PlanKit'>) {
  const { Plan, PlanRoute, PlanKit } = models;
  return {
    async create(header: Omit<PlanHeader, 'createdAt' | 'updatedAt'>): Promise<PlanHeader> {
      const { id, ...fields } = header;
      const created = await Plan.create({ _id: id, ...fields });
      return toHeader(created.toObject());
    },
    async get(id: string): Promise<PlanHeader | undefined> {
      const doc = await Plan.findById(id).lean<PlanDoc>();
      return doc ? toHeader(doc) : undefined;
    },
    /** Headers without the big blocks (lists). */
    async list(filter: { roundId?: string; status?: PlanStatus | PlanStatus[] } = {}): Promise<PlanHeader[]> {
      const query: Record<string, unknown> = {};
      if (filter.roundId) query.roundId = filter.roundId;
      if (filter.status) query.status = Array.isArray(filter.status) ? { $in: filter.status } : filter.status;
      const docs = await Plan.find(query, { unassigned: 0, rationing: 0, routeIds: 0, vehicles: 0, warehouses: 0, items: 0 }).lean<PlanDoc[]>();
      return docs.map(toHeader).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    /** Conditional single-document update; undefined when `where` no longer holds. */
    async update(id: string, where: Record<string, unknown>, set: Record<string, unknown>, unset: string[] = []): Promise<PlanHeader | undefined> {
      const update: Record<string, unknown> = { $set: { ...set, updatedAt: new Date() } };
      if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
      const doc = await Plan.findOneAndUpdate({ _id: id, ...where }, update, { returnDocument: 'after' }).lean<PlanDoc>();
      return doc ? toHeader(doc) : undefined;
    },
    async updateMany(where: Record<string, unknown>, set: Record<string, unknown>): Promise<number> {
      const result = await Plan.updateMany(where, { $set: { ...set, updatedAt: new Date() } });
      return result.modifiedCount;
    },
    /** Plans whose run stopped giving signs of life (crashed instance). */
    async stale(before: Date): Promise<PlanHeader[]> {
      const docs = await Plan.find({ status: { $in: ['queued', 'running'] }, heartbeatAt: { $lt: before } }, { _id: 1, runGeneration: 1, roundId: 1, status: 1 }).lean<PlanDoc[]>();
      return docs.map(toHeader);
    },
    async insertRoutes(docs: readonly PlanRouteDoc[]): Promise<void> {
      for (let k = 0; k < docs.length; k += BATCH) await PlanRoute.insertMany(docs.slice(k, k + BATCH), { ordered: false, lean: true });
    },
    /** Kits are the bulk of a plan (up to 147 lines each): batches go out 4 at a time. */
    async insertKits(docs: readonly PlanKitDoc[]): Promise<void> {
      const batches: PlanKitDoc[][] = [];
      for (let k = 0; k < docs.length; k += BATCH) batches.push(docs.slice(k, k + BATCH));
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < batches.length) {
          const batch = batches[next++];
          await PlanKit.insertMany(batch, { ordered: false, lean: true });
        }
      };
      await Promise.all([lane(), lane(), lane(), lane()]);
    },
    async routes(ids: readonly string[]): Promise<PlanRouteDoc[]> {
      const out: PlanRouteDoc[] = [];
      for (let k = 0; k < ids.length; k += BATCH) out.push(...(await PlanRoute.find({ _id: { $in: ids.slice(k, k + BATCH) } }).lean<PlanRouteDoc[]>()));
      const order = new Map(ids.map((id, i) => [id, i]));
      return out.sort((a, b) => order.get(a._id)! - order.get(b._id)!);
    },
    async kits(ids: readonly string[]): Promise<PlanKitDoc[]> {
      const out: PlanKitDoc[] = [];
      for (let k = 0; k < ids.length; k += BATCH) out.push(...(await PlanKit.find({ _id: { $in: ids.slice(k, k + BATCH) } }).lean<PlanKitDoc[]>()));
      return out;
    },
    /** Removes the children of a generation that never became current (failed or cancelled run). */
    async deleteGeneration(generation: string): Promise<void> {
      await PlanRoute.deleteMany({ generation });
      await PlanKit.deleteMany({ generation });
    },
    async countGeneration(generation: string): Promise<{ routes: number; kits: number }> {
      return { routes: await PlanRoute.countDocuments({ generation }), kits: await PlanKit.countDocuments({ generation }) };
    },
  };
}

export type PlanRepository = ReturnType<typeof createPlanRepository>;

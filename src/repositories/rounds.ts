import type { Models } from '../../models/index.ts';
import type { RoundDoc, RoundStatus } from '../../models/round.ts';
import { isDuplicateKey } from './common.ts';

export type Round = Omit<RoundDoc, '_id'> & { id: string };
export type RoundInput = Omit<Round, 'createdAt' | 'updatedAt'>;

function toRound(doc: RoundDoc): Round {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

/** Rounds: few documents (a handful per month), so lists scan the collection. */
export function createRoundRepository(models: Pick<Models, 'Round'>) {
  const { Round } = models;
  return {
    /** Inserts a round; `false` when a round with that id exists already (calendar rounds). */
    async insert(input: RoundInput): Promise<boolean> {
      const { id, ...fields } = input;
      try {
        await Round.create({ _id: id, ...fields });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async get(id: string): Promise<Round | undefined> {
      const doc = await Round.findById(id).lean<RoundDoc>();
      return doc ? toRound(doc) : undefined;
    },
    async list(filter: { status?: RoundStatus; month?: string; type?: string } = {}): Promise<Round[]> {
      const query: Record<string, unknown> = {};
      if (filter.status) query.status = filter.status;
      if (filter.month) query.month = filter.month;
      if (filter.type) query.type = filter.type;
      const docs = await Round.find(query).lean<RoundDoc[]>();
      return docs.map(toRound).sort((a, b) => b.deliveryStart.localeCompare(a.deliveryStart) || a.id.localeCompare(b.id));
    },
    /** Conditional single-document update: applies only when `where` still holds. */
    async update(id: string, where: Record<string, unknown>, set: Partial<RoundDoc>, unset: string[] = []): Promise<Round | undefined> {
      const update: Record<string, unknown> = { $set: set };
      if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
      const doc = await Round.findOneAndUpdate({ _id: id, ...where }, update, { returnDocument: 'after' }).lean<RoundDoc>();
      return doc ? toRound(doc) : undefined;
    },
  };
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;

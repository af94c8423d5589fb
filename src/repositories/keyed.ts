import type { Model } from 'mongoose';
import { NotFoundError } from '../errors.ts';
import { definedOnly, insertOrConflict, pageOf, toValidation, type Page, type PageRequest } from './common.ts';

/**
 * The shared shape of the small catalogues keyed by `_id` (warehouses, vehicles, items, kit
 * templates): get, list with field filters and a cursor, create, update, bulk upsert.
 */
export function keyedRepository<Doc extends { _id: string }, Domain>(options: {
  model: Model<Doc>;
  /** Name used in messages, e.g. "Warehouse". */
  label: string;
  toDomain: (doc: Doc) => Domain;
  keyOf: (domain: Domain) => string;
}) {
  const { model, label, toDomain } = options;
  return {
    get: async (id: string): Promise<Domain | undefined> => {
      const doc = await model.findById(id).lean<Doc>();
      return doc ? toDomain(doc) : undefined;
    },
    getMany: async (ids: readonly string[]): Promise<Domain[]> => {
      const docs = await model.find({ _id: { $in: [...ids] } }).sort({ _id: 1 }).lean<Doc[]>();
      return docs.map(toDomain);
    },
    list: async (filter: Record<string, unknown>, page: PageRequest): Promise<Page<Domain>> => {
      const docs = await model.find(definedOnly(filter)).sort({ _id: 1 }).lean<Doc[]>();
      const result = pageOf(docs, (doc) => doc._id, page);
      return { ...result, items: result.items.map(toDomain) };
    },
    all: async (filter: Record<string, unknown> = {}): Promise<Domain[]> => {
      const docs = await model.find(definedOnly(filter)).sort({ _id: 1 }).lean<Doc[]>();
      return docs.map(toDomain);
    },
    count: async (filter: Record<string, unknown> = {}): Promise<number> => {
      return model.countDocuments(definedOnly(filter));
    },
    create: async (id: string, fields: object): Promise<Domain> => {
      const doc = new model({ ...fields, _id: id });
      await insertOrConflict(`${label} ${id}`, () => doc.save());
      return toDomain(doc.toObject());
    },
    update: async (id: string, patch: object): Promise<Domain> => {
      let doc: Doc | null;
      try {
        doc = await model.findByIdAndUpdate(id, { $set: definedOnly(patch) }, { returnDocument: 'after', runValidators: true }).lean<Doc>();
      } catch (error) {
        throw toValidation(error);
      }
      if (!doc) throw new NotFoundError(`No ${label.toLowerCase()} ${id}.`);
      return toDomain(doc);
    },
    /** Inserts or updates by id in one bulk write (seed and imports). */
    upsertMany: async (rows: readonly { id: string; set: object; setOnInsert?: object }[]): Promise<{ inserted: number; updated: number }> => {
      if (rows.length === 0) return { inserted: 0, updated: 0 };
      const result = await model.bulkWrite(
        rows.map(({ id, set, setOnInsert }) => ({
          updateOne: {
            filter: { _id: id },
            update: { $set: definedOnly(set), ...(setOnInsert ? { $setOnInsert: definedOnly(setOnInsert) } : {}) },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return { inserted: result.upsertedCount, updated: result.modifiedCount };
    },
  };
}

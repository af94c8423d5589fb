import type { Models } from '../../models/index.ts';
import type { ItemDoc } from '../../models/item.ts';
import { keyedRepository } from './keyed.ts';

/** An item of the catalogue; `code` (clave) is the key. */
export type Item = Omit<ItemDoc, '_id'>;
export type ItemInput = Omit<Item, 'createdAt' | 'updatedAt' | 'coldChain' | 'controlled' | 'packSize' | 'unitWeightKg' | 'unitVolumeM3' | 'active'> &
  Partial<Pick<Item, 'coldChain' | 'controlled' | 'packSize' | 'unitWeightKg' | 'unitVolumeM3' | 'active'>>;
export type ItemPatch = Partial<Omit<Item, 'code' | 'createdAt' | 'updatedAt'>>;

export interface ItemFilter {
  category?: string;
  coldChain?: boolean;
  controlled?: boolean;
  active?: boolean;
}

export function toItem(doc: ItemDoc): Item {
  const { _id, ...rest } = doc;
  return { ...rest, code: _id };
}

export function createItemRepository(models: Pick<Models, 'Item'>) {
  const base = keyedRepository({ model: models.Item, label: 'Item', toDomain: toItem, keyOf: (i: Item) => i.code });
  const filterOf = (filter: ItemFilter) => ({ category: filter.category, coldChain: filter.coldChain, controlled: filter.controlled, active: filter.active });
  return {
    get: base.get,
    getMany: base.getMany,
    list: (filter: ItemFilter, page: Parameters<typeof base.list>[1]) => base.list(filterOf(filter), page),
    all: (filter: ItemFilter = {}) => base.all(filterOf(filter)),
    count: (filter: ItemFilter = {}) => base.count(filterOf(filter)),
    /** The codes of the catalogue (validation of stock report lines). */
    async codes(): Promise<Set<string>> {
      const docs = await models.Item.find({}, { _id: 1 }).lean<{ _id: string }[]>();
      return new Set(docs.map((doc) => doc._id));
    },
    create: (input: ItemInput) => base.create(input.code, input),
    update: (code: string, patch: ItemPatch) => base.update(code, patch),
    /** Bulk upsert by code (seed, `rutas import items`). */
    upsertMany: (rows: readonly ItemInput[]) => base.upsertMany(rows.map((set) => ({ id: set.code, set }))),
  };
}

export type ItemRepository = ReturnType<typeof createItemRepository>;

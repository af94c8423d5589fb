import type { Models } from '../../models/index.ts';
import type { WarehouseDoc } from '../../models/warehouse.ts';
import { keyedRepository } from './keyed.ts';

/** A warehouse as the services see it: `id` instead of `_id`. */
export type Warehouse = Omit<WarehouseDoc, '_id'> & { id: string };
export type WarehouseInput = Omit<Warehouse, 'createdAt' | 'updatedAt' | 'openingHours' | 'dockServiceTimeMin' | 'active'> &
  Partial<Pick<Warehouse, 'openingHours' | 'dockServiceTimeMin' | 'active'>>;
export type WarehousePatch = Partial<Omit<Warehouse, 'id' | 'createdAt' | 'updatedAt'>>;

export interface WarehouseFilter {
  kind?: string;
  state?: string;
  active?: boolean;
}

export function toWarehouse(doc: WarehouseDoc): Warehouse {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export function createWarehouseRepository(models: Pick<Models, 'Warehouse'>) {
  const base = keyedRepository({ model: models.Warehouse, label: 'Warehouse', toDomain: toWarehouse, keyOf: (w: Warehouse) => w.id });
  const filterOf = (filter: WarehouseFilter) => ({ kind: filter.kind, 'state.code': filter.state, active: filter.active });
  return {
    get: base.get,
    getMany: base.getMany,
    list: (filter: WarehouseFilter, page: Parameters<typeof base.list>[1]) => base.list(filterOf(filter), page),
    all: (filter: WarehouseFilter = {}) => base.all(filterOf(filter)),
    count: (filter: WarehouseFilter = {}) => base.count(filterOf(filter)),
    create: (input: WarehouseInput) => {
      const { id, ...fields } = input;
      return base.create(id, fields);
    },
    update: (id: string, patch: WarehousePatch) => base.update(id, patch),
    /** Bulk upsert by id (seed). */
    upsertMany: (rows: readonly WarehouseInput[]) => base.upsertMany(rows.map(({ id, ...set }) => ({ id, set }))),
  };
}

export type WarehouseRepository = ReturnType<typeof createWarehouseRepository>;

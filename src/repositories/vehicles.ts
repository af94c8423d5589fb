import type { Models } from '../../models/index.ts';
import type { VehicleDoc } from '../../models/vehicle.ts';
import { keyedRepository } from './keyed.ts';

/** A vehicle as the services see it: `id` instead of `_id`. */
export type Vehicle = Omit<VehicleDoc, '_id'> & { id: string };
export type VehicleInput = Omit<Vehicle, 'createdAt' | 'updatedAt' | 'shift' | 'costPerKm' | 'costPerHour' | 'fixedCost' | 'active'> &
  Partial<Pick<Vehicle, 'shift' | 'costPerKm' | 'costPerHour' | 'fixedCost' | 'active'>>;
export type VehiclePatch = Partial<Omit<Vehicle, 'id' | 'createdAt' | 'updatedAt'>>;

export interface VehicleFilter {
  homeWarehouseId?: string;
  type?: string;
  active?: boolean;
}

export function toVehicle(doc: VehicleDoc): Vehicle {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export function createVehicleRepository(models: Pick<Models, 'Vehicle'>) {
  const base = keyedRepository({ model: models.Vehicle, label: 'Vehicle', toDomain: toVehicle, keyOf: (v: Vehicle) => v.id });
  const filterOf = (filter: VehicleFilter) => ({ homeWarehouseId: filter.homeWarehouseId, type: filter.type, active: filter.active });
  return {
    get: base.get,
    getMany: base.getMany,
    list: (filter: VehicleFilter, page: Parameters<typeof base.list>[1]) => base.list(filterOf(filter), page),
    all: (filter: VehicleFilter = {}) => base.all(filterOf(filter)),
    count: (filter: VehicleFilter = {}) => base.count(filterOf(filter)),
    create: (input: VehicleInput) => {
      const { id, ...fields } = input;
      return base.create(id, fields);
    },
    update: (id: string, patch: VehiclePatch) => base.update(id, patch),
    /** Bulk upsert by id (seed). */
    upsertMany: (rows: readonly VehicleInput[]) => base.upsertMany(rows.map(({ id, ...set }) => ({ id, set }))),
  };
}

export type VehicleRepository = ReturnType<typeof createVehicleRepository>;

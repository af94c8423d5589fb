import { NotFoundError, ValidationError } from '../errors.ts';
import type { Page, PageRequest } from '../repositories/common.ts';
import type { Warehouse, WarehouseFilter, WarehouseInput, WarehousePatch, WarehouseRepository } from '../repositories/warehouses.ts';
import { authorize, authorizeState, type Principal } from './auth.ts';
import { stateName } from './states.ts';
import { insideMexico } from './units.ts';

export type { Warehouse, WarehouseFilter } from '../repositories/warehouses.ts';

export type NewWarehouse = Omit<WarehouseInput, 'state'> & { state: { code: string; name?: string } };

function checkLocation(location: Warehouse['location'] | undefined): void {
  if (location && !insideMexico(location.coordinates)) {
    throw new ValidationError('The warehouse is not valid.', [{ pointer: '/body/location/coordinates', detail: 'must be [longitude, latitude] inside Mexico' }]);
  }
}

function resolveState(state: { code: string; name?: string }): Warehouse['state'] {
  const name = state.name ?? stateName(state.code);
  if (name === undefined) throw new ValidationError('The warehouse is not valid.', [{ pointer: '/body/state/code', detail: 'unknown INEGI state code' }]);
  return { code: state.code, name };
}

/** Warehouses: every staff role reads them; admins create and change them. */
export function createWarehouseService(deps: { warehouses: WarehouseRepository }) {
  const { warehouses } = deps;
  async function load(id: string): Promise<Warehouse> {
    const warehouse = await warehouses.get(id);
    if (!warehouse) throw new NotFoundError(`No warehouse ${id}.`);
    return warehouse;
  }
  return {
    load,
    async list(principal: Principal, filter: WarehouseFilter, page: PageRequest): Promise<Page<Warehouse>> {
      authorize(principal, 'warehouses:read');
      return warehouses.list(filter, page);
    },
    async get(principal: Principal, id: string): Promise<Warehouse> {
      authorize(principal, 'warehouses:read');
      return load(id);
    },
    async create(principal: Principal, input: NewWarehouse): Promise<Warehouse> {
      authorize(principal, 'warehouses:write');
      authorizeState(principal, input.state.code);
      checkLocation(input.location);
      return warehouses.create({ ...input, state: resolveState(input.state) });
    },
    async update(principal: Principal, id: string, patch: Omit<WarehousePatch, 'state'> & { state?: { code: string; name?: string } }): Promise<Warehouse> {
      authorize(principal, 'warehouses:write');
      const warehouse = await load(id);
      authorizeState(principal, warehouse.state.code);
      checkLocation(patch.location);
      return warehouses.update(id, { ...patch, state: patch.state ? resolveState(patch.state) : undefined });
    },
    async deactivate(principal: Principal, id: string): Promise<Warehouse> {
      authorize(principal, 'warehouses:write');
      const warehouse = await load(id);
      authorizeState(principal, warehouse.state.code);
      return warehouses.update(id, { active: false });
    },
  };
}

export type WarehouseService = ReturnType<typeof createWarehouseService>;

import { NotFoundError, ValidationError } from '../errors.ts';
import type { Page, PageRequest } from '../repositories/common.ts';
import type { Vehicle, VehicleFilter, VehicleInput, VehiclePatch, VehicleRepository } from '../repositories/vehicles.ts';
import type { WarehouseRepository } from '../repositories/warehouses.ts';
import { authorize, authorizeState, type Principal } from './auth.ts';

export type { Vehicle, VehicleFilter } from '../repositories/vehicles.ts';

/** The fleet: staff read it; planners and admins change it (a state planner: its state's warehouses). */
export function createVehicleService(deps: { vehicles: VehicleRepository; warehouses: Pick<WarehouseRepository, 'get'> }) {
  const { vehicles } = deps;
  async function load(id: string): Promise<Vehicle> {
    const vehicle = await vehicles.get(id);
    if (!vehicle) throw new NotFoundError(`No vehicle ${id}.`);
    return vehicle;
  }
  async function homeState(principal: Principal, warehouseId: string): Promise<void> {
    const warehouse = await deps.warehouses.get(warehouseId);
    if (!warehouse) throw new ValidationError('The vehicle is not valid.', [{ pointer: '/body/homeWarehouseId', detail: `no warehouse ${warehouseId}` }]);
    authorizeState(principal, warehouse.state.code);
  }
  function checkShift(shift: Vehicle['shift'] | undefined): void {
    if (shift && shift.endMin <= shift.startMin) throw new ValidationError('The vehicle is not valid.', [{ pointer: '/body/shift/endMin', detail: 'must be after startMin' }]);
  }
  return {
    async list(principal: Principal, filter: VehicleFilter, page: PageRequest): Promise<Page<Vehicle>> {
      authorize(principal, 'vehicles:read');
      return vehicles.list(filter, page);
    },
    async get(principal: Principal, id: string): Promise<Vehicle> {
      authorize(principal, 'vehicles:read');
      return load(id);
    },
    async create(principal: Principal, input: VehicleInput): Promise<Vehicle> {
      authorize(principal, 'vehicles:write');
      await homeState(principal, input.homeWarehouseId);
      checkShift(input.shift);
      return vehicles.create(input);
    },
    async update(principal: Principal, id: string, patch: VehiclePatch): Promise<Vehicle> {
      authorize(principal, 'vehicles:write');
      const vehicle = await load(id);
      await homeState(principal, vehicle.homeWarehouseId);
      if (patch.homeWarehouseId !== undefined) await homeState(principal, patch.homeWarehouseId);
      checkShift(patch.shift);
      return vehicles.update(id, patch);
    },
    async deactivate(principal: Principal, id: string): Promise<Vehicle> {
      authorize(principal, 'vehicles:write');
      const vehicle = await load(id);
      await homeState(principal, vehicle.homeWarehouseId);
      return vehicles.update(id, { active: false });
    },
  };
}

export type VehicleService = ReturnType<typeof createVehicleService>;

import type { Connection } from 'mongoose';
import { ensureIndexes, registerModels } from '../../../models/index.ts';
import { createItemRepository, type ItemRepository } from '../../repositories/items.ts';
import { createKitTemplateRepository, type KitTemplateRepository } from '../../repositories/kit-templates.ts';
import { createUnitRepository, type UnitRepository } from '../../repositories/units.ts';
import { createVehicleRepository, type VehicleRepository } from '../../repositories/vehicles.ts';
import { createWarehouseRepository, type WarehouseRepository } from '../../repositories/warehouses.ts';

/** The repositories the national-network services use. */
export interface NetworkRepositories {
  units: UnitRepository;
  items: ItemRepository;
  kitTemplates: KitTemplateRepository;
  warehouses: WarehouseRepository;
  vehicles: VehicleRepository;
}

/** Builds them on a connection (CLI commands and tests; the service passes its own). */
export async function networkRepositories(connection: Connection): Promise<NetworkRepositories> {
  const models = registerModels(connection);
  await ensureIndexes(models);
  return {
    units: createUnitRepository(models),
    items: createItemRepository(models),
    kitTemplates: createKitTemplateRepository(models),
    warehouses: createWarehouseRepository(models),
    vehicles: createVehicleRepository(models),
  };
}

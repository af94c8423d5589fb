import type { Connection } from 'mongoose';
import { ensureIndexes, registerModels } from '../../models/index.ts';
import { createAuditRepository } from './audit.ts';
import { createIdempotencyRepository } from './idempotency.ts';
import { createItemRepository } from './items.ts';
import { createKitTemplateRepository } from './kit-templates.ts';
import { createLotRepository } from './lots.ts';
import { createStockReportRepository } from './stock-reports.ts';
import { createTokenRepository } from './tokens.ts';
import { createUnitRepository } from './units.ts';
import { createVehicleRepository } from './vehicles.ts';
import { createWarehouseRepository } from './warehouses.ts';

/** All repositories over one connection (the composition root builds this once). */
export function createRepositories(connection: Connection) {
  const models = registerModels(connection);
  return {
    models,
    units: createUnitRepository(models),
    warehouses: createWarehouseRepository(models),
    vehicles: createVehicleRepository(models),
    items: createItemRepository(models),
    kitTemplates: createKitTemplateRepository(models),
    lots: createLotRepository(models),
    stockReports: createStockReportRepository(models),
    tokens: createTokenRepository(models),
    idempotency: createIdempotencyRepository(models),
    audit: createAuditRepository(models),
    /** Builds the unique indexes; await before serving writes that rely on them. */
    ensureIndexes: () => ensureIndexes(models),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

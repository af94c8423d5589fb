import type { Repositories } from '../repositories/index.ts';
import { createAuditService } from './audit.ts';
import { createIdempotency } from './idempotency.ts';
import { createItemService } from './items.ts';
import { createKitTemplateService } from './kit-templates.ts';
import { createLotService } from './lots.ts';
import { createStockReportService } from './stock-reports.ts';
import { createTokenService } from './tokens.ts';
import { createUnitService, type ClassifyUnit, type PlaceUnit } from './units.ts';
import { createVehicleService } from './vehicles.ts';
import { createWarehouseService } from './warehouses.ts';

export interface CoreServiceOptions {
  now?: () => Date;
  /** Places a unit registered without coordinates (at its locality or municipality). */
  placeUnit?: PlaceUnit;
  /** Size class from tipología / type / level when a registration gives none. */
  classifyUnit?: ClassifyUnit;
}

/** The services of the network, stock and access (issue 4); later features add theirs beside them. */
export function createCoreServices(repos: Repositories, options: CoreServiceOptions = {}) {
  const runOnce = createIdempotency(repos.idempotency);
  const warehouses = createWarehouseService({ warehouses: repos.warehouses });
  return {
    runOnce,
    tokens: createTokenService({ tokens: repos.tokens, units: repos.units, now: options.now }),
    audit: createAuditService({ audit: repos.audit }),
    units: createUnitService({ units: repos.units, warehouses: repos.warehouses, placeUnit: options.placeUnit, classifyUnit: options.classifyUnit }),
    warehouses,
    vehicles: createVehicleService({ vehicles: repos.vehicles, warehouses: repos.warehouses }),
    items: createItemService({ items: repos.items }),
    kitTemplates: createKitTemplateService({ kitTemplates: repos.kitTemplates, items: repos.items }),
    lots: createLotService({ lots: repos.lots, items: repos.items, warehouses, now: options.now }),
    stockReports: createStockReportService({
      units: repos.units,
      items: repos.items,
      kitTemplates: repos.kitTemplates,
      stockReports: repos.stockReports,
      runOnce,
      now: options.now,
    }),
  };
}

export type CoreServices = ReturnType<typeof createCoreServices>;

import type { Connection } from 'mongoose';
import { apiTokenModel } from './api-token.ts';
import { auditEntryModel } from './audit-entry.ts';
import { currentStockModel } from './current-stock.ts';
import { healthUnitModel } from './health-unit.ts';
import { idempotencyRecordModel } from './idempotency-record.ts';
import { itemModel } from './item.ts';
import { kitTemplateModel } from './kit-template.ts';
import { lotModel, lotMovementModel } from './lot.ts';
import { replenishmentRunItemModel, replenishmentRunModel, replenishmentRunUnitModel } from './replenishment-run.ts';
import { stockReportModel } from './stock-report.ts';
import { vehicleModel } from './vehicle.ts';
import { warehouseModel } from './warehouse.ts';
import { roundModel } from './round.ts';
import { planModel } from './plan.ts';
import { planRouteModel } from './plan-route.ts';
import { planKitModel } from './plan-kit.ts';
import { leaseModel } from './lease.ts';
import { deliveryModel } from './delivery.ts';
import { evidenceBlobModel, evidenceModel } from './evidence.ts';

/**
 * Mongoose schemas and model types only. Conventions (the embedded server only speeds up `_id`
 * and unique indexes): every natural key is the `_id` — CLUES for units and current stock, the
 * clave for items, the size class for kit templates, the warehouse / vehicle id, and composite
 * "a|b|c" ids for lots, stock reports and idempotency records.
 */
export * from './common.ts';
export * from './api-token.ts';
export * from './audit-entry.ts';
export * from './current-stock.ts';
export * from './health-unit.ts';
export * from './idempotency-record.ts';
export * from './item.ts';
export * from './kit-template.ts';
export * from './lot.ts';
export * from './replenishment-run.ts';
export * from './stock-report.ts';
export * from './vehicle.ts';
export * from './warehouse.ts';
export * from './round.ts';
export * from './plan.ts';
export * from './plan-route.ts';
export * from './plan-kit.ts';
export * from './lease.ts';
export * from './delivery.ts';
export * from './evidence.ts';

export function registerModels(connection: Connection) {
  return {
    HealthUnit: healthUnitModel(connection),
    Warehouse: warehouseModel(connection),
    Vehicle: vehicleModel(connection),
    Item: itemModel(connection),
    KitTemplate: kitTemplateModel(connection),
    Lot: lotModel(connection),
    LotMovement: lotMovementModel(connection),
    StockReport: stockReportModel(connection),
    CurrentStock: currentStockModel(connection),
    ApiToken: apiTokenModel(connection),
    IdempotencyRecord: idempotencyRecordModel(connection),
    AuditEntry: auditEntryModel(connection),
    ReplenishmentRun: replenishmentRunModel(connection),
    ReplenishmentRunUnit: replenishmentRunUnitModel(connection),
    ReplenishmentRunItem: replenishmentRunItemModel(connection),
    Round: roundModel(connection),
    Plan: planModel(connection),
    PlanRoute: planRouteModel(connection),
    PlanKit: planKitModel(connection),
    Lease: leaseModel(connection),
    Delivery: deliveryModel(connection),
    Evidence: evidenceModel(connection),
    EvidenceBlob: evidenceBlobModel(connection),
  };
}

export type Models = ReturnType<typeof registerModels>;

/** Builds the unique indexes (call once at start, before concurrent writes rely on them). */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model) => (model as { init(): Promise<unknown> }).init()));
}

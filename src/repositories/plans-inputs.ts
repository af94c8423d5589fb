import type { Models } from '../../models/index.ts';
import type { CurrentStockDoc, CurrentStockItem } from '../../models/current-stock.ts';
import { currentStockItems } from './current-stock.ts';
import type { HealthUnitDoc } from '../../models/health-unit.ts';
import type { ItemDoc } from '../../models/item.ts';
import type { KitTemplateDoc } from '../../models/kit-template.ts';
import type { LotDoc } from '../../models/lot.ts';
import type { VehicleDoc } from '../../models/vehicle.ts';
import type { WarehouseDoc } from '../../models/warehouse.ts';

/**
 * Read-only loading of what plan generation needs, in as few round trips as possible (whole
 * small collections, units by `_id`). Returns the stored documents; the planning service maps
 * them to the engine's shapes.
 */
export function createPlanInputRepository(models: Pick<Models, 'HealthUnit' | 'Warehouse' | 'Vehicle' | 'Item' | 'KitTemplate' | 'Lot' | 'CurrentStock'>) {
  return {
    /** Active units of the care levels, in the states (all when empty) or exactly these CLUES. */
    async units(filter: { levels: number[]; states: string[]; clues: string[] }): Promise<HealthUnitDoc[]> {
      if (filter.clues.length > 0) {
        return models.HealthUnit.find({ _id: { $in: filter.clues } }).lean<HealthUnitDoc[]>();
      }
      const query: Record<string, unknown> = { active: true, level: { $in: filter.levels } };
      if (filter.states.length > 0) query['state.code'] = { $in: filter.states };
      return models.HealthUnit.find(query).lean<HealthUnitDoc[]>();
    },
    async activeUnits(): Promise<HealthUnitDoc[]> {
      return models.HealthUnit.find({ active: true }, { _id: 1, clues: 1, name: 1, state: 1, level: 1, type: 1 }).lean<HealthUnitDoc[]>();
    },
    async warehouses(): Promise<WarehouseDoc[]> {
      return models.Warehouse.find({ active: true }).lean<WarehouseDoc[]>();
    },
    async vehicles(): Promise<VehicleDoc[]> {
      return models.Vehicle.find({ active: true }).lean<VehicleDoc[]>();
    },
    async items(): Promise<ItemDoc[]> {
      return models.Item.find({ active: true }).lean<ItemDoc[]>();
    },
    async kitTemplates(): Promise<KitTemplateDoc[]> {
      return models.KitTemplate.find({}).lean<KitTemplateDoc[]>();
    },
    async lots(warehouseIds: readonly string[]): Promise<LotDoc[]> {
      if (warehouseIds.length === 0) return [];
      return models.Lot.find({ warehouseId: { $in: [...warehouseIds] }, quantity: { $gt: 0 } }).lean<LotDoc[]>();
    },
    /** Latest reported stock per unit (units that never reported are absent). */
    async currentStock(clues: readonly string[]): Promise<Map<string, Record<string, CurrentStockItem>>> {
      const out = new Map<string, Record<string, CurrentStockItem>>();
      for (let k = 0; k < clues.length; k += 1000) {
        const docs = await models.CurrentStock.find({ _id: { $in: clues.slice(k, k + 1000) } }).lean<CurrentStockDoc[]>();
        for (const doc of docs) {
          out.set(doc._id, currentStockItems(doc));
        }
      }
      return out;
    },
  };
}

export type PlanInputRepository = ReturnType<typeof createPlanInputRepository>;

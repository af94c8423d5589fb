/**
 * Kits of one warehouse's due units: replenishment cycle (indicators → max-min → fair share when
 * the warehouse is short) and FEFO lot picking. Without lot records at the warehouse (stock not
 * tracked there yet) the reorder quantities are used as they are and no lots are named.
 */
import {
  composeKit,
  pickKitLots,
  planReplenishmentCycle,
  UNTRACKED_SUPPLY,
  type CycleUnitLine,
  type ItemLogistics,
  type KitItem,
  type KitTemplate,
} from '../../../solver/replenishment/index.ts';
import { addDays } from './calendar.ts';
import type { KitLineOut, PlanningLot, PlanningUnit, RationedItem, UnitKit } from './types.ts';

export interface Catalogue {
  items: KitItem[];
  logistics: ItemLogistics[];
  template: KitTemplate;
  coldBoxCapacityM3: number;
}

export async function composeWarehouseKits(input: {
  warehouseId: string;
  units: readonly PlanningUnit[];
  catalogue: Catalogue;
  lots: readonly PlanningLot[];
  unitStock?: ReadonlyMap<string, readonly CycleUnitLine[]>;
  /** Lots must still be usable on this date + minShelfLifeDays (the round's last delivery day). */
  lastDeliveryDate: string;
  minShelfLifeDays: number;
}): Promise<{ kits: UnitKit[]; rationing: RationedItem[] }> {
  const { catalogue } = input;
  if (input.units.length === 0) return { kits: [], rationing: [] };
  const tracked = input.lots.length > 0;
  const usableFrom = addDays(input.lastDeliveryDate, input.minShelfLifeDays);
  const available: Record<string, number> = {};
  for (const item of catalogue.items) available[item.code] = tracked ? 0 : UNTRACKED_SUPPLY;
  if (tracked) {
    for (const lot of input.lots) {
      // Usable as FEFO picks it: not expired on the delivery day, with the minimum shelf life left.
      if (lot.expiryDate > input.lastDeliveryDate && lot.expiryDate >= usableFrom && Object.hasOwn(available, lot.code)) available[lot.code] += lot.available;
    }
  }
  const cycle = await planReplenishmentCycle({
    items: catalogue.items,
    template: catalogue.template,
    logistics: catalogue.logistics,
    coldBoxCapacityM3: catalogue.coldBoxCapacityM3,
    available,
    units: input.units.map((unit) => ({ id: unit.clues, sizeClass: unit.sizeClass, lines: input.unitStock?.get(unit.clues) ?? [] })),
  });
  const rationing: RationedItem[] = cycle.rationing
    .filter((r) => r.shortfall > 0)
    .map((r) => ({ warehouseId: input.warehouseId, code: r.code, requested: r.requested, allocated: r.allocated, shortfall: r.shortfall, unitsShort: r.unitsShort }));

  const itemByCode = new Map(catalogue.items.map((item) => [item.code, item]));
  type Picked = { lots: KitLineOut['lots']; short: number; shortReason?: KitLineOut['shortReason'] };
  const picks = new Map<string, Map<string, Picked>>();
  const fefo = pickKitLots({
    kits: cycle.kits,
    lots: input.lots.map((l) => ({ lotCode: l.lotCode, code: l.code, expiryDate: l.expiryDate, quantity: l.available })),
    items: catalogue.items,
    deliveryDateOf: () => input.lastDeliveryDate,
    minShelfLifeDays: input.minShelfLifeDays,
  });
  const entry = (unitId: string, code: string) => {
    let byCode = picks.get(unitId);
    if (!byCode) picks.set(unitId, (byCode = new Map<string, Picked>()));
    let value = byCode.get(code);
    if (!value) byCode.set(code, (value = { lots: [], short: 0 }));
    return value;
  };
  for (const pick of fefo.picks) entry(pick.unitId, pick.code).lots.push({ lotCode: pick.lotCode, expiryDate: pick.expiryDate, quantity: pick.quantity });
  for (const miss of fefo.unfilled) {
    const value = entry(miss.unitId, miss.code);
    value.short += miss.missing;
    value.shortReason = miss.reason;
  }

  const kits = cycle.kits.map((kit): UnitKit => {
    const quantities: Record<string, number> = {};
    const lines: KitLineOut[] = [];
    for (const line of kit.lines) {
      if (line.quantity === 0) continue;
      const picked = picks.get(kit.unitId)?.get(line.code);
      const shipped = tracked ? line.quantity - (picked?.short ?? 0) : line.quantity;
      quantities[line.code] = shipped;
      const item = itemByCode.get(line.code)!;
      const out: KitLineOut = {
        code: line.code,
        name: item.name,
        category: line.category,
        quantity: shipped,
        coldChain: line.coldChain,
        controlled: line.controlled,
        lots: picked?.lots ?? [],
        short: picked?.short ?? 0,
      };
      if (picked?.shortReason) out.shortReason = picked.shortReason;
      lines.push(out);
    }
    const shippedKit = composeKit({ unitId: kit.unitId, items: catalogue.items, quantities, logistics: catalogue.logistics, coldBoxCapacityM3: catalogue.coldBoxCapacityM3 });
    const t = shippedKit.totals;
    return {
      clues: kit.unitId,
      totals: {
        claves: t.claves,
        medicinePieces: t.medicinePieces,
        supplyPieces: t.supplyPieces,
        weightKg: Math.round(t.weightKg * 1000) / 1000,
        volumeM3: Math.round(t.volumeM3 * 100000) / 100000,
        coldBoxes: t.coldBoxes,
      },
      lines: lines.filter((l) => l.quantity > 0 || l.short > 0),
    };
  });
  return { kits, rationing };
}

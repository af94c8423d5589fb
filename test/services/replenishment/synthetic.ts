/**
 * A synthetic warehouse for the planner tests: `units` units × `items` items, every other item
 * short (its usable stock is about a third of what the units request), one unit in 50 a hospital.
 * Deterministic: the same sizes give the same input.
 */
import type { PlanningPolicy, PlanWarehouseInput } from '../../../src/services/replenishment/planning.ts';

export function syntheticWarehouse(units: number, items: number): PlanWarehouseInput {
  const catalogue = Array.from({ length: items }, (_, k) => ({
    code: `IT-${String(k).padStart(3, '0')}`,
    name: `Item ${k}`,
    presentation: 'CAJA',
    category: k % 4 === 3 ? ('supply' as const) : ('medicine' as const),
    coldChain: k % 10 === 0,
    controlled: k % 13 === 0,
    packSize: 1 + (k % 3),
    unitWeightKg: 0.05,
    unitVolumeM3: 0.0001,
  }));
  return {
    catalogue,
    templates: { 'nb-1': Object.fromEntries(catalogue.map((item, k) => [item.code, 10 + (k % 7) * 5])) },
    units: Array.from({ length: units }, (_, u) => ({
      clues: `SYN${String(u).padStart(8, '0')}`,
      name: `Unit ${u}`,
      state: '20',
      sizeClass: 'nb-1',
      level: u % 50 === 0 ? 2 : 1,
      remote: u % 17 === 0,
      stock: new Map(
        catalogue
          .filter((_, k) => (u + k) % 9 !== 0) // some items without reports: template fallback
          .map((item, k) => [item.code, { stockOnHand: (u * 7 + k * 3) % 25, history: [{ period: '2030-01', consumed: 10 + ((u + k) % 40), stockoutDays: (u + k) % 5 }] }]),
      ),
      deliveryDate: '2030-03-01',
      daysUntilDelivery: u % 3,
    })),
    lots: catalogue.map((item, k) => ({ itemCode: item.code, lotNumber: `L-${k}`, expiryDate: '2031-01-01', quantity: k % 2 === 0 ? units * 10 : units * 1000, reserved: k % 5 })),
  };
}

export const SYNTHETIC_POLICY: PlanningPolicy = {
  horizonDays: 30,
  safetyDays: 7,
  emergencyDays: 7,
  minShelfLifeDays: 60,
  method: 'highs',
  hospitalWeight: 2,
  remoteWeight: 1.5,
  coldBoxCapacityM3: 0.02,
};

/** A small two-state network (Hidalgo and Tlaxcala) built in memory for the planning tests. */
import type { KitItem } from '../../../solver/replenishment/index.ts';
import type { Catalogue } from '../../../src/services/planning/kits.ts';
import type { PlanningUnit, PlanningVehicleType, PlanningWarehouse } from '../../../src/services/planning/types.ts';

export const HIDALGO = { code: '13', name: 'Hidalgo' };
export const TLAXCALA = { code: '29', name: 'Tlaxcala' };
export const OAXACA = { code: '20', name: 'Oaxaca' };

export const items: KitItem[] = [
  { code: 'A', name: 'Paracetamol tableta 500 mg', presentation: 'ENVASE CON 10', category: 'medicine', coldChain: false, controlled: false },
  { code: 'B', name: 'Amoxicilina cápsula 500 mg', presentation: 'ENVASE CON 12', category: 'medicine', coldChain: false, controlled: false },
  { code: 'C', name: 'Insulina glargina', presentation: 'FRASCO 10 ML', category: 'medicine', coldChain: true, controlled: false },
  { code: 'D', name: 'Gasas estériles', presentation: 'PAQUETE CON 10', category: 'supply', coldChain: false, controlled: false },
];

export const catalogue: Catalogue = {
  items,
  logistics: [
    { code: 'A', weightKgPerPiece: 0.05, volumeM3PerPiece: 0.0001 },
    { code: 'B', weightKgPerPiece: 0.08, volumeM3PerPiece: 0.0002 },
    { code: 'C', weightKgPerPiece: 0.1, volumeM3PerPiece: 0.0005 },
    { code: 'D', weightKgPerPiece: 0.2, volumeM3PerPiece: 0.001 },
  ],
  template: {
    small: { A: 100, B: 50, D: 40 },
    cold: { A: 100, B: 50, C: 10, D: 40 },
    huge: { A: 100000 },
  },
  coldBoxCapacityM3: 0.02,
};

export const warehouses: PlanningWarehouse[] = [
  { id: 'ALM-13', name: 'Almacén Hidalgo', state: HIDALGO, lng: -98.7591, lat: 20.1011, openMin: 420, closeMin: 1140, coordinator: 'Dra. Ana Pérez' },
  { id: 'ALM-29', name: 'Almacén Tlaxcala', state: TLAXCALA, lng: -98.2375, lat: 19.3139, openMin: 420, closeMin: 1140, coordinator: 'Lic. Juan Gómez' },
  { id: 'CEFEDIS', name: 'CEFEDIS', state: { code: '15', name: 'México' }, lng: -99.2033, lat: 19.8342, openMin: 0, closeMin: 1440, hub: true },
];

export function vehicle(warehouseId: string, id: string, overrides: Partial<PlanningVehicleType> = {}): PlanningVehicleType {
  return {
    id,
    warehouseId,
    name: id,
    count: 1,
    capacityKg: 1500,
    capacityM3: 8,
    coldBoxes: 0,
    skills: [],
    fixedCost: 500,
    costPerKm: 5,
    costPerHour: 60,
    shiftStartMin: 420,
    shiftEndMin: 1140,
    ...overrides,
  };
}

export const vehicleTypes: PlanningVehicleType[] = [
  vehicle('ALM-13', 'van', { count: 2 }),
  vehicle('ALM-13', 'fridge', { count: 1, coldBoxes: 10, skills: ['cold'], capacityKg: 1000 }),
  vehicle('ALM-29', 'van', { count: 1, coldBoxes: 4, skills: ['cold'] }),
];

/** Deterministic pseudo-random points around a centre (no Math.random in tests). */
export function unitsAround(state: { code: string; name: string }, centre: { lng: number; lat: number }, count: number, prefix: string, spreadDeg = 0.4): PlanningUnit[] {
  const out: PlanningUnit[] = [];
  for (let k = 0; k < count; k++) {
    const angle = (k * 137.508 * Math.PI) / 180;
    const radius = spreadDeg * Math.sqrt((k + 1) / count);
    out.push({
      clues: `${prefix}${String(k + 1).padStart(6, '0')}`,
      name: `CENTRO DE SALUD ${prefix} ${k + 1}`,
      type: 'centro de salud',
      level: 1,
      state,
      lng: centre.lng + radius * Math.cos(angle),
      lat: centre.lat + radius * Math.sin(angle),
      timeWindows: [{ startMin: 480, endMin: 960 }],
      serviceTimeMin: 20,
      access: { remote: false, fourByFour: false, multiDay: false, boat: false },
      sizeClass: k % 5 === 0 ? 'cold' : 'small',
      contact: { receiverName: `Responsable ${k + 1}`, phone: `55${String(10000000 + k)}`, email: `cs${k + 1}@example.mx` },
    });
  }
  return out;
}

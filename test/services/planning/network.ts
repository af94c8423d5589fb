/**
 * A small multi-state network stored through the catalogue repositories, for the integration
 * tests of rounds and plans: Hidalgo (13) and Tlaxcala (29) with a warehouse each, Oaxaca (20)
 * with units but no warehouse, a few vehicles, four items, one kit template, lots in Hidalgo.
 */
import type { Repositories } from '../../../src/repositories/index.ts';

export const HGO = { code: '13', name: 'Hidalgo' };
export const TLAX = { code: '29', name: 'Tlaxcala' };
export const OAX = { code: '20', name: 'Oaxaca' };
export const ITEM_CODES = ['010.000.0104.00', '010.000.0101.00', '010.000.1050.00', '060.066.0300'] as const;

export interface SmallNetwork {
  due: string[];
  hidalgo: string[];
  tlaxcala: string[];
  oaxaca: string[];
  hospital: string;
}

function ring(centre: [number, number], k: number, n: number, spread: number): [number, number] {
  const angle = (k * 137.508 * Math.PI) / 180;
  const radius = spread * Math.sqrt((k + 1) / n);
  return [centre[0] + radius * Math.cos(angle), centre[1] + radius * Math.sin(angle)];
}

export async function seedSmallNetwork(repositories: Pick<Repositories, 'warehouses' | 'vehicles' | 'items' | 'kitTemplates' | 'units' | 'lots'>, counts = { hidalgo: 14, tlaxcala: 8 }): Promise<SmallNetwork> {
  await repositories.warehouses.upsertMany([
    { id: 'CEFEDIS', name: 'CEFEDIS Huehuetoca', kind: 'national-hub', state: { code: '15', name: 'México' }, location: { type: 'Point', coordinates: [-99.2033, 19.8342] } },
    { id: 'ALM-13', name: 'Almacén Hidalgo', kind: 'state-warehouse', state: HGO, location: { type: 'Point', coordinates: [-98.7591, 20.1011] } },
    { id: 'ALM-29', name: 'Almacén Tlaxcala', kind: 'state-warehouse', state: TLAX, location: { type: 'Point', coordinates: [-98.2375, 19.3139] } },
  ]);
  await repositories.vehicles.upsertMany([
    { id: 'ALM-13-T01', name: 'Camión 3.5 t 1', type: '3.5t-truck', capacity: { kg: 3500, m3: 16, coldBoxes: 0 }, homeWarehouseId: 'ALM-13' },
    { id: 'ALM-13-R01', name: 'Caja refrigerada 1', type: 'refrigerated', capacity: { kg: 1500, m3: 6, coldBoxes: 40 }, homeWarehouseId: 'ALM-13' },
    { id: 'ALM-29-V01', name: 'Camioneta 1.5 t 1', type: '1.5t-van', capacity: { kg: 1500, m3: 8, coldBoxes: 10 }, homeWarehouseId: 'ALM-29' },
  ]);
  await repositories.items.upsertMany([
    { code: ITEM_CODES[0], name: 'Paracetamol tableta 500 mg', category: 'medicine', presentation: 'ENVASE CON 10 TABLETAS', unitWeightKg: 0.03, unitVolumeM3: 0.00005 },
    { code: ITEM_CODES[1], name: 'Ácido acetilsalicílico tableta 500 mg', category: 'medicine', unitWeightKg: 0.03, unitVolumeM3: 0.00005 },
    { code: ITEM_CODES[2], name: 'Insulina humana', category: 'medicine', coldChain: true, unitWeightKg: 0.05, unitVolumeM3: 0.0001 },
    { code: ITEM_CODES[3], name: 'Gasas estériles', category: 'supply', unitWeightKg: 0.1, unitVolumeM3: 0.0004 },
  ]);
  await repositories.kitTemplates.upsertMany([
    { sizeClass: 'nb-1', lines: [{ code: ITEM_CODES[0], quantity: 60 }, { code: ITEM_CODES[1], quantity: 30 }, { code: ITEM_CODES[2], quantity: 4 }, { code: ITEM_CODES[3], quantity: 20 }] },
  ]);
  const unit = (clues: string, state: { code: string; name: string }, k: number, coordinates: [number, number], level: 1 | 2 = 1) => ({
    set: {
      clues,
      name: `${level === 1 ? 'CENTRO DE SALUD' : 'HOSPITAL GENERAL'} ${state.name.toUpperCase()} ${k}`,
      state,
      municipality: { name: `Municipio ${k}` },
      type: level === 1 ? 'centro de salud' : 'hospital',
      sizeClass: 'nb-1',
      location: { type: 'Point' as const, coordinates },
      contact: { receiverName: `Responsable ${k}`, phone: `771${String(1000000 + k)}` },
    },
    setOnInsert: { level },
  });
  const hidalgo = Array.from({ length: counts.hidalgo }, (_, k) => `HGSSA${String(k + 1).padStart(6, '0')}`);
  const tlaxcala = Array.from({ length: counts.tlaxcala }, (_, k) => `TLSSA${String(k + 1).padStart(6, '0')}`);
  const oaxaca = ['OCSSA000001', 'OCSSA000002'];
  await repositories.units.upsertMany([
    ...hidalgo.map((clues, k) => unit(clues, HGO, k + 1, ring([-98.76, 20.1], k, hidalgo.length, 0.35))),
    ...tlaxcala.map((clues, k) => unit(clues, TLAX, k + 1, ring([-98.24, 19.32], k, tlaxcala.length, 0.2))),
    ...oaxaca.map((clues, k) => unit(clues, OAX, k + 1, ring([-96.72, 17.06], k, 2, 0.2))),
    unit('HGIMB000999', HGO, 999, [-98.75, 20.12], 2),
  ]);
  const at = new Date('2026-01-01T00:00:00Z');
  for (const code of ITEM_CODES) {
    await repositories.lots.receive({ warehouseId: 'ALM-13', itemCode: code, lotNumber: `L-${code.slice(-6)}-A` }, new Date('2027-03-31T00:00:00Z'), 500, at);
    await repositories.lots.receive({ warehouseId: 'ALM-13', itemCode: code, lotNumber: `L-${code.slice(-6)}-B` }, new Date('2028-06-30T00:00:00Z'), 5000, at);
  }
  return { due: [...hidalgo, ...tlaxcala, ...oaxaca], hidalgo, tlaxcala, oaxaca, hospital: 'HGIMB000999' };
}

/**
 * A small network for replenishment tests, with values chosen so every expected number can be
 * computed by hand (see the comments next to each record and the tests that use it).
 *
 * Delivery on 2030-03-01, horizon 30 days, safety 0 days, 0 days until delivery.
 * Reporting months 2029-12 (31 d), 2030-01 (31 d), 2030-02 (28 d): 90 days = 3 months.
 *
 * Item A (pack 1): warehouse ALM-20 has 100 expired + 100 short-dated + 30 + (50 − 10 reserved)
 *   usable = 70 pieces, while the units request 110:
 *   - OCSSA000001: consumed 60/60/60 → AMC 60 (2/day), 10 on hand → request 60 − 10 = 50;
 *   - OCSSA000002: consumed 30, 20 with 11 stockout days in a 31-day month (→ 20 × 31 / 20 = 31),
 *     29 → AMC ceil(90 / 3) = 30 (1/day), 0 on hand → request 30;
 *   - OCSSA000003: no reports → template 30 (1/day), 0 on hand → request 30.
 *   Max-min: level t with (2t − 10) + t + t = 70 → t = 20 days: 30 / 20 / 20 pieces, every unit
 *   covered 20 days, shortfall 40, 3 units short. FEFO (CLUES order): unit 1 takes lot A-GOOD1
 *   (30, expiring first), units 2 and 3 take 20 each from A-GOOD2.
 * Item B (pack 1, cold chain, 0.001 m³/piece): requests 10 + 10 + 10, 100 in stock: no shortage.
 * Item C (pack 10): unit 1 AMC 12 (0.4/day), 1 on hand → 12 − 1 = 11 → 2 packs = 20.
 */
import type { Models } from '../../../models/index.ts';

export const DELIVERY_DATE = '2030-03-01';
export const RUN_OPTIONS = { horizonDays: 30, safetyDays: 0, daysUntilNextDelivery: 0, deliveryDate: DELIVERY_DATE } as const;

const location = (lng: number, lat: number) => ({ type: 'Point' as const, coordinates: [lng, lat] as [number, number] });

function unit(clues: string, warehouseId: string, state: { code: string; name: string }) {
  return {
    _id: clues,
    clues,
    name: `Centro de Salud ${clues}`,
    state,
    municipality: { name: 'Municipio' },
    type: 'centro de salud',
    sizeClass: 'nb-1',
    location: location(-96.7, 17.06),
    warehouseId,
  };
}

const history = (consumed: [number, number, number], stockoutDays: [number, number, number] = [0, 0, 0]) =>
  ['2029-12', '2030-01', '2030-02'].map((period, i) => ({ period, consumed: consumed[i], stockoutDays: stockoutDays[i] }));

const stockItem = (soh: number, consumed: [number, number, number], stockoutDays?: [number, number, number]) => ({
  soh,
  amc: 0,
  period: '2030-02',
  reportedAt: new Date('2030-02-28T12:00:00Z'),
  history: history(consumed, stockoutDays),
});

export async function seedNetwork(models: Models): Promise<void> {
  const oaxaca = { code: '20', name: 'Oaxaca' };
  const chiapas = { code: '07', name: 'Chiapas' };
  await models.Warehouse.create([
    { _id: 'ALM-20', name: 'Almacén Oaxaca', kind: 'state-warehouse', state: oaxaca, location: location(-96.72, 17.07) },
    { _id: 'ALM-07', name: 'Almacén Chiapas', kind: 'state-warehouse', state: chiapas, location: location(-93.1, 16.75) },
  ]);
  await models.Item.create([
    { _id: 'ITEM-A', code: 'ITEM-A', name: 'Paracetamol tableta 500 mg', presentation: 'ENVASE CON 10', category: 'medicine', packSize: 1, unitWeightKg: 0.04, unitVolumeM3: 0.0001 },
    { _id: 'ITEM-B', code: 'ITEM-B', name: 'Insulina humana', presentation: 'FRASCO 10 ML', category: 'medicine', coldChain: true, packSize: 1, unitWeightKg: 0.05, unitVolumeM3: 0.001 },
    { _id: 'ITEM-C', code: 'ITEM-C', name: 'Gasas estériles', presentation: 'PAQUETE', category: 'supply', packSize: 10, unitWeightKg: 0.02, unitVolumeM3: 0.0002 },
  ]);
  await models.KitTemplate.create({
    _id: 'nb-1',
    sizeClass: 'nb-1',
    lines: [
      { code: 'ITEM-A', quantity: 30 },
      { code: 'ITEM-B', quantity: 10 },
      { code: 'ITEM-C', quantity: 20 },
    ],
  });
  await models.HealthUnit.create([
    unit('OCSSA000001', 'ALM-20', oaxaca),
    unit('OCSSA000002', 'ALM-20', oaxaca),
    unit('OCSSA000003', 'ALM-20', oaxaca),
    unit('CSSSA000001', 'ALM-07', chiapas),
  ]);
  await models.CurrentStock.create([
    {
      _id: 'OCSSA000001',
      lastPeriod: '2030-02',
      lastReportedAt: new Date('2030-02-28T12:00:00Z'),
      items: { 'ITEM-A': stockItem(10, [60, 60, 60]), 'ITEM-B': stockItem(5, [15, 15, 15]), 'ITEM-C': stockItem(1, [12, 12, 12]) },
    },
    {
      _id: 'OCSSA000002',
      lastPeriod: '2030-02',
      lastReportedAt: new Date('2030-02-28T12:00:00Z'),
      items: { 'ITEM-A': stockItem(0, [30, 20, 29], [0, 11, 0]) },
    },
  ]);
  const lot = (warehouseId: string, itemCode: string, lotNumber: string, expiry: string, quantity: number, reserved = 0) => ({
    _id: `${warehouseId}|${itemCode}|${lotNumber}`,
    warehouseId,
    itemCode,
    lotNumber,
    expiry: new Date(`${expiry}T00:00:00Z`),
    quantity,
    reserved,
  });
  await models.Lot.create([
    lot('ALM-20', 'ITEM-A', 'A-OLD', '2030-02-20', 100), // expired before delivery
    lot('ALM-20', 'ITEM-A', 'A-SHORT', '2030-04-10', 100), // 40 days of shelf life < 60
    lot('ALM-20', 'ITEM-A', 'A-GOOD2', '2030-09-01', 50, 10), // 40 free
    lot('ALM-20', 'ITEM-A', 'A-GOOD1', '2030-06-01', 30), // 92 days: picked first
    lot('ALM-20', 'ITEM-B', 'B-1', '2030-12-31', 100),
    lot('ALM-20', 'ITEM-C', 'C-1', '2031-06-30', 1000),
    lot('ALM-07', 'ITEM-A', 'A-CH', '2031-01-31', 500),
    lot('ALM-07', 'ITEM-B', 'B-CH', '2031-01-31', 500),
    lot('ALM-07', 'ITEM-C', 'C-CH', '2031-01-31', 500),
  ]);
}

import type { RunningService } from '../../src/main.ts';

/** A small network in two states (Oaxaca 20, Chiapas 07) seeded through the repositories. */
export const OAX_1 = 'OCSSA000001';
export const OAX_2 = 'OCSSA000002';
export const CHIS_1 = 'CSSSA000003';
export const ITEMS = ['010.000.0104.00', '010.000.0101.00', '060.066.0300'] as const;

export async function seedNetwork(service: Pick<RunningService, 'repositories'>): Promise<void> {
  const { repositories } = service;
  await repositories.warehouses.upsertMany([
    { id: 'CEFEDIS', name: 'CEFEDIS Huehuetoca', kind: 'national-hub', state: { code: '15', name: 'México' }, location: { type: 'Point', coordinates: [-99.2, 19.83] } },
    { id: 'ALM-20', name: 'Almacén Oaxaca', kind: 'state-warehouse', state: { code: '20', name: 'Oaxaca' }, location: { type: 'Point', coordinates: [-96.73, 17.07] } },
    { id: 'ALM-07', name: 'Almacén Chiapas', kind: 'state-warehouse', state: { code: '07', name: 'Chiapas' }, location: { type: 'Point', coordinates: [-93.12, 16.75] } },
  ]);
  await repositories.vehicles.upsertMany([
    { id: 'ALM-20-T01', type: '3.5t-truck', capacity: { kg: 3500, m3: 18, coldBoxes: 0 }, homeWarehouseId: 'ALM-20' },
    { id: 'ALM-07-T01', type: '1.5t-van', capacity: { kg: 1500, m3: 9, coldBoxes: 2 }, homeWarehouseId: 'ALM-07' },
  ]);
  await repositories.items.upsertMany([
    { code: ITEMS[0], name: 'Paracetamol 500 mg', category: 'medicine', presentation: 'Caja con 10 tabletas' },
    { code: ITEMS[1], name: 'Ácido acetilsalicílico 500 mg', category: 'medicine' },
    { code: ITEMS[2], name: 'Gasas', category: 'supply' },
  ]);
  await repositories.kitTemplates.upsertMany([{ sizeClass: 'nb-1', lines: [{ code: ITEMS[0], quantity: 60 }, { code: ITEMS[1], quantity: 30 }] }]);
  const unit = (clues: string, state: { code: string; name: string }, municipality: string, coordinates: [number, number], warehouseId: string) => ({
    set: {
      clues,
      name: `Centro de Salud ${municipality}`,
      state,
      municipality: { name: municipality },
      type: 'centro de salud',
      sizeClass: 'nb-1',
      location: { type: 'Point' as const, coordinates },
      warehouseId,
    },
  });
  await repositories.units.upsertMany([
    unit(OAX_1, { code: '20', name: 'Oaxaca' }, 'Santa María Tlahuitoltepec', [-96.06, 17.1], 'ALM-20'),
    unit(OAX_2, { code: '20', name: 'Oaxaca' }, 'Oaxaca de Juárez', [-96.72, 17.06], 'ALM-20'),
    unit(CHIS_1, { code: '07', name: 'Chiapas' }, 'Tuxtla Gutiérrez', [-93.11, 16.75], 'ALM-07'),
  ]);
}

/** The current month in Mexico City as YYYY-MM, and the month before it. */
export function periods(now = new Date()): { current: string; previous: string; next: string } {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit' });
  const [year, month] = fmt.format(now).split('-').map(Number);
  const shift = (delta: number) => {
    const d = new Date(Date.UTC(year, month - 1 + delta, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  return { current: shift(0), previous: shift(-1), next: shift(1) };
}

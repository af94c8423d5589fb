import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { ensureIndexes, registerModels } from '../../models/index.ts';
import { createItemRepository } from '../../src/repositories/items.ts';
import { createKitTemplateRepository } from '../../src/repositories/kit-templates.ts';
import { createUnitRepository, type HealthUnitInput } from '../../src/repositories/units.ts';
import { createVehicleRepository } from '../../src/repositories/vehicles.ts';
import { createWarehouseRepository } from '../../src/repositories/warehouses.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';

export function sampleUnit(clues: string, overrides: Partial<HealthUnitInput> = {}): HealthUnitInput {
  return {
    clues,
    name: `Centro de Salud ${clues}`,
    state: { code: '20', name: 'Oaxaca' },
    municipality: { code: '067', name: 'Oaxaca de Juárez' },
    type: 'centro de salud',
    sizeClass: 'rural-1',
    location: { type: 'Point', coordinates: [-96.72, 17.06] },
    ...overrides,
  };
}

describe('catalogue repositories', () => {
  let connection: Connection;
  let models: ReturnType<typeof registerModels>;

  before(async () => {
    connection = await freshConnection('repo_catalogue');
    models = registerModels(connection);
    await ensureIndexes(models);
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('creates a unit keyed by its CLUES with the documented defaults', async () => {
    const units = createUnitRepository(models);
    const unit = await units.create(sampleUnit('OCSSA000001'));
    expect(unit).to.include({ clues: 'OCSSA000001', active: true, synthetic: false, level: 1, source: 'catalog', locationPrecision: 'exact', institution: 'IMB' });
    expect(unit.timeWindows).to.deep.equal([{ startMin: 480, endMin: 960 }]);
    expect(unit.access).to.include({ remote: false, boat: false });
    expect((await units.get('OCSSA000001'))?.name).to.equal('Centro de Salud OCSSA000001');
  });

  it('refuses a second unit with the same CLUES with a conflict', async () => {
    const units = createUnitRepository(models);
    let status: number | undefined;
    try {
      await units.create(sampleUnit('OCSSA000001'));
    } catch (error) {
      status = (error as { status?: number }).status;
    }
    expect(status).to.equal(409);
  });

  it('rejects a location outside Mexico', async () => {
    const units = createUnitRepository(models);
    let status: number | undefined;
    try {
      await units.create(sampleUnit('OCSSA000099', { location: { type: 'Point', coordinates: [2.35, 48.85] } }));
    } catch (error) {
      status = (error as { status?: number }).status;
    }
    expect(status).to.equal(422);
  });

  it('pages units by CLUES with an opaque cursor, filters and text search ignoring accents', async () => {
    const units = createUnitRepository(models);
    await units.upsertMany(
      Array.from({ length: 12 }, (_, i) => ({
        set: sampleUnit(`OCSSA1${String(i).padStart(5, '0')}`, i % 2 === 0 ? { municipality: { name: 'Santa María Tlahuitoltepec' } } : {}),
      })),
    );
    const first = await units.list({ state: '20' }, { limit: 5 });
    expect(first.total).to.equal(13);
    expect(first.items).to.have.length(5);
    const second = await units.list({ state: '20' }, { limit: 5, cursor: first.next ?? undefined });
    expect(second.items[0].clues > first.items[4].clues).to.equal(true);
    const third = await units.list({ state: '20' }, { limit: 5, cursor: second.next ?? undefined });
    expect(third.items).to.have.length(3);
    expect(third.next).to.equal(null);
    const search = await units.list({ q: 'maria tlahui' }, { limit: 100 });
    expect(search.total).to.equal(6);
    const box = await units.list({ bbox: [-97, 17, -96, 18] }, { limit: 100 });
    expect(box.total).to.equal(13);
    const none = await units.list({ bbox: [-100, 20, -99, 21] }, { limit: 100 });
    expect(none.total).to.equal(0);
  });

  it('upserts units by CLUES without duplicating them and keeps insert-only fields', async () => {
    const units = createUnitRepository(models);
    await units.upsertMany([{ set: sampleUnit('OCSSA200000', { name: 'A' }), setOnInsert: { source: 'manual' } }]);
    await units.upsertMany([{ set: sampleUnit('OCSSA200000', { name: 'B' }), setOnInsert: { source: 'clues-import' } }]);
    const unit = await units.get('OCSSA200000');
    expect(unit).to.include({ name: 'B', source: 'manual', active: true });
    expect(await units.count({ source: 'manual' })).to.equal(1);
  });

  it('stores warehouses, vehicles, items and kit templates under their natural keys', async () => {
    const warehouses = createWarehouseRepository(models);
    const vehicles = createVehicleRepository(models);
    const items = createItemRepository(models);
    const kits = createKitTemplateRepository(models);
    await warehouses.create({ id: 'ALM-20', name: 'Almacén Oaxaca', kind: 'state-warehouse', state: { code: '20', name: 'Oaxaca' }, location: { type: 'Point', coordinates: [-96.7, 17.0] } });
    await vehicles.create({ id: 'ALM-20-T01', type: '3.5t-truck', capacity: { kg: 3500, m3: 18, coldBoxes: 0 }, homeWarehouseId: 'ALM-20' });
    await items.upsertMany([{ code: '010.000.0104.00', name: 'Paracetamol', category: 'medicine' }]);
    await kits.create({ sizeClass: 'rural-1', lines: [{ code: '010.000.0104.00', quantity: 40 }] });
    expect(await warehouses.get('ALM-20')).to.include({ id: 'ALM-20', dockServiceTimeMin: 30, active: true });
    expect((await vehicles.list({ homeWarehouseId: 'ALM-20' }, { limit: 10 })).items[0]).to.include({ id: 'ALM-20-T01', active: true });
    expect([...(await items.codes())]).to.deep.equal(['010.000.0104.00']);
    expect((await kits.get('rural-1'))?.coverageDays).to.equal(30);
  });
});

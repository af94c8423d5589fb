import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { networkRepositories, type NetworkRepositories } from '../../../src/services/catalog/repositories.ts';
import { seedNetwork } from '../../../src/services/catalog/seed.ts';
import { networkIsIncomplete } from '../../../src/services/catalog/seed-on-start.ts';
import { networkStats } from '../../../src/services/catalog/stats.ts';
import { readCsv, DATA_DIR } from '../../../src/services/catalog/reference.ts';
import { dropAndClose, freshConnection } from '../../support/db.ts';
import { join } from 'node:path';

const COLLECTIONS = ['health_units', 'items', 'kit_templates', 'warehouses', 'vehicles'];

/** Every document of the seeded collections, without the timestamps (the only thing that may differ). */
async function contents(connection: Connection): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const name of COLLECTIONS) {
    const docs = await connection.collection(name).find({}, { projection: { createdAt: 0, updatedAt: 0 } }).sort({ _id: 1 }).toArray();
    result[name] = docs;
  }
  return result;
}

/** Per state: catalogue units + hospitals of data/units (the counts the seed must reproduce). */
function expectedByState(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of ['units-catalog.csv', 'hospitals.csv']) {
    for (const row of readCsv(join(DATA_DIR, 'units', file))) counts[row.state_code] = (counts[row.state_code] ?? 0) + 1;
  }
  return counts;
}

describe('rutas seed (service, real database)', function () {
  this.timeout(300_000);
  let first: Connection;
  let second: Connection;
  let repos: NetworkRepositories;

  before(async () => {
    first = await freshConnection('seed_a');
    second = await freshConnection('seed_b');
    repos = await networkRepositories(first);
    await seedNetwork(repos);
    await seedNetwork(await networkRepositories(second));
  });
  after(async () => {
    await dropAndClose(first);
    await dropAndClose(second);
  });

  it('loads every catalogue unit and hospital, the 147 items, kit templates, ≥ 24 warehouses and the fleet', async () => {
    const stats = await networkStats(repos);
    expect(stats.units.total).to.equal(9460 + 154);
    expect(stats.units.active).to.equal(9614);
    expect(stats.units.real).to.equal(9614);
    expect(stats.units.manual).to.equal(0);
    expect(stats.units.byState).to.deep.equal(expectedByState());
    expect(Object.keys(stats.units.byState)).to.have.length(23);
    expect(stats.units.byState['07']).to.equal(606);
    expect(stats.units.byState['13']).to.equal(511 + 18);
    expect(stats.units.byPrecision).to.deep.equal({ exact: 2168 + 154, locality: 4098, municipality: 3194 });
    expect(stats.units.bySource).to.deep.equal({ catalog: 9614, 'clues-import': 0, manual: 0 });
    expect(stats.items).to.equal(147);
    expect(stats.kitTemplates).to.equal(10);
    expect(stats.warehouses).to.equal(24);
    expect(stats.vehicles.byType).to.deep.equal({ '1.5t-van': 38, '3.5t-truck': 96, boat: 5, refrigerated: 27 });
  });

  it('assigns every unit to its state warehouse, with a size class that has a kit template', async () => {
    const units = await repos.units.all();
    const templates = new Set((await repos.kitTemplates.all()).map((t) => t.sizeClass));
    const warehouses = new Set((await repos.warehouses.all()).map((w) => w.id));
    for (const unit of units) {
      expect(unit.warehouseId, unit.clues).to.equal(`ALM-${unit.state.code}`);
      expect(warehouses.has(unit.warehouseId!), unit.clues).to.equal(true);
      expect(templates.has(unit.sizeClass), unit.clues).to.equal(true);
    }
    const cozumel = (await repos.units.get('QRIMB001500'))!;
    expect(cozumel.access.boat).to.equal(true);
    expect(cozumel.access.notes).to.match(/lancha/);
    const cedros = (await repos.units.get('BCIMB000162'))!;
    expect(cedros.access).to.include({ boat: true, remote: true, multiDay: true });
    const template = (await repos.kitTemplates.get('nb-1'))!;
    expect(template.lines).to.have.length(147);
  });

  it('tells a complete network from an empty or interrupted one (seed on start)', async () => {
    expect(await networkIsIncomplete(repos)).to.equal(false);
    const empty = await freshConnection('seed_empty');
    try {
      const emptyRepos = await networkRepositories(empty);
      expect(await networkIsIncomplete(emptyRepos)).to.equal(true);
      // An interrupted seed: units written, vehicles (written last) not yet.
      await emptyRepos.units.insertMany((await repos.units.all()).slice(0, 10));
      expect(await networkIsIncomplete(emptyRepos)).to.equal(true);
    } finally {
      await dropAndClose(empty);
    }
  });

  it('is deterministic: two seeds of empty databases give the same documents', async () => {
    expect(await contents(second)).to.deep.equal(await contents(first));
  });

  it('is idempotent: a second seed changes no unit, keeps imported units and merges manual ones', async () => {
    const unitsBefore = await first.collection('health_units').find({}).sort({ _id: 1 }).toArray();
    const again = await seedNetwork(repos);
    expect(again.units).to.include({ inserted: 0, updated: 0, unchanged: 9614 });
    expect(await first.collection('health_units').find({}).sort({ _id: 1 }).toArray()).to.deep.equal(unitsBefore);

    await repos.units.update('HGIMB000011', { source: 'clues-import', name: 'ACATLÁN (IMPORTADO)' });
    await repos.units.update('HGIMB000023', { source: 'manual', contact: { phone: '7740000000' } });
    const third = await seedNetwork(repos);
    expect(third.units).to.include({ keptNewerImport: 1, mergedManual: 1, updated: 1 });
    expect((await repos.units.get('HGIMB000011'))!.name).to.equal('ACATLÁN (IMPORTADO)');
    const merged = (await repos.units.get('HGIMB000023'))!;
    expect(merged.source).to.equal('catalog');
    expect(merged.contact).to.deep.equal({ phone: '7740000000' });
    expect(await repos.units.count()).to.equal(9614);
  });
});

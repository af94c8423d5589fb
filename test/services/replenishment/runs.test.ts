import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { registerModels, type Models } from '../../../models/index.ts';
import { runUnitId } from '../../../models/replenishment-run.ts';
import { createReplenishmentRepository, runModels, type RunModels } from '../../../src/repositories/replenishment.ts';
import { createReplenishmentService, type ReplenishmentService, type RunActor } from '../../../src/services/replenishment/runs.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../src/errors.ts';
import { dropAndClose, freshConnection } from '../../support/db.ts';
import { RUN_OPTIONS, seedNetwork } from './network.ts';

const planner: RunActor = { role: 'planner', tokenId: 'tok-planner' };

describe('replenishment runs service (real database)', () => {
  let connection: Connection;
  let models: Models & RunModels;
  let service: ReplenishmentService;
  let fixedId: string | undefined;

  before(async () => {
    connection = await freshConnection('replenishment_service');
    models = { ...registerModels(connection), ...runModels(connection) };
    await Promise.all([models.ReplenishmentRunUnit.init(), models.ReplenishmentRunItem.init()]);
    await seedNetwork(models);
    service = createReplenishmentService({
      repository: createReplenishmentRepository(models),
      minShelfLifeDays: 60,
      newRunId: () => fixedId ?? `${Date.now().toString(16).padStart(12, '0')}${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`,
    });
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('rations the short item max-min fair and picks lots FEFO, skipping expired and short-dated lots', async () => {
    const run = await service.createRun({ warehouseId: 'ALM-20', ...RUN_OPTIONS }, planner);
    expect(run.status).to.equal('completed');
    const a = run.rationing!.find((r) => r.code === 'ITEM-A')!;
    expect(a).to.include({ available: 70, expiredQuantity: 100, shortShelfLifeQuantity: 100, requested: 110, allocated: 70, shortfall: 40, unitsShort: 3, minCoverageDays: 20 });

    const u1 = await service.getRunUnit(run.id, 'OCSSA000001', planner);
    const lineA = u1.lines.find((l) => l.code === 'ITEM-A')!;
    expect(lineA).to.include({ source: 'reports', averageMonthlyConsumption: 60, stockOnHand: 10, requestedQuantity: 50, allocatedQuantity: 30, coverageDaysAtDelivery: 20 });
    expect(u1.lots.filter((l) => l.code === 'ITEM-A')).to.deep.equal([{ code: 'ITEM-A', lotNumber: 'A-GOOD1', expiryDate: '2030-06-01', quantity: 30, shelfLifeDaysAtDelivery: 92, coldBox: false }]);
    const u2 = await service.getRunUnit(run.id, 'OCSSA000002', planner);
    expect(u2.lines.find((l) => l.code === 'ITEM-A')).to.include({ averageMonthlyConsumption: 30, requestedQuantity: 30, allocatedQuantity: 20 });
    expect(u2.lots.filter((l) => l.code === 'ITEM-A').map((l) => [l.lotNumber, l.quantity])).to.deep.equal([['A-GOOD2', 20]]);
  });

  it('falls back to the kit template, rounds to packs and marks cold-chain picks for cold boxes', async () => {
    const run = await service.createRun({ warehouseId: 'ALM-20', ...RUN_OPTIONS, method: 'water-filling' }, planner);
    const u3 = await service.getRunUnit(run.id, 'OCSSA000003', planner);
    expect(u3.lines.find((l) => l.code === 'ITEM-A')).to.include({ source: 'template', averageMonthlyConsumption: 30, allocatedQuantity: 20 });
    const u1 = await service.getRunUnit(run.id, 'OCSSA000001', planner);
    expect(u1.lines.find((l) => l.code === 'ITEM-C')).to.include({ averageMonthlyConsumption: 12, requestedQuantity: 20, allocatedQuantity: 20 });
    expect(u1.lots.find((l) => l.code === 'ITEM-B')).to.deep.include({ lotNumber: 'B-1', quantity: 10, coldBox: true });
    // 10 insulin pieces × 0.001 m³ = 0.01 m³ → one 20-litre cold box.
    expect(u1.totals).to.include({ coldChainPieces: 10, coldBoxes: 1, medicinePieces: 40, supplyPieces: 20 });
  });

  it('never leaves a partial run visible: a failed write marks the run failed and removes its results', async () => {
    fixedId = 'ffffffffffff000000000001';
    // A document already holding the key of the second unit makes the batch insert fail midway.
    await models.ReplenishmentRunUnit.collection.insertOne({ _id: runUnitId(fixedId, 'OCSSA000002') as never, runId: 'someone-else' });
    try {
      let failure: unknown;
      await service.createRun({ warehouseId: 'ALM-20', ...RUN_OPTIONS }, planner).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
      const run = await service.getRun(fixedId, planner);
      expect(run.status).to.equal('failed');
      expect(run.error).to.equal('An unexpected error stopped the run; it has been logged.');
      expect(run.rationing).to.equal(undefined);
      expect(await models.ReplenishmentRunUnit.countDocuments({ _id: { $gt: `${fixedId}|`, $lt: `${fixedId}|\uffff` } })).to.equal(0);
      let readError: unknown;
      await service.getRunUnit(fixedId, 'OCSSA000001', planner).catch((error: unknown) => (readError = error));
      expect(readError).to.be.instanceOf(ConflictError);
    } finally {
      fixedId = undefined;
    }
  });

  it('limits a state-scoped planner to its state and refuses a national run', async () => {
    const oaxaca: RunActor = { role: 'planner', state: '20' };
    let error: unknown;
    await service.createRun({ warehouseId: 'ALM-07', ...RUN_OPTIONS }, oaxaca).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ForbiddenError);
    error = undefined;
    await service.createRun({ scope: 'national', ...RUN_OPTIONS }, oaxaca).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ForbiddenError);
    const page = await service.listRuns({}, { limit: 50 }, oaxaca);
    expect(page.items.length).to.be.greaterThan(0);
    expect(page.items.every((r) => r.state === '20')).to.equal(true);
  });

  it('plans the nation warehouse by warehouse and sums the rationing report', async () => {
    const run = await service.createRun({ scope: 'national', ...RUN_OPTIONS }, planner);
    expect(run.summary).to.include({ warehouses: 2, units: 4 });
    const a = run.rationing!.find((r) => r.code === 'ITEM-A')!;
    // ALM-20 as above; ALM-07 has 500 pieces for one template unit requesting 30.
    expect(a).to.include({ available: 570, requested: 140, allocated: 100, shortfall: 40, unitsShort: 3, minCoverageDays: 20 });
    const item = await service.getRunItem(run.id, 'ITEM-A', planner);
    expect(item.warehouses.map((w) => [w.warehouseId, w.shortfall])).to.deep.equal([
      ['ALM-07', 0],
      ['ALM-20', 40],
    ]);
    expect(item.shortUnits.map((u) => u.clues).sort()).to.deep.equal(['OCSSA000001', 'OCSSA000002', 'OCSSA000003']);
  });

  it('rejects contradictory scope fields with JSON pointers', async () => {
    let error: unknown;
    await service.createRun({ scope: 'national', warehouseId: 'ALM-20' }, planner).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).errors).to.deep.equal([{ pointer: '/body/warehouseId', detail: 'must not be given with scope "national"' }]);
  });

  it('computes kits for the units of a round without storing anything', async () => {
    const before = await models.ReplenishmentRun.countDocuments({});
    const result = await service.computeKitsForUnits({ warehouseId: 'ALM-20', units: ['OCSSA000001', 'OCSSA000003', 'NOPE0000001', 'CSSSA000001'], ...RUN_OPTIONS });
    expect(result.kits.map((k) => k.clues)).to.deep.equal(['OCSSA000001', 'OCSSA000003']);
    expect(result.notPlanned).to.deep.equal([
      { clues: 'NOPE0000001', reason: 'unknown_unit' },
      { clues: 'CSSSA000001', reason: 'other_warehouse' },
    ]);
    // Two units share 70 pieces of A: (2t − 10) + t = 70 → t = 26.67; floors 43 + 26 = 69, the
    // last piece goes to the lowest coverage (unit 3 at 26 days) → 43 / 27.
    const a1 = result.kits[0].lines.find((l) => l.code === 'ITEM-A')!;
    const a3 = result.kits[1].lines.find((l) => l.code === 'ITEM-A')!;
    expect([a1.quantity, a3.quantity]).to.deep.equal([43, 27]);
    expect(a1.lots).to.deep.equal([
      { lotCode: 'A-GOOD1', expiryDate: '2030-06-01', quantity: 30 },
      { lotCode: 'A-GOOD2', expiryDate: '2030-09-01', quantity: 13 },
    ]);
    expect(await models.ReplenishmentRun.countDocuments({})).to.equal(before);
  });

  it('gives hospitals their priority weight when rationing', async () => {
    await models.HealthUnit.updateOne({ _id: 'OCSSA000002' }, { $set: { level: 2 } });
    try {
      const run = await service.createRun({ warehouseId: 'ALM-20', ...RUN_OPTIONS, hospitalWeight: 2 }, planner);
      // Weighted level t: unit 2 (weight 2) reaches its 30 days (30 pieces) first; then
      // (2t − 10) + 30 + t = 70 → t = 16.67 → floors 23 / 30 / 16, the last piece to the lowest
      // coverage (unit 3 at 16 days vs unit 1 at 16.5) → 23 / 30 / 17.
      const quantities = await Promise.all(
        ['OCSSA000001', 'OCSSA000002', 'OCSSA000003'].map(async (clues) => {
          const unit = await service.getRunUnit(run.id, clues, planner);
          return [unit.weight, unit.lines.find((l) => l.code === 'ITEM-A')!.allocatedQuantity];
        }),
      );
      expect(quantities).to.deep.equal([
        [1, 23],
        [2, 30],
        [1, 17],
      ]);
      expect(run.rationing!.find((r) => r.code === 'ITEM-A')).to.include({ allocated: 70, unitsShort: 2, minCoverageDays: 16.5 });
    } finally {
      await models.HealthUnit.updateOne({ _id: 'OCSSA000002' }, { $set: { level: 1 } });
    }
  });

  it('does not ration at a warehouse without any lot record (stock not tracked) and says so', async () => {
    await models.Warehouse.create({ _id: 'ALM-12', name: 'Almacén Guerrero', kind: 'state-warehouse', state: { code: '12', name: 'Guerrero' }, location: { type: 'Point', coordinates: [-99.5, 17.55] } });
    await models.HealthUnit.create({ _id: 'GRSSA000001', clues: 'GRSSA000001', name: 'CS Guerrero', state: { code: '12', name: 'Guerrero' }, municipality: { name: 'Chilpancingo' }, type: 'centro de salud', sizeClass: 'nb-1', warehouseId: 'ALM-12' });
    const run = await service.createRun({ warehouseId: 'ALM-12', ...RUN_OPTIONS }, planner);
    expect(run.warehouses).to.deep.equal([{ warehouseId: 'ALM-12', name: 'Almacén Guerrero', state: '12', units: 1, itemsShort: 0, stockTracked: false }]);
    // Template kit: A 30, B 10, C 20 (two packs of 10), nothing rationed, no lots named.
    expect(run.rationing!.map((r) => [r.code, r.available, r.requested, r.allocated, r.shortfall])).to.deep.equal([
      ['ITEM-A', 30, 30, 30, 0],
      ['ITEM-B', 10, 10, 10, 0],
      ['ITEM-C', 20, 20, 20, 0],
    ]);
    const unit = await service.getRunUnit(run.id, 'GRSSA000001', planner);
    expect(unit.lots).to.deep.equal([]);
    expect(unit.unfilled).to.deep.equal([]);
  });
});

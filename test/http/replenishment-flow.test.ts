import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { registerModels, type Models, type Role } from '../../models/index.ts';
import type { RunUnitView, RunView } from '../../src/services/replenishment/runs.ts';
import { request, startTestService } from '../support/service.ts';

async function token(models: Models, role: Role, extra: { unitClues?: string } = {}): Promise<string> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await models.ApiToken.create({ _id: id, name: `${role} flow`, role, ...extra, secretHash: createHash('sha256').update(secret, 'utf8').digest('hex') });
  return `rds_${id}_${secret}`;
}

/**
 * End to end through the API: a unit reports three months of stock (real dotted claves), then a
 * planner's run uses those reports for its AMC.
 */
describe('replenishment run from stock reports sent through the API (real database)', function () {
  this.timeout(60_000);
  let service: Awaited<ReturnType<typeof startTestService>>;
  let models: Models;

  before(async () => {
    service = await startTestService({}, 'replenishment_flow');
    models = registerModels(service.connection);
    const oaxaca = { code: '20', name: 'Oaxaca' };
    const location = { type: 'Point' as const, coordinates: [-96.72, 17.07] as [number, number] };
    await models.Warehouse.create({ _id: 'ALM-20', name: 'Almacén Oaxaca', kind: 'state-warehouse', state: oaxaca, location });
    await models.Item.create([
      { _id: '010.000.0104.00', code: '010.000.0104.00', name: 'Paracetamol tableta 500 mg', category: 'medicine', packSize: 1, unitWeightKg: 0.04, unitVolumeM3: 0.0001 },
      { _id: '010.000.0106.00', code: '010.000.0106.00', name: 'Paracetamol solución oral', category: 'medicine', packSize: 1, unitWeightKg: 0.05, unitVolumeM3: 0.00008 },
    ]);
    await models.KitTemplate.create({ _id: 'nb-1', sizeClass: 'nb-1', lines: [{ code: '010.000.0104.00', quantity: 12 }, { code: '010.000.0106.00', quantity: 4 }] });
    await models.HealthUnit.create({ _id: 'OCSSA000010', clues: 'OCSSA000010', name: 'CS Tlacolula', state: oaxaca, municipality: { name: 'Tlacolula' }, type: 'centro de salud', sizeClass: 'nb-1', location, warehouseId: 'ALM-20' });
    await models.Lot.create([
      { _id: 'ALM-20|010.000.0104.00|P-1', warehouseId: 'ALM-20', itemCode: '010.000.0104.00', lotNumber: 'P-1', expiry: new Date('2026-12-31T00:00:00Z'), quantity: 1000 },
      { _id: 'ALM-20|010.000.0106.00|S-1', warehouseId: 'ALM-20', itemCode: '010.000.0106.00', lotNumber: 'S-1', expiry: new Date('2026-12-31T00:00:00Z'), quantity: 1000 },
    ]);
  });
  after(async () => {
    await service.connection.dropDatabase().catch(() => undefined);
    await service.close();
  });

  it('computes the AMC of the reported item from the last three reports and the template for the other', async () => {
    const unitToken = await token(models, 'unit', { unitClues: 'OCSSA000010' });
    // June (30 d), July (31 d), August (31 d) 2025: 30 + 31 + 31 consumed over 92 days = 30 per 30 days.
    const reports = [
      { period: '2025-06', soh: 20, consumed: 30, received: 30 },
      { period: '2025-07', soh: 29, consumed: 31, received: 40 },
      { period: '2025-08', soh: 5, consumed: 31, received: 7 },
    ];
    for (const r of reports) {
      const response = await request(service.url, '/api/v1/units/OCSSA000010/stock-reports', {
        method: 'POST',
        token: unitToken,
        headers: { 'idempotency-key': `flow-${r.period}` },
        json: { period: r.period, reportedAt: `${r.period}-28T12:00:00Z`, lines: [{ code: '010.000.0104.00', soh: r.soh, consumed: r.consumed, received: r.received, stockoutDays: 0 }] },
      });
      expect(response.status, response.text).to.equal(201);
    }

    const planner = await token(models, 'planner');
    const run = await request<RunView>(service.url, '/api/v1/replenishment/runs', {
      method: 'POST',
      token: planner,
      json: { warehouseId: 'ALM-20', horizonDays: 30, safetyDays: 0, daysUntilNextDelivery: 0, deliveryDate: '2025-09-01' },
    });
    expect(run.status, run.text).to.equal(201);
    expect(run.body.summary).to.include({ units: 1, itemsShort: 0 });

    const unit = await request<RunUnitView>(service.url, `/api/v1/replenishment/runs/${run.body.id}/units/OCSSA000010`, { token: planner });
    expect(unit.status, unit.text).to.equal(200);
    // AMC 30 (1/day), 5 on hand → order up to 30: 25 pieces. Template item: AMC 4, nothing on hand → 4.
    expect(unit.body.lines.map((l) => [l.code, l.source, l.averageMonthlyConsumption, l.stockOnHand, l.allocatedQuantity])).to.deep.equal([
      ['010.000.0104.00', 'reports', 30, 5, 25],
      ['010.000.0106.00', 'template', 4, 0, 4],
    ]);
    expect(unit.body.lots.map((l) => [l.code, l.lotNumber, l.quantity])).to.deep.equal([
      ['010.000.0104.00', 'P-1', 25],
      ['010.000.0106.00', 'S-1', 4],
    ]);
  });
});

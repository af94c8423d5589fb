import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { registerModels, type Models, type Role } from '../../models/index.ts';
import type { RunView, RunUnitView, RunItemView, RunUnitSummary } from '../../src/services/replenishment/runs.ts';
import { request, startTestService } from '../support/service.ts';
import { DELIVERY_DATE, RUN_OPTIONS, seedNetwork } from '../services/replenishment/network.ts';

/** Fields of a problem+json body (its `status` clashes with a run's and is read from the response). */
interface ProblemFields {
  detail?: string;
  errors?: { pointer: string; detail: string }[];
}

async function token(models: Models, role: Role, extra: { state?: string; unitClues?: string } = {}): Promise<string> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await models.ApiToken.create({ _id: id, name: `${role} test`, role, ...extra, secretHash: createHash('sha256').update(secret, 'utf8').digest('hex') });
  return `rds_${id}_${secret}`;
}

describe('replenishment runs API (real database)', function () {
  this.timeout(60_000);
  let service: Awaited<ReturnType<typeof startTestService>>;
  let models: Models;
  const tokens: Record<string, string> = {};

  before(async () => {
    service = await startTestService({}, 'replenishment_http');
    models = registerModels(service.connection);
    await seedNetwork(models);
    tokens.admin = await token(models, 'admin');
    tokens.planner = await token(models, 'planner');
    tokens.oaxaca = await token(models, 'planner', { state: '20' });
    tokens.chiapas = await token(models, 'planner', { state: '07' });
    tokens.national = await token(models, 'national');
    tokens.warehouse = await token(models, 'warehouse');
    tokens.unit = await token(models, 'unit', { unitClues: 'OCSSA000001' });
  });
  after(async () => {
    await service.connection.dropDatabase().catch(() => undefined);
    await service.close();
  });

  const post = (body: unknown, who = 'planner') => request<RunView & ProblemFields>(service.url, '/api/v1/replenishment/runs', { method: 'POST', token: tokens[who], json: body });
  const get = <T>(path: string, who = 'planner') => request<T & ProblemFields>(service.url, `/api/v1/replenishment/runs${path}`, { token: tokens[who] });

  describe('a warehouse run with a shortage', () => {
    let run: RunView;

    before(async () => {
      const response = await post({ warehouseId: 'ALM-20', ...RUN_OPTIONS });
      expect(response.status, response.text).to.equal(201);
      expect(response.headers.get('location')).to.equal(`/api/v1/replenishment/runs/${response.body.id}`);
      run = response.body;
    });

    it('reports the rationed item: short by 40 of 110, every unit covered 20 days (max-min by hand)', () => {
      expect(run.status).to.equal('completed');
      expect(run.options).to.include({ horizonDays: 30, safetyDays: 0, daysUntilNextDelivery: 0, deliveryDate: DELIVERY_DATE, minShelfLifeDays: 60, method: 'highs' });
      const short = run.rationing!.filter((r) => r.shortfall > 0);
      expect(short).to.deep.equal([
        {
          code: 'ITEM-A',
          name: 'Paracetamol tableta 500 mg',
          available: 70,
          expiredQuantity: 100,
          shortShelfLifeQuantity: 100,
          requested: 110,
          allocated: 70,
          shortfall: 40,
          unitsShort: 3,
          minCoverageDays: 20,
        },
      ]);
      expect(run.summary).to.include({ warehouses: 1, units: 3, unitsWithoutReports: 2, items: 3, itemsShort: 1, shortfallPieces: 40 });
      expect(run.units!.map((u) => [u.clues, u.linesShort])).to.deep.equal([
        ['OCSSA000001', 1],
        ['OCSSA000002', 1],
        ['OCSSA000003', 1],
      ]);
    });

    it('shows FEFO lots per unit: the earliest usable lot first, never the expired or short-dated ones', async () => {
      const u1 = await get<RunUnitView>(`/${run.id}/units/OCSSA000001`);
      expect(u1.status, u1.text).to.equal(200);
      expect(u1.body.lines.find((l) => l.code === 'ITEM-A')).to.deep.equal({
        code: 'ITEM-A',
        source: 'reports',
        averageMonthlyConsumption: 60,
        stockOnHand: 10,
        stockoutRisk: 'high',
        maxStockQuantity: 60,
        requestedQuantity: 50,
        allocatedQuantity: 30,
        coverageDaysAtDelivery: 20,
        emergency: true,
      });
      expect(u1.body.lots).to.deep.equal([
        { code: 'ITEM-A', lotNumber: 'A-GOOD1', expiryDate: '2030-06-01', quantity: 30, shelfLifeDaysAtDelivery: 92, coldBox: false },
        { code: 'ITEM-B', lotNumber: 'B-1', expiryDate: '2030-12-31', quantity: 10, shelfLifeDaysAtDelivery: 305, coldBox: true },
        { code: 'ITEM-C', lotNumber: 'C-1', expiryDate: '2031-06-30', quantity: 20, shelfLifeDaysAtDelivery: 486, coldBox: false },
      ]);
      expect(u1.body.unfilled).to.deep.equal([]);
      const u3 = await get<RunUnitView>(`/${run.id}/units/OCSSA000003`);
      expect(u3.body.lots.filter((l) => l.code === 'ITEM-A')).to.deep.equal([
        { code: 'ITEM-A', lotNumber: 'A-GOOD2', expiryDate: '2030-09-01', quantity: 20, shelfLifeDaysAtDelivery: 184, coldBox: false },
      ]);
      const lotsUsed = [u1.body, u3.body].flatMap((u) => u.lots.map((l) => l.lotNumber));
      expect(lotsUsed).to.not.include.members(['A-OLD', 'A-SHORT']);
    });

    it('shows the item sub-resource with the short units, lowest coverage first', async () => {
      const item = await get<RunItemView>(`/${run.id}/items/ITEM-A`);
      expect(item.status, item.text).to.equal(200);
      expect(item.body.warehouses).to.deep.equal([
        { warehouseId: 'ALM-20', available: 70, expiredQuantity: 100, shortShelfLifeQuantity: 100, requested: 110, allocated: 70, shortfall: 40, unitsShort: 3, minCoverageDays: 20 },
      ]);
      expect(item.body.shortUnits.map((u) => [u.clues, u.requested, u.allocated, u.coverageDaysAtDelivery])).to.have.deep.members([
        ['OCSSA000001', 50, 30, 20],
        ['OCSSA000002', 30, 20, 20],
        ['OCSSA000003', 30, 20, 20],
      ]);
      expect((await get(`/${run.id}/items/NOPE`)).status).to.equal(404);
      expect((await get(`/${run.id}/units/NOPE0000000`)).status).to.equal(404);
    });

    it('pages the units of a run with a cursor', async () => {
      const first = await get<{ items: RunUnitSummary[]; total: number; next: string | null }>(`/${run.id}/units?limit=2`);
      expect(first.status, first.text).to.equal(200);
      expect(first.body.items.map((u) => u.clues)).to.deep.equal(['OCSSA000001', 'OCSSA000002']);
      expect(first.body.total).to.equal(3);
      const second = await get<{ items: RunUnitSummary[]; next: string | null }>(`/${run.id}/units?limit=2&cursor=${first.body.next}`);
      expect(second.body.items.map((u) => u.clues)).to.deep.equal(['OCSSA000003']);
      expect(second.body.next).to.equal(null);
    });

    it('lists runs newest first for national tokens, which cannot create one', async () => {
      const list = await get<{ items: RunView[]; total: number }>('?limit=50', 'national');
      expect(list.status, list.text).to.equal(200);
      expect(list.body.items.map((r) => r.id)).to.include(run.id);
      expect(list.body.items[0].rationing).to.equal(undefined);
      expect((await get<RunView>(`/${run.id}`, 'national')).status).to.equal(200);
      expect((await post({ warehouseId: 'ALM-20', ...RUN_OPTIONS }, 'national')).status).to.equal(403);
    });
  });

  it('refuses runs to unit and warehouse tokens and to anonymous callers', async () => {
    expect((await post({ warehouseId: 'ALM-20' }, 'unit')).status).to.equal(403);
    expect((await post({ warehouseId: 'ALM-20' }, 'warehouse')).status).to.equal(403);
    expect((await get('', 'unit')).status).to.equal(403);
    const anonymous = await request(service.url, '/api/v1/replenishment/runs', { method: 'POST', json: { warehouseId: 'ALM-20' } });
    expect(anonymous.status).to.equal(401);
  });

  it('limits a state-scoped planner to its state: its warehouse yes, another state or the nation no', async () => {
    const own = await post({ warehouseId: 'ALM-20', ...RUN_OPTIONS }, 'oaxaca');
    expect(own.status, own.text).to.equal(201);
    expect((await post({ warehouseId: 'ALM-07', ...RUN_OPTIONS }, 'oaxaca')).status).to.equal(403);
    expect((await post({ scope: 'national', ...RUN_OPTIONS }, 'oaxaca')).status).to.equal(403);
    expect((await get(`/${own.body.id}`, 'chiapas')).status).to.equal(403);
    const listed = await get<{ items: RunView[] }>('?limit=100', 'chiapas');
    expect(listed.status).to.equal(200);
    expect(listed.body.items.map((r) => r.id)).to.not.include(own.body.id);
    expect(listed.body.items.every((r) => r.state === '07')).to.equal(true);
  });

  it('plans the nation for an unscoped planner', async () => {
    const response = await post({ scope: 'national', ...RUN_OPTIONS });
    expect(response.status, response.text).to.equal(201);
    expect(response.body.scope).to.equal('national');
    expect(response.body.warehouses!.map((w) => [w.warehouseId, w.units, w.itemsShort])).to.deep.equal([
      ['ALM-07', 1, 0],
      ['ALM-20', 3, 1],
    ]);
    expect(response.body.unassignedUnits).to.deep.equal([]);
  });

  it('rejects bad input with JSON pointers and stores nothing', async () => {
    const before = await models.ReplenishmentRun.countDocuments({});
    const cases: [unknown, number, string[]][] = [
      [{}, 422, ['/body/warehouseId']],
      [{ scope: 'national', warehouseId: 'ALM-20' }, 422, ['/body/warehouseId']],
      [{ warehouseId: 'ALM-20', horizonDays: 0, method: 'simplex', wieght: 2 }, 422, ['/body/horizonDays', '/body/method', '/body/wieght']],
      [{ warehouseId: 'ALM-20', deliveryDate: '2030-02-30' }, 422, ['/body/deliveryDate']],
      [{ warehouseId: 'ALM-99' }, 422, ['/body/warehouseId']],
    ];
    for (const [body, status, pointers] of cases) {
      const response = await post(body);
      expect(response.status, `${JSON.stringify(body)} → ${response.text}`).to.equal(status);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(response.body.errors!.map((e) => e.pointer).sort(), JSON.stringify(body)).to.deep.equal([...pointers].sort());
    }
    expect((await get('/not-a-run-id')).status).to.equal(400);
    expect((await get('/ffffffffffffffffffffffff')).status).to.equal(404);
    expect(await models.ReplenishmentRun.countDocuments({})).to.equal(before);
  });

  it('never serves results of a run that is not completed', async () => {
    // A run header as it is while its results are being written.
    const id = 'eeeeeeeeeeee000000000001';
    await models.ReplenishmentRun.create({ _id: id, scope: 'warehouse', warehouseId: 'ALM-20', state: '20', status: 'running', options: { ...RUN_OPTIONS, emergencyDays: 7, minShelfLifeDays: 60, method: 'highs', hospitalWeight: 1, remoteWeight: 1 }, createdAt: new Date() });
    await models.ReplenishmentRunUnit.create({ _id: `${id}|OCSSA000001`, runId: id, clues: 'OCSSA000001', name: 'x', warehouseId: 'ALM-20', state: '20', sizeClass: 'nb-1', weight: 1, deliveryDate: DELIVERY_DATE, linesShort: 0, emergencyLines: 0, totals: {}, detail: '{"lines":[],"lots":[],"unfilled":[]}' });
    const show = await get<RunView>(`/${id}`);
    expect(show.status, show.text).to.equal(200);
    expect(show.body.status).to.equal('running');
    expect(show.body.rationing).to.equal(undefined);
    expect(show.body.units).to.equal(undefined);
    expect((await get(`/${id}/units`)).status).to.equal(409);
    expect((await get(`/${id}/units/OCSSA000001`)).status).to.equal(409);
    expect((await get(`/${id}/items/ITEM-A`)).status).to.equal(409);
  });
});

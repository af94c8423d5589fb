import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Config } from '../../src/config.ts';
import type { RunningService } from '../../src/main.ts';
import { localDay } from '../../src/services/execution/time.ts';
import { seedSmallNetwork, type SmallNetwork } from '../services/planning/network.ts';
import { createTestToken, request, startTestService } from '../support/service.ts';

/**
 * A whole round through the product: the planning module generates, approves and dispatches a
 * plan; state coordinators deliver every stop through the execution API; stock, progress and
 * the coverage report follow.
 */

const FAST = { PLAN_TIME_BUDGET_MS: '300', PLAN_MIN_JOB_MS: '100', PLAN_MAX_ITERATIONS: '400', PLAN_CONCURRENCY: '2' };

interface RouteBody {
  routeKey: string;
  state: { code: string };
  stops: { clues: string; date: string; totals: { medicinePieces: number; supplyPieces: number } }[];
}

describe('delivering a generated round end to end', function () {
  this.timeout(120_000);
  let service: RunningService & { config: Config };
  let network: SmallNetwork;
  let planner: string;
  let national: string;
  const coordinators: Record<string, string> = {};

  before(async () => {
    service = await startTestService(FAST, 'execround');
    network = await seedSmallNetwork(service.repositories, { hidalgo: 6, tlaxcala: 4 });
    planner = await createTestToken(service, 'planner', { name: 'Planeación nacional' });
    national = await createTestToken(service, 'national');
    coordinators['13'] = await createTestToken(service, 'planner', { state: '13', name: 'Coordinación Hidalgo' });
    coordinators['29'] = await createTestToken(service, 'warehouse', { state: '29', name: 'Almacén Tlaxcala' });
  });
  after(async () => {
    await service.close();
  });

  it('updates stock, moves progress to 100 % and shows the actual dates in coverage', async () => {
    const created = await request<{ id: string }>(service.url, '/api/v1/rounds', {
      method: 'POST',
      token: planner,
      json: { name: 'JORNADA DE ENTREGA', type: 'ordinary', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18' },
    });
    expect(created.status, created.text).to.equal(201);
    const roundId = created.body.id;
    const accepted = await request<{ id: string }>(service.url, `/api/v1/rounds/${roundId}/plans`, { method: 'POST', token: planner, json: { seed: 5 } });
    expect(accepted.status).to.equal(202);
    const planId = accepted.body.id;
    const until = Date.now() + 60_000;
    let status = 'queued';
    while (['queued', 'running'].includes(status)) {
      if (Date.now() > until) throw new Error('plan generation did not finish before the deadline');
      status = (await request<{ status: string }>(service.url, `/api/v1/plans/${planId}`, { token: planner })).body.status;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(status).to.equal('draft');

    // A draft is not on the road: no deliveries yet.
    const routes = await request<{ items: RouteBody[] }>(service.url, `/api/v1/plans/${planId}/routes`, { token: planner });
    const stops = routes.body.items.flatMap((r) => r.stops.map((s) => ({ ...s, state: r.state.code })));
    expect(stops.length).to.equal(network.hidalgo.length + network.tlaxcala.length);
    const early = await request(service.url, `/api/v1/plans/${planId}/stops/${stops[0].clues}/delivery`, { method: 'POST', token: planner, json: { delivered: true, receivedBy: 'X' }, headers: { 'idempotency-key': randomUUID() } });
    expect(early.status).to.equal(409);

    expect((await request(service.url, `/api/v1/plans/${planId}/approve`, { method: 'POST', token: planner })).status).to.equal(200);
    expect((await request(service.url, `/api/v1/plans/${planId}/dispatch`, { method: 'POST', token: planner })).status).to.equal(200);

    const before = await request<{ totals: { unitsPlanned: number; unitsDelivered: number; percentDelivered: number } }>(service.url, `/api/v1/rounds/${roundId}/progress`, { token: national });
    expect(before.body.totals).to.include({ unitsPlanned: stops.length, unitsDelivered: 0, percentDelivered: 0 });

    // Every stop delivered by its state's coordinator, in reverse route order; the last one twice.
    const [failed, ...rest] = stops;
    for (const stop of [...rest].reverse()) {
      const response = await request<{ piecesDelivered: number; stockUpdated: boolean }>(service.url, `/api/v1/plans/${planId}/stops/${stop.clues}/delivery`, {
        method: 'POST',
        token: coordinators[stop.state],
        json: { delivered: true, receivedBy: `Responsable ${stop.clues}` },
        headers: { 'idempotency-key': `pod-${stop.clues}` },
      });
      expect(response.status, response.text).to.equal(201);
      expect(response.body.piecesDelivered).to.equal(stop.totals.medicinePieces + stop.totals.supplyPieces);
      expect(response.body.stockUpdated).to.equal(true);
    }
    const again = rest[0];
    const replay = await request(service.url, `/api/v1/plans/${planId}/stops/${again.clues}/delivery`, { method: 'POST', token: coordinators[again.state], json: { delivered: true, receivedBy: `Responsable ${again.clues}` }, headers: { 'idempotency-key': `pod-${again.clues}` } });
    expect(replay.status).to.equal(201);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    const notDelivered = await request(service.url, `/api/v1/plans/${planId}/stops/${failed.clues}/delivery`, { method: 'POST', token: coordinators[failed.state], json: { delivered: false, reason: 'access', reasonNote: 'camino deslavado' }, headers: { 'idempotency-key': randomUUID() } });
    expect(notDelivered.status).to.equal(201);

    // Stock on hand: every delivered unit holds exactly its kit (no stock reported before).
    for (const stop of rest) {
      const stock = await request<{ items: { stockOnHand: number }[] }>(service.url, `/api/v1/units/${stop.clues}/stock`, { token: planner });
      expect(stock.status).to.equal(200);
      expect(stock.body.items.reduce((sum, item) => sum + item.stockOnHand, 0), stop.clues).to.equal(stop.totals.medicinePieces + stop.totals.supplyPieces);
    }
    // The stops are closed in the plan's own route view.
    const closed = await request<{ items: { stops: { clues: string; status?: string; deliveredAt?: string }[] }[] }>(service.url, `/api/v1/plans/${planId}/routes`, { token: planner });
    const statusOf = new Map(closed.body.items.flatMap((r) => r.stops.map((s) => [s.clues, s.status])));
    expect(statusOf.get(failed.clues)).to.equal('not-delivered');
    for (const stop of rest) expect(statusOf.get(stop.clues), stop.clues).to.equal('delivered');

    const failedStock = await request<{ items: unknown[] }>(service.url, `/api/v1/units/${failed.clues}/stock`, { token: planner });
    expect(failedStock.body.items).to.deep.equal([]);

    const progress = await request<{ totals: Record<string, unknown>; byRegion: { region: string; unitsPlanned: number; unitsUnassigned: number }[] }>(service.url, `/api/v1/rounds/${roundId}/progress`, { token: national });
    expect(progress.body.totals).to.include({ unitsPlanned: stops.length, unitsDelivered: rest.length, unitsNotDelivered: 1, unitsPending: 0 });
    expect(progress.body.totals.notDeliveredReasons).to.deep.equal({ access: 1 });
    expect(progress.body.totals.piecesDelivered).to.equal(rest.reduce((s, st) => s + st.totals.medicinePieces + st.totals.supplyPieces, 0));
    // Hidalgo is Centro, Tlaxcala Suroeste; Oaxaca (Sureste) has no warehouse: unassigned, shown.
    expect(progress.body.byRegion.map((r) => [r.region, r.unitsPlanned, r.unitsUnassigned])).to.deep.equal([
      ['Centro', network.hidalgo.length, 0],
      ['Sureste', 0, network.oaxaca.length],
      ['Suroeste', network.tlaxcala.length, 0],
    ]);

    // Coverage shows the date each unit actually received its kit, not the planned one.
    const today = localDay(new Date());
    const coverage = await request<{ units: { clues: string; status: string; date: string | null; reason: string | null }[] }>(service.url, '/api/v1/coverage?month=2026-12', { token: planner });
    expect(coverage.status, coverage.text).to.equal(200);
    const byClues = new Map(coverage.body.units.map((u) => [u.clues, u]));
    for (const stop of rest) {
      expect(byClues.get(stop.clues), stop.clues).to.deep.include({ status: 'delivered', date: today });
      expect(stop.date).to.not.equal(today);
    }
    expect(byClues.get(failed.clues)).to.deep.include({ status: 'not-delivered', reason: 'access' });
  });
});

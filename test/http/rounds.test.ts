import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { createTestToken, request, startTestService } from '../support/service.ts';
import type { RunningService } from '../../src/main.ts';
import type { Config } from '../../src/config.ts';
import { seedSmallNetwork, type SmallNetwork } from '../services/planning/network.ts';

interface PlanBody {
  id: string;
  roundId: string;
  status: string;
  stage: string;
  percent: number;
  error: { code: string; message: string } | null;
  kpis: { plan: { unitsDue: number; unitsServed: number; unitsUnassigned: number; routes: number; routesPerDay: number[] }; byState: { state: { code: string } }[] } | null;
  unassigned: { clues: string; reason: string; detail: string }[];
  reservation: { lots: number; pieces: number } | null;
}

interface RouteBody {
  routeKey: string;
  vehicleId: string;
  state: { code: string };
  startDate: string;
  stops: { clues: string; seq: number; date: string; eta: string; totals: { claves: number; medicinePieces: number; supplyPieces: number } }[];
}

const FAST = { PLAN_TIME_BUDGET_MS: '300', PLAN_MIN_JOB_MS: '100', PLAN_MAX_ITERATIONS: '400', PLAN_CONCURRENCY: '2' };

async function waitForPlan(url: string, token: string, id: string, deadlineMs = 60_000): Promise<PlanBody> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await request<PlanBody>(url, `/api/v1/plans/${id}`, { token });
    expect(res.status).to.equal(200);
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`plan ${id} still ${res.body.status} at the deadline`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Reads an SSE stream to its end and returns the events. */
async function readEvents(url: string, token: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).to.equal(200);
  expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) as Record<string, unknown> };
    });
}

describe('rounds and plans through the API', function () {
  this.timeout(120_000);
  let service: RunningService & { config: Config };
  let admin: string;
  let planner: string;
  let tlaxcalaPlanner: string;
  let hidalgoWarehouse: string;
  let network: SmallNetwork;

  before(async () => {
    service = await startTestService(FAST, 'rounds');
    network = await seedSmallNetwork(service.repositories);
    admin = await createTestToken(service, 'admin');
    planner = await createTestToken(service, 'planner', { name: 'Planeación nacional' });
    tlaxcalaPlanner = await createTestToken(service, 'planner', { state: '29' });
    hidalgoWarehouse = await createTestToken(service, 'warehouse', { state: '13' });
  });
  after(async () => {
    await service.close();
  });

  it('rejects a round whose dates or units are wrong, naming the fields', async () => {
    const bad = await request<{ errors: { pointer: string }[] }>(service.url, '/api/v1/rounds', {
      method: 'POST',
      token: planner,
      json: { name: 'X', type: 'extraordinary', level: 'first', deliveryStart: '2026-12-18', deliveryEnd: '2026-12-14', units: ['NOPE0001'] },
    });
    expect(bad.status).to.equal(422);
    expect(bad.body.errors.map((e) => e.pointer)).to.include.members(['/body/deliveryEnd', '/body/units/0']);
    const typo = await request(service.url, '/api/v1/rounds', { method: 'POST', token: planner, json: { name: 'X', type: 'weekly', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18' } });
    expect(typo.status).to.equal(422);
    const scoped = await request(service.url, '/api/v1/rounds', { method: 'POST', token: tlaxcalaPlanner, json: { name: 'X', type: 'ordinary', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18' } });
    expect(scoped.status).to.equal(403);
    expect((await request(service.url, '/api/v1/rounds', { method: 'POST', token: hidalgoWarehouse, json: { name: 'X', type: 'ordinary', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18' } })).status).to.equal(403);
  });

  it('plans a round end to end: generate, follow progress, read routes, manifests and the programme, approve, dispatch, coverage', async () => {
    const created = await request<{ id: string; status: string; month: string }>(service.url, '/api/v1/rounds', {
      method: 'POST',
      token: planner,
      json: { name: '12a JORNADA ORDINARIA', type: 'ordinary', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18', coordinators: { '13': 'Dra. Ana Pérez' } },
    });
    expect(created.status).to.equal(201);
    expect(created.body.status).to.equal('planned');
    expect(created.headers.get('location')).to.equal(`/api/v1/rounds/${created.body.id}`);
    const roundId = created.body.id;
    const listed = await request<{ items: { id: string }[] }>(service.url, '/api/v1/rounds?month=2026-12', { token: hidalgoWarehouse });
    expect(listed.body.items.map((r) => r.id)).to.include(roundId);

    const accepted = await request<{ id: string; status: string }>(service.url, `/api/v1/rounds/${roundId}/plans`, { method: 'POST', token: planner, json: { seed: 3 } });
    expect(accepted.status).to.equal(202);
    const planId = accepted.body.id;
    const events = await readEvents(`${service.url}/api/v1/plans/${planId}/events`, planner);
    const plan = await waitForPlan(service.url, planner, planId);
    expect(plan.status, JSON.stringify(plan.error)).to.equal('draft');
    expect(events[events.length - 1]).to.deep.include({ event: 'done' });
    expect(events[events.length - 1].data.status).to.equal('draft');
    const percents = events.filter((e) => e.event === 'progress').map((e) => e.data.percent as number);
    expect(percents).to.deep.equal([...percents].sort((a, b) => a - b));
    expect(percents[percents.length - 1]).to.equal(100);
    expect(plan.stage).to.equal('done');

    // Every due unit is on a route or listed with a reason.
    expect(plan.kpis!.plan.unitsDue).to.equal(network.due.length);
    expect(plan.unassigned.map((u) => [u.clues, u.reason])).to.deep.equal(network.oaxaca.map((c) => [c, 'no_warehouse']));
    expect(plan.kpis!.plan.unitsServed).to.equal(network.hidalgo.length + network.tlaxcala.length);
    const routes = await request<{ items: RouteBody[]; deliveryDates: string[] }>(service.url, `/api/v1/plans/${planId}/routes`, { token: planner });
    expect(routes.status).to.equal(200);
    const served = routes.body.items.flatMap((r) => r.stops.map((s) => s.clues)).sort();
    expect(served).to.deep.equal([...network.hidalgo, ...network.tlaxcala].sort());
    expect(served).to.not.include(network.hospital);
    for (const route of routes.body.items) expect(routes.body.deliveryDates).to.include(route.startDate);

    const geo = await request<{ type: string; features: { geometry: { type: string } }[] }>(service.url, `/api/v1/plans/${planId}/routes?format=geojson`, { token: planner });
    expect(geo.headers.get('content-type')).to.match(/^application\/geo\+json/);
    expect(geo.body.features.filter((f) => f.geometry.type === 'LineString')).to.have.length(routes.body.items.length);

    // A state-scoped warehouse token sees its own state only.
    const scopedRoutes = await request<{ items: RouteBody[] }>(service.url, `/api/v1/plans/${planId}/routes`, { token: hidalgoWarehouse });
    expect(scopedRoutes.body.items.every((r) => r.state.code === '13')).to.equal(true);
    expect((await request(service.url, `/api/v1/plans/${planId}/routes?state=29`, { token: hidalgoWarehouse })).status).to.equal(403);

    const manifests = await request<{ items: { vehicleId: string; trips: { stops: number }[] }[] }>(service.url, `/api/v1/plans/${planId}/manifests`, { token: hidalgoWarehouse });
    expect(manifests.status).to.equal(200);
    const vehicleId = manifests.body.items[0].vehicleId;
    const manifest = await request<{ trips: { stops: { seq: number }[]; loadOrder: { seq: number }[]; pickList: { lotCode: string | null; expiryDate: string | null; quantity: number }[] }[] }>(
      service.url,
      `/api/v1/plans/${planId}/manifests/${encodeURIComponent(vehicleId)}`,
      { token: hidalgoWarehouse },
    );
    expect(manifest.status).to.equal(200);
    const trip = manifest.body.trips[0];
    expect(trip.loadOrder.map((l) => l.seq)).to.deep.equal(trip.stops.map((s) => s.seq).reverse());
    expect(trip.pickList.every((p) => p.lotCode !== null && p.expiryDate !== null)).to.equal(true);
    const csv = await request(service.url, `/api/v1/plans/${planId}/manifests/${encodeURIComponent(vehicleId)}?format=csv`, { token: hidalgoWarehouse });
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).to.match(/^vehicle_id,route,date,seq,eta,load_position,clues/);
    const html = await request(service.url, `/api/v1/plans/${planId}/manifests/${encodeURIComponent(vehicleId)}?format=html`, { token: hidalgoWarehouse });
    expect(html.text).to.include('Orden de carga').and.include('Lista de surtido');

    // The official programme, read back.
    const xlsx = await fetch(`${service.url}/api/v1/plans/${planId}/programme?format=xlsx`, { headers: { authorization: `Bearer ${planner}` } });
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers.get('content-disposition')).to.equal('attachment; filename="NACIONAL_12A_JORNADA_ORDINARIA_RUTAS_CLUES_PIEZAS.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).to.deep.equal(['HIDALGO', 'TLAXCALA', 'SIN PROGRAMAR']);
    const sheet = book.getWorksheet('HIDALGO')!;
    expect(sheet.getCell('D2').value).to.equal(
      'PROGRAMACIÓN DE RUTAS DE LA SALUD PARA ABASTECER PIEZAS DE MEDICAMENTOS Y MATERIAL DE CURACIÓN A UNIDADES DE PRIMER NIVEL DE ATENCIÓN\n14 AL 18 DE DICIEMBRE 2026',
    );
    expect(sheet.getCell('A4').value).to.equal('12a JORNADA ORDINARIA');
    expect(sheet.getCell('B6').value).to.equal('HIDALGO');
    expect(sheet.getCell('E6').value).to.equal('Dra. Ana Pérez');
    expect(sheet.getCell('H6').value).to.equal(network.hidalgo.length);
    expect(sheet.getCell('C7').value).to.equal('CLUES');
    const rows = Array.from({ length: network.hidalgo.length }, (_, k) => sheet.getRow(8 + k));
    expect(rows.map((r) => r.getCell(3).value).sort()).to.deep.equal([...network.hidalgo].sort());
    const stops = new Map(routes.body.items.flatMap((r) => r.stops.map((s) => [s.clues, s] as const)));
    for (const row of rows) {
      const stop = stops.get(row.getCell(3).value as string)!;
      expect((row.getCell(1).value as Date).toISOString().slice(0, 10)).to.equal(stop.date);
      expect(row.getCell(5).value).to.equal(stop.totals.claves);
      expect(row.getCell(6).value).to.equal(stop.totals.medicinePieces);
      expect(row.getCell(7).value).to.equal(stop.totals.supplyPieces);
    }
    const scopedXlsx = await fetch(`${service.url}/api/v1/plans/${planId}/programme`, { headers: { authorization: `Bearer ${tlaxcalaPlanner}` } });
    expect(scopedXlsx.headers.get('content-disposition')).to.equal('attachment; filename="TLAXCALA_12A_JORNADA_ORDINARIA_RUTAS_CLUES_PIEZAS.xlsx"');
    const scopedBook = new ExcelJS.Workbook();
    await scopedBook.xlsx.load(await scopedXlsx.arrayBuffer());
    expect(scopedBook.worksheets.map((s) => s.name)).to.deep.equal(['Reporte']);

    // Approval reserves lots; the round cannot be re-planned any more.
    expect((await request(service.url, `/api/v1/plans/${planId}/approve`, { method: 'POST', token: tlaxcalaPlanner })).status).to.equal(403);
    const approved = await request<PlanBody>(service.url, `/api/v1/plans/${planId}/approve`, { method: 'POST', token: planner });
    expect(approved.status).to.equal(200);
    expect(approved.body.status).to.equal('approved');
    const lots = await service.repositories.lots.list({ warehouseId: 'ALM-13' });
    const reserved = lots.reduce((s, l) => s + l.reserved, 0);
    expect(reserved).to.equal(approved.body.reservation!.pieces).and.be.greaterThan(0);
    const hidalgoPieces = routes.body.items.filter((r) => r.state.code === '13').flatMap((r) => r.stops).reduce((s, st) => s + st.totals.medicinePieces + st.totals.supplyPieces, 0);
    expect(reserved).to.equal(hidalgoPieces);
    expect(lots.filter((l) => l.lotNumber.endsWith('-A')).every((l) => l.reserved === Math.min(500, l.reserved))).to.equal(true);
    expect((await request(service.url, `/api/v1/rounds/${roundId}/plans`, { method: 'POST', token: planner })).status).to.equal(409);
    expect((await request(service.url, `/api/v1/plans/${planId}/approve`, { method: 'POST', token: planner })).status).to.equal(409);

    // Dispatch issues the reserved quantities and puts the round in progress.
    expect((await request(service.url, `/api/v1/plans/${planId}/dispatch`, { method: 'POST', token: hidalgoWarehouse })).status).to.equal(403);
    const dispatched = await request<PlanBody & { dispatchedBy: string }>(service.url, `/api/v1/plans/${planId}/dispatch`, { method: 'POST', token: admin });
    expect(dispatched.status).to.equal(200);
    expect(dispatched.body.status).to.equal('dispatched');
    const after = await service.repositories.lots.list({ warehouseId: 'ALM-13', includeEmpty: true });
    expect(after.reduce((s, l) => s + l.reserved, 0)).to.equal(0);
    expect(after.reduce((s, l) => s + l.quantity, 0)).to.equal(4 * 5500 - hidalgoPieces);
    const round = await request<{ status: string; approvedPlanId: string }>(service.url, `/api/v1/rounds/${roundId}`, { token: planner });
    expect(round.body).to.deep.include({ status: 'in-progress', approvedPlanId: planId });

    // Coverage: every active unit has a date or a reason.
    const coverage = await request<{
      summary: { units: number; planned: number; uncovered: number };
      units: { clues: string; status: string; date: string | null; reason: string | null }[];
    }>(service.url, '/api/v1/coverage?month=2026-12', { token: planner });
    expect(coverage.status).to.equal(200);
    expect(coverage.body.summary.units).to.equal(network.due.length + 1);
    expect(coverage.body.summary.planned).to.equal(network.hidalgo.length + network.tlaxcala.length);
    const byClues = new Map(coverage.body.units.map((u) => [u.clues, u]));
    expect(byClues.get(network.hidalgo[0])!.date).to.equal(stops.get(network.hidalgo[0])!.date);
    expect(byClues.get(network.oaxaca[0])).to.deep.include({ status: 'uncovered', reason: 'no_warehouse' });
    expect(byClues.get(network.hospital)).to.deep.include({ status: 'uncovered', reason: 'no_round' });
    const quiet = await request<{ summary: { planned: number; uncovered: number } }>(service.url, '/api/v1/coverage?month=2027-01', { token: planner });
    expect(quiet.body.summary.planned).to.equal(0);

    const close = await request<{ status: string }>(service.url, `/api/v1/rounds/${roundId}/close`, { method: 'POST', token: planner });
    expect(close.body.status).to.equal('closed');
  });

  it('replaces a draft when the round is planned again, and cancels rounds', async () => {
    const created = await request<{ id: string }>(service.url, '/api/v1/rounds', {
      method: 'POST',
      token: tlaxcalaPlanner,
      json: { name: 'EXTRAORDINARIA TLAXCALA', type: 'extraordinary', level: 'first', deliveryStart: '2027-01-11', deliveryEnd: '2027-01-12', states: ['29'], units: network.tlaxcala.slice(0, 3) },
    });
    expect(created.status).to.equal(201);
    const first = await request<{ id: string }>(service.url, `/api/v1/rounds/${created.body.id}/plans`, { method: 'POST', token: tlaxcalaPlanner });
    expect((await waitForPlan(service.url, tlaxcalaPlanner, first.body.id)).status).to.equal('draft');
    const second = await request<{ id: string }>(service.url, `/api/v1/rounds/${created.body.id}/plans`, { method: 'POST', token: tlaxcalaPlanner });
    const replacement = await waitForPlan(service.url, tlaxcalaPlanner, second.body.id);
    expect(replacement.status).to.equal('draft');
    expect(replacement.kpis!.plan.unitsServed).to.equal(3);
    expect((await request<PlanBody>(service.url, `/api/v1/plans/${first.body.id}`, { token: tlaxcalaPlanner })).body.status).to.equal('superseded');
    const plans = await request<{ items: { id: string; status: string }[] }>(service.url, `/api/v1/rounds/${created.body.id}/plans`, { token: planner });
    expect(plans.body.items.map((p) => p.status).sort()).to.deep.equal(['draft', 'superseded']);
    const cancelled = await request<{ status: string; cancelReason: string }>(service.url, `/api/v1/rounds/${created.body.id}/cancel`, { method: 'POST', token: tlaxcalaPlanner, json: { reason: 'lluvias' } });
    expect(cancelled.body).to.deep.include({ status: 'cancelled', cancelReason: 'lluvias' });
    expect((await request<PlanBody>(service.url, `/api/v1/plans/${second.body.id}`, { token: planner })).body.status).to.equal('cancelled');
    expect((await request(service.url, `/api/v1/plans/${second.body.id}/routes`, { token: planner })).status).to.equal(409);
    expect((await request(service.url, `/api/v1/rounds/${created.body.id}/plans`, { method: 'POST', token: planner })).status).to.equal(409);
  });

  it('proposes the default calendar and 404s unknown plans', async () => {
    const calendar = await request<{ items: { month: string; deliveryStart: string; deliveryEnd: string }[] }>(service.url, '/api/v1/rounds/calendar?months=2025-09,2026-12', { token: planner });
    expect(calendar.body.items.map((i) => [i.deliveryStart, i.deliveryEnd])).to.deep.equal([
      ['2025-09-22', '2025-09-26'],
      ['2026-12-21', '2026-12-25'],
    ]);
    expect((await request(service.url, '/api/v1/plans/pln-nope', { token: planner })).status).to.equal(404);
    expect((await request(service.url, '/api/v1/plans/pln-nope')).status).to.equal(401);
  });
});

import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { checkSolution, ProblemData } from '../../../solver/index.ts';
import type { RouteResult } from '../../../solver/index.ts';
import { packRoutes, tripSpan } from '../../../src/services/planning/assemble.ts';
import { clarkeWright, nearestNeighbour } from '../../../src/services/planning/baseline.ts';
import { HaversineDistanceProvider } from '../../../src/services/planning/distance.ts';
import { generatePlan, silentlyDropped, type PlanningInput } from '../../../src/services/planning/engine.ts';
import { routesGeoJson } from '../../../src/services/planning/geojson.ts';
import { LocalJobRunner } from '../../../src/services/planning/jobs.ts';
import { buildManifest, manifestCsv, manifestHtml } from '../../../src/services/planning/manifest.ts';
import { buildWarehouseProblem } from '../../../src/services/planning/problem.ts';
import { buildProgrammeWorkbook, programmeFileName, programmeStates, PROGRAMME_HEADERS } from '../../../src/services/planning/programme.ts';
import type { PlanResult } from '../../../src/services/planning/types.ts';
import { catalogue, HIDALGO, OAXACA, TLAXCALA, unitsAround, vehicle, vehicleTypes, warehouses } from './fixtures.ts';

const distance = new HaversineDistanceProvider(1.3, 50);

function input(overrides: Partial<PlanningInput> = {}): PlanningInput {
  const hidalgo = unitsAround(HIDALGO, { lng: -98.76, lat: 20.1 }, 24, 'HGSSA');
  const tlaxcala = unitsAround(TLAXCALA, { lng: -98.24, lat: 19.32 }, 10, 'TLSSA', 0.25);
  return {
    deliveryStart: '2026-12-14',
    deliveryEnd: '2026-12-18',
    units: [...hidalgo, ...tlaxcala],
    warehouses,
    vehicleTypes,
    catalogue,
    lots: [],
    ...overrides,
  };
}

async function plan(data: PlanningInput, baseline = false): Promise<PlanResult> {
  return generatePlan(data, {
    distance,
    runner: new LocalJobRunner(0),
    concurrency: 2,
    routingBudgetMs: 400,
    minJobMs: 200,
    maxIterations: 1500,
    seed: 7,
    minShelfLifeDays: 60,
    baseline,
  });
}

describe('plan generation engine', () => {
  let result: PlanResult;
  const data = input();
  before(async () => {
    result = await plan(data, true);
  });

  it('puts every due unit on a route or lists it with a reason', () => {
    expect(silentlyDropped(data, result)).to.deep.equal([]);
    const served = result.routes.flatMap((r) => r.stops.map((s) => s.clues));
    expect(new Set(served).size).to.equal(served.length);
    expect(served.length + result.unassigned.length).to.equal(data.units.length);
    expect(result.unassigned).to.deep.equal([]);
  });

  it('never uses a vehicle twice on the same day and stays inside the delivery days and capacities', () => {
    const used = new Set<string>();
    for (const route of result.routes) {
      for (let d = route.dayIndex; d < route.dayIndex + route.tripDays; d++) {
        const key = `${route.vehicleId}@${d}`;
        expect(used.has(key), key).to.equal(false);
        used.add(key);
      }
      expect(result.deliveryDates).to.include(route.startDate);
      expect(route.load.weightKg).to.be.at.most(route.capacity.weightKg);
      expect(route.load.coldBoxes).to.be.at.most(route.capacity.coldBoxes);
      for (const stop of route.stops) {
        expect(stop.startMin % 1440).to.be.within(480, 960);
        if (stop.totals.coldBoxes > 0) expect(route.capacity.coldBoxes).to.be.greaterThan(0);
      }
    }
    expect(result.deliveryDates).to.deep.equal(['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18']);
  });

  it('numbers routes per state and reports KPIs that add up', () => {
    const k = result.kpis.plan;
    expect(k.unitsDue).to.equal(34);
    expect(k.unitsServed).to.equal(34);
    expect(k.routes).to.equal(result.routes.length);
    expect(k.routesPerDay.reduce((a, b) => a + b, 0)).to.equal(k.routes);
    expect(k.distanceKm).to.be.closeTo(result.routes.reduce((s, r) => s + r.distanceKm, 0), 0.2);
    const byState = Object.fromEntries(result.kpis.byState.map((s) => [s.state.code, s]));
    expect(byState['13'].unitsServed).to.equal(24);
    expect(byState['29'].unitsServed).to.equal(10);
    const tlaxcalaNumbers = result.routes.filter((r) => r.state.code === '29').map((r) => r.number);
    expect(tlaxcalaNumbers).to.deep.equal(tlaxcalaNumbers.map((_, i) => i + 1));
    expect(k.medicinePieces).to.equal(result.kits.reduce((s, kit) => s + kit.totals.medicinePieces, 0)).and.be.greaterThan(34 * 150);
    expect(k.utilisation.weightKg).to.be.greaterThan(0).and.at.most(1);
  });

  it('does at least as well as the Clarke–Wright and nearest-neighbour baselines', () => {
    for (const outcome of result.warehouses) {
      const cw = outcome.baseline!.clarkeWright;
      const nn = outcome.baseline!.nearestNeighbour;
      expect(cw.unassigned).to.equal(0);
      expect(nn.unassigned).to.equal(0);
      expect(outcome.cost).to.be.at.most(Math.min(cw.cost, nn.cost) * 1.02);
    }
  });

  it('lists units it cannot serve with their reason', async () => {
    const units = input().units.slice(0, 6);
    const [first, second, third, fourth] = units;
    delete first.lng;
    delete first.lat;
    second.state = OAXACA;
    third.sizeClass = 'huge';
    fourth.access = { ...fourth.access, boat: true };
    const out = await plan(input({ units }));
    const reasons = Object.fromEntries(out.unassigned.map((u) => [u.clues, u.reason]));
    expect(reasons).to.deep.equal({ [first.clues]: 'no_location', [second.clues]: 'no_warehouse', [third.clues]: 'capacity', [fourth.clues]: 'skill' });
    expect(silentlyDropped({ units }, out)).to.deep.equal([]);
    expect(out.unassigned.every((u) => u.detail.length > 10)).to.equal(true);
  });

  it('lists the units a too-small fleet cannot carry', async () => {
    const far = unitsAround(TLAXCALA, { lng: -98.24, lat: 19.32 }, 30, 'TLSSA', 0.3);
    const out = await plan(input({ units: far, deliveryStart: '2026-12-14', deliveryEnd: '2026-12-14', vehicleTypes: [vehicle('ALM-29', 'van', { capacityKg: 40 })] }));
    expect(out.routes).to.have.length(1);
    expect(out.unassigned.length).to.be.greaterThan(0);
    expect(out.routes[0].stops.length + out.unassigned.length).to.equal(30);
    expect(out.unassigned.every((u) => ['capacity', 'fleet_days'].includes(u.reason))).to.equal(true);
    // Kits with insulin need a cold box; this van carries none.
    const cold = far.filter((u) => u.sizeClass === 'cold').map((u) => u.clues);
    expect(out.unassigned.filter((u) => cold.includes(u.clues)).map((u) => u.reason)).to.deep.equal(cold.map(() => 'capacity'));
    expect(silentlyDropped({ units: far }, out)).to.deep.equal([]);
  });

  it('reaches a remote unit on a multi-day trip that holds its vehicle for every day of the trip', async () => {
    const near = unitsAround(HIDALGO, { lng: -98.76, lat: 20.1 }, 6, 'HGSSA', 0.2).map((u) => ({ ...u, sizeClass: 'small' }));
    const remote = { ...near[0], clues: 'HGSSA999999', name: 'CASA DE SALUD LEJANA', lng: -98.76, lat: 22.6, access: { remote: true, fourByFour: false, multiDay: true, boat: false } };
    const units = [...near, remote];
    const out = await plan(
      input({
        units,
        deliveryStart: '2026-12-14',
        deliveryEnd: '2026-12-16',
        vehicleTypes: [vehicle('ALM-13', 'van', { count: 2, maxDrivingMinPerDay: 540, maxDays: 3, overnightRestMin: 660 })],
      }),
    );
    expect(out.unassigned).to.deep.equal([]);
    const trip = out.routes.find((r) => r.stops.some((s) => s.clues === remote.clues))!;
    expect(trip.tripDays).to.be.greaterThan(1);
    const stop = trip.stops.find((s) => s.clues === remote.clues)!;
    expect(stop.startMin % 1440).to.be.within(480, 960);
    expect(out.deliveryDates).to.include(stop.date);
    const busy = new Set<string>();
    for (const route of out.routes) {
      for (let d = route.dayIndex; d < route.dayIndex + route.tripDays; d++) {
        expect(busy.has(`${route.vehicleId}@${d}`)).to.equal(false);
        busy.add(`${route.vehicleId}@${d}`);
      }
    }
  });

  it('picks lots FEFO, skips short-dated lots and rations a short item', async () => {
    const units = input().units.filter((u) => u.state.code === '29');
    const lots = [
      { warehouseId: 'ALM-29', lotCode: 'A-OLD', code: 'A', expiryDate: '2027-01-10', available: 5000 },
      { warehouseId: 'ALM-29', lotCode: 'A-2', code: 'A', expiryDate: '2027-06-30', available: 600 },
      { warehouseId: 'ALM-29', lotCode: 'A-1', code: 'A', expiryDate: '2027-05-31', available: 500 },
      { warehouseId: 'ALM-29', lotCode: 'B-1', code: 'B', expiryDate: '2028-01-01', available: 10000 },
      { warehouseId: 'ALM-29', lotCode: 'C-1', code: 'C', expiryDate: '2028-01-01', available: 10000 },
      { warehouseId: 'ALM-29', lotCode: 'D-1', code: 'D', expiryDate: '2028-01-01', available: 10000 },
    ];
    const out = await plan(input({ units, lots }));
    const pickedA = out.kits.flatMap((k) => k.lines.filter((l) => l.code === 'A').flatMap((l) => l.lots));
    expect(pickedA.some((l) => l.lotCode === 'A-OLD')).to.equal(false);
    expect(pickedA.filter((l) => l.lotCode === 'A-1').reduce((s, l) => s + l.quantity, 0)).to.equal(500);
    expect(pickedA.reduce((s, l) => s + l.quantity, 0)).to.equal(1100);
    expect(out.unassigned).to.deep.equal([]);
    expect(out.rationing.map((r) => r.code)).to.deep.equal(['A']);
    expect(out.kpis.plan.itemsRationed).to.equal(1);
  });

  it('builds manifests with the load order reversed and a pick list that adds up', () => {
    const route = result.routes.find((r) => r.stops.length >= 3)!;
    const kits = new Map(result.kits.map((k) => [k.clues, k]));
    const manifest = buildManifest([route], kits);
    const trip = manifest.trips[0];
    expect(trip.loadOrder.map((l) => l.seq)).to.deep.equal(route.stops.map((s) => s.seq).reverse());
    expect(trip.loadOrder[0].position).to.equal(1);
    const picked = trip.pickList.reduce((s, p) => s + p.quantity, 0);
    const expected = route.stops.reduce((s, stop) => s + stop.totals.medicinePieces + stop.totals.supplyPieces, 0);
    expect(picked).to.equal(expected);
    expect(trip.totals.weightKg).to.be.closeTo(route.load.weightKg, 0.01);
    const csv = manifestCsv(manifest, kits);
    expect(csv.split('\r\n')[0]).to.equal('vehicle_id,route,date,seq,eta,load_position,clues,unit,code,item,lot,expiry,quantity,cold_chain');
    expect(csv).to.include(route.stops[0].clues);
    const html = manifestHtml(manifest, 'Jornada <12>');
    expect(html).to.include('Jornada &lt;12&gt;').and.include('Orden de carga');
  });

  it('writes the official programme workbook that reads back cell by cell', async () => {
    const states = programmeStates(result.routes, new Map([['13', 'Dra. Ana Pérez']]));
    const workbook = buildProgrammeWorkbook({
      round: { name: '12a JORNADA ORDINARIA', level: 'first', deliveryStart: '2026-12-14', deliveryEnd: '2026-12-18' },
      states,
    });
    const buffer = await workbook.xlsx.writeBuffer();
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(buffer);
    expect(back.worksheets.map((s) => s.name)).to.deep.equal(['HIDALGO', 'TLAXCALA']);
    const sheet = back.getWorksheet('HIDALGO')!;
    expect(sheet.getCell('D2').value).to.equal(
      'PROGRAMACIÓN DE RUTAS DE LA SALUD PARA ABASTECER PIEZAS DE MEDICAMENTOS Y MATERIAL DE CURACIÓN A UNIDADES DE PRIMER NIVEL DE ATENCIÓN\n14 AL 18 DE DICIEMBRE 2026',
    );
    expect(sheet.getCell('J4').isMerged).to.equal(true);
    expect(sheet.getCell('A4').value).to.equal('12a JORNADA ORDINARIA');
    expect(sheet.getCell('A6').value).to.equal('ENTIDAD:');
    expect(sheet.getCell('B6').value).to.equal('HIDALGO');
    expect(sheet.getCell('E6').value).to.equal('Dra. Ana Pérez');
    expect(sheet.getCell('H6').value).to.equal(24);
    expect((sheet.getRow(7).values as unknown[]).slice(1)).to.deep.equal([...PROGRAMME_HEADERS]);
    const rows = [];
    for (let r = 8; r < 8 + 24; r++) rows.push(sheet.getRow(r));
    expect(sheet.getRow(8 + 24).getCell(3).value).to.equal(null);
    const first = rows[0];
    expect(first.getCell(1).value).to.be.instanceOf(Date);
    expect(first.getCell(1).numFmt).to.equal('dd/mm/yyyy');
    const stop = result.routes.flatMap((r) => r.stops).find((s) => s.clues === first.getCell(3).value)!;
    expect(first.getCell(4).value).to.equal(stop.name);
    expect(first.getCell(5).value).to.equal(stop.totals.claves);
    expect(first.getCell(6).value).to.equal(stop.totals.medicinePieces);
    expect(first.getCell(7).value).to.equal(stop.totals.supplyPieces);
    expect(first.getCell(8).value).to.equal('CENTRO DE SALUD');
    expect(first.getCell(10).value).to.equal(stop.phone);
    expect(programmeFileName('Hidalgo', '12a Jornada Ordinaria')).to.equal('HIDALGO_12A_JORNADA_ORDINARIA_RUTAS_CLUES_PIEZAS.xlsx');
  });

  it('draws routes as GeoJSON line strings that start and end at the warehouse', () => {
    const depots = new Map(warehouses.map((w) => [w.id, { lng: w.lng, lat: w.lat }]));
    const geo = routesGeoJson(result.routes, depots);
    const lines = geo.features.filter((f) => f.geometry.type === 'LineString');
    expect(lines).to.have.length(result.routes.length);
    const coords = lines[0].geometry.coordinates as [number, number][];
    expect(coords[0]).to.deep.equal(coords[coords.length - 1]);
    expect(geo.features.filter((f) => f.geometry.type === 'Point')).to.have.length(34);
  });
});

describe('vehicle-day packing', () => {
  const route = (id: number, days: number, durationMin: number): RouteResult => ({
    vehicleType: 0,
    vehicleTypeId: 'van',
    vehicle: id,
    clients: [id],
    clientIds: [`U${id}`],
    stops: [],
    startMin: 420,
    endMin: (days - 1) * 1440 + 900,
    distance: 10,
    durationMin,
    drivingMin: 60,
    load: [1, 0, 0],
    cost: 1,
    overnightRests: days - 1,
    days: Array.from({ length: days }, (_, day) => ({ day, clients: [id] })),
  });

  it('spreads routes over the days, holds a vehicle for a whole multi-day trip and overflows the rest', () => {
    const routes = [route(1, 3, 2000), route(2, 1, 300), route(3, 1, 300), route(4, 1, 300), route(5, 2, 900), route(6, 1, 300)];
    const { packed, overflow } = packRoutes(routes, () => 2, 3);
    const cells = new Set<string>();
    for (const p of packed) {
      for (let d = p.dayIndex; d < p.dayIndex + p.span; d++) {
        expect(cells.has(`${p.vehicle}@${d}`)).to.equal(false);
        cells.add(`${p.vehicle}@${d}`);
      }
      expect(p.dayIndex + p.span).to.be.at.most(3);
    }
    expect(packed.find((p) => p.route.vehicle === 1)!.span).to.equal(3);
    expect(packed.length + overflow.length).to.equal(6);
    expect(cells.size).to.equal(6);
    expect(overflow.map((r) => r.vehicle)).to.deep.equal([3, 4, 6]);
    expect(tripSpan(route(9, 2, 100))).to.equal(2);
  });
});

describe('baselines', () => {
  it('build routes the solver checker accepts and serve every client', async () => {
    const units = unitsAround(HIDALGO, { lng: -98.76, lat: 20.1 }, 40, 'HGSSA', 0.6);
    const w = warehouses[0];
    const matrix = await distance.matrix([w, ...units.map((u) => ({ lng: u.lng!, lat: u.lat! }))]);
    const { problem } = buildWarehouseProblem({
      warehouse: w,
      units: units.map((unit) => ({ unit, totals: { claves: 3, medicinePieces: 100, supplyPieces: 0, weightKg: 120, volumeM3: 0.5, coldBoxes: 0 } })),
      vehicleTypes: [vehicle('ALM-13', 'van', { count: 3 })],
      matrix,
      days: 5,
    });
    for (const result of [clarkeWright(problem), nearestNeighbour(problem)]) {
      expect(result.unassigned, result.method).to.deep.equal([]);
      expect(result.feasible, result.method).to.equal(true);
      const report = checkSolution(new ProblemData(problem), { routes: result.routes, unassigned: [] });
      expect(report.violations).to.deep.equal([]);
      expect(result.routes.every((r) => r.clients.reduce((s) => s + 120, 0) <= 1500)).to.equal(true);
    }
  });
});

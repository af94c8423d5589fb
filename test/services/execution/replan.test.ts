import { expect } from 'chai';
import { ValidationError } from '../../../src/errors.ts';
import { HaversineDistanceProvider } from '../../../src/services/planning/distance.ts';
import { replanPlan } from '../../../src/services/execution/replan.ts';
import type { ExecPlan, ExecRoute, ExecStop } from '../../../src/services/execution/types.ts';

const OAX = { code: '20', name: 'Oaxaca' };
const depot = { lng: -96.72, lat: 17.06 };
const capacity = { weightKg: 1000, volumeM3: 10, coldBoxes: 0 };

function stop(clues: string, seq: number, date: string, dLng: number, dLat: number): ExecStop {
  return { clues, name: `CS ${clues}`, state: OAX, seq, date, lng: depot.lng + dLng, lat: depot.lat + dLat, medicinePieces: 100, supplyPieces: 20, weightKg: 50, volumeM3: 0.2, coldBoxes: 0, serviceTimeMin: 20, timeWindows: [{ startMin: 480, endMin: 960 }] };
}

function route(key: string, vehicleId: string, date: string, stops: ExecStop[]): ExecRoute {
  return { routeKey: key, number: Number(key.split('-')[1]), warehouseId: 'W20', state: OAX, vehicleId, vehicleTypeId: 'van', startDate: date, tripDays: 1, depot, capacity, shiftStartMin: 420, shiftEndMin: 1140, stops };
}

function samplePlan(): ExecPlan {
  return {
    id: 'P1',
    roundId: 'R1',
    status: 'dispatched',
    deliveryDates: ['2026-11-23', '2026-11-24'],
    routes: [
      route('W20-1', 'W20.van.1', '2026-11-23', [stop('A1', 1, '2026-11-23', 0.1, 0), stop('A2', 2, '2026-11-23', 0.2, 0)]),
      route('W20-2', 'W20.van.1', '2026-11-24', [stop('B1', 1, '2026-11-24', -0.1, 0.05), stop('B2', 2, '2026-11-24', -0.2, 0.05), stop('B3', 3, '2026-11-24', -0.3, 0.05)]),
      route('W20-3', 'W20.van.2', '2026-11-23', [stop('C1', 1, '2026-11-23', 0, 0.1), stop('C2', 2, '2026-11-23', 0, 0.2)]),
      route('W20-4', 'W20.van.3', '2026-11-24', [stop('D1', 1, '2026-11-24', 0, -0.1)]),
    ],
    unassigned: [],
  };
}

const deps = { distance: new HaversineDistanceProvider(1.3, 50), timeLimitMs: 500, seed: 1 };

describe('replanning a plan on the road', () => {
  it('keeps unaffected routes identical, keeps delivered stops and reassigns the rest to free vehicle-days', async () => {
    const plan = samplePlan();
    const original = structuredClone(plan);
    const result = await replanPlan(plan, new Set(['B1']), { vehiclesOut: ['W20.van.1'], from: '2026-11-24' }, deps);

    // Routes before `from` and routes of other vehicles: untouched, deep-equal.
    for (const key of ['W20-1', 'W20-3', 'W20-4']) {
      expect(result.routes.find((r) => r.routeKey === key), key).to.deep.equal(original.routes.find((r) => r.routeKey === key));
    }
    expect(result.changes.keptRoutes).to.deep.equal(['W20-1', 'W20-3', 'W20-4']);
    // The broken vehicle's route keeps only the delivered stop.
    expect(result.routes.find((r) => r.routeKey === 'W20-2')!.stops.map((s) => s.clues)).to.deep.equal(['B1']);
    expect(result.changes.changedRoutes).to.deep.equal([{ routeKey: 'W20-2', vehicleId: 'W20.van.1', removedStops: ['B2', 'B3'], why: 'vehicle-out' }]);
    // B2 and B3 went to the only free vehicle-day from the 24th on: van 2 on the 24th.
    expect(result.changes.newRoutes).to.have.length(1);
    expect(result.changes.newRoutes[0]).to.include({ vehicleId: 'W20.van.2', date: '2026-11-24', routeKey: 'W20-R5' });
    expect([...result.changes.newRoutes[0].stops].sort()).to.deep.equal(['B2', 'B3']);
    expect(result.changes.moved.map((m) => m.clues).sort()).to.deep.equal(['B2', 'B3']);
    expect(result.changes.unassigned).to.deep.equal([]);
    // Every stop of the original plan is still somewhere exactly once.
    const all = result.routes.flatMap((r) => r.stops.map((s) => s.clues)).sort();
    expect(all).to.deep.equal(['A1', 'A2', 'B1', 'B2', 'B3', 'C1', 'C2', 'D1']);
    expect(plan).to.deep.equal(original);
  });

  it('reports stops it cannot place, with a reason, when no vehicle-day is free', async () => {
    const result = await replanPlan(samplePlan(), new Set(), { vehiclesOut: ['W20.van.1', 'W20.van.2', 'W20.van.3'], from: '2026-11-24' }, deps);
    expect(result.changes.unassigned.map((u) => u.clues).sort()).to.deep.equal(['B1', 'B2', 'B3', 'D1']);
    expect(new Set(result.changes.unassigned.map((u) => u.reason))).to.deep.equal(new Set(['fleet_days']));
    expect(result.unassigned.map((u) => u.clues).sort()).to.deep.equal(['B1', 'B2', 'B3', 'D1']);
  });

  it('removes a closed unit from its route without touching the order of the others', async () => {
    const result = await replanPlan(samplePlan(), new Set(), { unitsClosed: ['B2'], from: '2026-11-23' }, deps);
    expect(result.routes.find((r) => r.routeKey === 'W20-2')!.stops.map((s) => [s.clues, s.seq])).to.deep.equal([['B1', 1], ['B3', 2]]);
    expect(result.changes.closedUnits).to.deep.equal(['B2']);
    expect(result.unassigned).to.deep.equal([{ clues: 'B2', name: 'CS B2', state: OAX, reason: 'unit_closed' }]);
  });

  it('rejects unknown vehicles and units, and closing a unit already delivered', async () => {
    for (const request of [{ vehiclesOut: ['nope'] }, { unitsClosed: ['ZZ'] }, { unitsClosed: ['A1'] }, {}]) {
      let error: unknown;
      try {
        await replanPlan(samplePlan(), new Set(['A1']), { ...request, from: '2026-11-23' }, deps);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(request)).to.be.instanceOf(ValidationError);
    }
  });
});

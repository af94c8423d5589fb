import { expect } from 'chai';
import { checkSolution, ProblemData, solveSync, type ProblemInput, type VehicleTypeInput } from '../../solver/index.ts';

const opts = { maxIterations: 60, seed: 2 };

function base(clients: ProblemInput['clients'], vehicleTypes: VehicleTypeInput[]): ProblemInput {
  return { name: 't', depots: [{ id: 'D', x: 0, y: 0 }], clients, vehicleTypes };
}

describe('solver: operation features', function () {
  describe('unassigned clients carry a reason and are never dropped silently', function () {
    it('gives skill, capacity, time_window, shift_length and optional reasons', function () {
      const problem = base(
        [
          { id: 'ok', x: 10, y: 0, demand: [1] },
          { id: 'needs-cold', x: 0, y: 10, demand: [1], skills: ['cold'] },
          { id: 'too-heavy', x: 5, y: 5, demand: [50] },
          { id: 'window-closed', x: 20, y: 0, demand: [1], timeWindows: [{ startMin: 0, endMin: 5 }] },
          { id: 'too-far', x: 300, y: 0, demand: [1] },
          { id: 'not-worth-it', x: 0, y: 90, demand: [1], required: false, penalty: 1 },
        ],
        [{ id: 'van', count: 3, capacity: [10], shiftEndMin: 400 }],
      );
      const result = solveSync(problem, opts);
      const reasons = Object.fromEntries(result.unassigned.map((u) => [u.clientId, u.reason]));
      expect(reasons).to.deep.equal({ 'needs-cold': 'skill', 'too-heavy': 'capacity', 'window-closed': 'time_window', 'too-far': 'shift_length', 'not-worth-it': 'optional' });
      expect(result.routes.flatMap((r) => r.clientIds)).to.deep.equal(['ok']);
      expect(result.violations).to.deep.equal([]);
      expect(result.feasible).to.equal(false); // required clients are missing
      expect(result.cost).to.equal(20 + 1); // the route plus the skipped optional client's penalty
    });

    it('gives unreachable when no road leads to a client', function () {
      const n = 3;
      const m = [0, 10, Infinity, 10, 0, Infinity, Infinity, Infinity, 0];
      const problem: ProblemInput = { depots: [{ id: 'D' }], clients: [{ id: 'a', demand: [1] }, { id: 'island', demand: [1] }], vehicleTypes: [{ id: 'v', count: 1, capacity: [5] }], distance: m, duration: m };
      expect(m.length).to.equal(n * n);
      const result = solveSync(problem, opts);
      expect(result.unassigned).to.deep.equal([{ client: 1, clientId: 'island', reason: 'unreachable' }]);
      expect(result.routes.map((r) => r.clientIds)).to.deep.equal([['a']]);
    });

    it('reports the client that does not fit when the fleet is too small', function () {
      const problem = base(
        [
          { id: 'a', x: 10, y: 0, demand: [8] },
          { id: 'b', x: 0, y: 10, demand: [8] },
        ],
        [{ id: 'van', count: 1, capacity: [10] }],
      );
      const result = solveSync(problem, opts);
      expect(result.routes).to.have.length(1);
      expect(result.routes[0].clients).to.have.length(1);
      expect(result.unassigned).to.have.length(1);
      expect(result.unassigned[0].reason).to.equal('capacity');
      expect(result.violations).to.deep.equal([]);
    });
  });

  it('puts clients needing the cold chain only on vehicles with cold boxes', function () {
    const clients = Array.from({ length: 12 }, (_, i) => ({
      id: `c${i}`,
      x: Math.round(30 * Math.cos(i)),
      y: Math.round(30 * Math.sin(i)),
      demand: [2, i % 3 === 0 ? 1 : 0],
      skills: i % 3 === 0 ? ['cold'] : [],
    }));
    const problem: ProblemInput = {
      dimensions: ['weightKg', 'coldBoxes'],
      depots: [{ id: 'D', x: 0, y: 0 }],
      clients,
      vehicleTypes: [
        { id: 'dry', count: 3, capacity: [10, 0], fixedCost: 10 },
        { id: 'cold', count: 2, capacity: [10, 4], fixedCost: 30, skills: ['cold'] },
      ],
    };
    const result = solveSync(problem, opts);
    expect(result.feasible).to.equal(true);
    for (const route of result.routes) {
      for (const c of route.clients) if (c % 3 === 0) expect(route.vehicleTypeId).to.equal('cold');
    }
    expect(result.routes.filter((r) => r.vehicleTypeId === 'cold').length).to.be.at.most(2);
    expect(result.routes.filter((r) => r.vehicleTypeId === 'dry').length).to.be.at.most(3);
  });

  it('serves each cluster from its own depot (multi-depot)', function () {
    const problem: ProblemInput = {
      depots: [
        { id: 'north', x: 0, y: 1000 },
        { id: 'south', x: 0, y: 0 },
      ],
      clients: [
        { id: 'n1', x: 10, y: 1005, demand: [1] },
        { id: 'n2', x: -10, y: 995, demand: [1] },
        { id: 's1', x: 10, y: 5, demand: [1] },
        { id: 's2', x: -10, y: -5, demand: [1] },
      ],
      vehicleTypes: [
        { id: 'from-north', count: 2, capacity: [10], startDepot: 0 },
        { id: 'from-south', count: 2, capacity: [10], startDepot: 1 },
      ],
    };
    const result = solveSync(problem, opts);
    expect(result.feasible).to.equal(true);
    const byType = Object.fromEntries(result.routes.map((r) => [r.vehicleTypeId, [...r.clientIds].sort()]));
    expect(byType).to.deep.equal({ 'from-north': ['n1', 'n2'], 'from-south': ['s1', 's2'] });
  });

  it('respects vehicle counts of a heterogeneous fleet', function () {
    const problem = base(
      Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, x: 10 + i, y: 20 - i, demand: [5] })),
      [
        { id: 'small', count: 2, capacity: [10], fixedCost: 5 },
        { id: 'big', count: 1, capacity: [20], fixedCost: 8 },
      ],
    );
    const result = solveSync(problem, opts);
    expect(result.feasible).to.equal(true);
    expect(result.routes.filter((r) => r.vehicleTypeId === 'small').length).to.be.at.most(2);
    expect(result.routes.filter((r) => r.vehicleTypeId === 'big').length).to.be.at.most(1);
    for (const r of result.routes) expect(r.load[0]).to.be.at.most(r.vehicleTypeId === 'big' ? 20 : 10);
  });

  it('waits for the second time window of a client', function () {
    const problem: ProblemInput = {
      depots: [{ id: 'D', x: 0, y: 0 }],
      clients: [{ id: 'a', x: 20, y: 0, demand: [1], timeWindows: [{ startMin: 0, endMin: 10 }, { startMin: 100, endMin: 120 }] }],
      vehicleTypes: [{ id: 'v', count: 1, capacity: [5] }],
    };
    const result = solveSync(problem, opts);
    expect(result.feasible).to.equal(true);
    const stop = result.routes[0].stops[0];
    expect(stop.arrivalMin).to.be.greaterThan(10); // the first window is missed whatever the departure
    expect(stop.startMin).to.equal(100);
  });

  it('plans a multi-day trip with overnight rests when a day of driving is not enough', function () {
    // minutes: depot→A 400, A→B 300, B→depot 450; at most 480 min of driving per day
    const m = [0, 400, 450, 400, 0, 300, 450, 300, 0];
    const truck: VehicleTypeInput = { id: 'truck', count: 1, capacity: [10], maxDrivingMinPerDay: 480, maxDays: 3, overnightRestMin: 720 };
    const problem: ProblemInput = {
      depots: [{ id: 'D' }],
      clients: [
        { id: 'A', demand: [1], serviceMin: 30 },
        { id: 'B', demand: [1], serviceMin: 30 },
      ],
      vehicleTypes: [truck],
      distance: m,
      duration: m,
    };
    const result = solveSync(problem, opts);
    expect(result.feasible).to.equal(true);
    expect(result.routes).to.have.length(1);
    const route = result.routes[0];
    expect(route.overnightRests).to.equal(2);
    expect(route.durationMin).to.equal(400 + 300 + 450 + 2 * 30 + 2 * 720);
    expect(route.days.map((d) => d.clients.length)).to.deep.equal([1, 1]);
    expect(route.days.every((d) => d.overnightAfterClient !== undefined)).to.equal(true);
    // with a single day allowed the same trip is impossible
    const oneDay = solveSync({ ...problem, vehicleTypes: [{ ...truck, maxDays: 1 }] }, opts);
    expect(oneDay.unassigned.map((u) => u.reason)).to.deep.equal(['shift_length', 'shift_length']);
  });

  it('serves an optional client when its penalty outweighs the detour (prize collecting)', function () {
    const clients = [
      { id: 'a', x: 10, y: 0, demand: [1] },
      { id: 'worth', x: 12, y: 2, demand: [1], required: false, penalty: 100 },
      { id: 'cheap', x: 0, y: 80, demand: [1], required: false, penalty: 5 },
    ];
    const result = solveSync(base(clients, [{ id: 'v', count: 2, capacity: [10] }]), opts);
    expect(result.routes.flatMap((r) => r.clientIds).sort()).to.deep.equal(['a', 'worth']);
    expect(result.unassigned).to.deep.equal([{ client: 2, clientId: 'cheap', reason: 'optional' }]);
    const report = checkSolution(new ProblemData(base(clients, [{ id: 'v', count: 2, capacity: [10] }])), {
      routes: result.routes.map((r) => ({ vehicleType: r.vehicleType, clients: r.clients, startMin: r.startMin })),
      unassigned: result.unassigned.map((u) => u.client),
    });
    expect(report.cost).to.be.closeTo(result.cost, 1e-9);
  });
});

import { expect } from 'chai';
import { checkSolution, ProblemData, type ProblemInput } from '../../solver/index.ts';

/**
 * Hand-made line instance: depot at 0, clients at x = 10, 20, 30 (distance = minutes).
 * Two vehicle types: 'van' (capacity [10 kg, 2 m³], no skills), 'cold' (capacity [20, 5], skill cold).
 */
function lineProblem(): ProblemInput {
  return {
    name: 'line',
    dimensions: ['weightKg', 'volumeM3'],
    depots: [{ id: 'D', x: 0, y: 0, timeWindow: { startMin: 0, endMin: 200 } }],
    clients: [
      { id: 'a', x: 10, y: 0, demand: [4, 1], serviceMin: 5, timeWindows: [{ startMin: 0, endMin: 100 }] },
      { id: 'b', x: 20, y: 0, demand: [4, 1], serviceMin: 5, timeWindows: [{ startMin: 0, endMin: 30 }] },
      { id: 'c', x: 30, y: 0, demand: [4, 1], serviceMin: 5, skills: ['cold'] },
      { id: 'd', x: 40, y: 0, demand: [1, 0], required: false, penalty: 7 },
    ],
    vehicleTypes: [
      { id: 'van', count: 2, capacity: [10, 2], fixedCost: 100, maxDistance: 70 },
      { id: 'cold', count: 1, capacity: [20, 5], fixedCost: 100, skills: ['cold'], maxDurationMin: 120 },
    ],
  };
}

describe('solver: independent checker', function () {
  const data = new ProblemData(lineProblem());
  // a feasible reference solution: van serves a, b; cold serves c; d skipped (penalty 7)
  const good = { routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] as number[] };
  const goodCost = 100 + 40 + (100 + 60) + 7;

  const codes = (solution: Parameters<typeof checkSolution>[1]) => checkSolution(data, solution).violations.map((v) => v.code);

  it('accepts a feasible solution and recomputes its cost', function () {
    const report = checkSolution(data, { ...good, cost: goodCost });
    expect(report.violations).to.deep.equal([]);
    expect(report.feasible).to.equal(true);
    expect(report.cost).to.equal(goodCost);
    expect(report.distance).to.equal(100);
  });

  it('reports a wrong cost', function () {
    expect(codes({ ...good, cost: goodCost + 1 })).to.deep.equal(['cost_mismatch']);
  });

  it('reports capacity excess in the second dimension only', function () {
    const volume = checkSolution(
      new ProblemData({ ...lineProblem(), vehicleTypes: [{ id: 'van', count: 2, capacity: [100, 1] }, lineProblem().vehicleTypes[1]] }),
      { routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] },
    );
    expect(volume.violations.map((v) => v.code)).to.deep.equal(['capacity']);
    expect(volume.violations[0].message).to.contain('volumeM3');
    const weight = checkSolution(
      new ProblemData({ ...lineProblem(), vehicleTypes: [{ id: 'van', count: 2, capacity: [7, 100] }, lineProblem().vehicleTypes[1]] }),
      { routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] },
    );
    expect(weight.violations.map((v) => v.code)).to.deep.equal(['capacity']);
    expect(weight.violations[0].message).to.contain('weightKg');
  });

  it('reports a time window missed', function () {
    // b closes at 30: visiting a first then b arrives at 10 + 5 + 10 = 25 (fine); c, a, b arrives late
    expect(codes({ routes: [{ vehicleType: 1, clients: [2, 0, 1] }], unassigned: [] })).to.include('time_window');
  });

  it('reports a missing skill', function () {
    expect(codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 0, clients: [2] }], unassigned: [] })).to.deep.equal(['skill']);
  });

  it('reports shift length (maximum duration) and maximum distance', function () {
    const longRoute = codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2, 3] }], unassigned: [] });
    expect(longRoute).to.deep.equal([]);
    const lateStart = codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2], startMin: 150 }], unassigned: [] });
    expect(lateStart).to.deep.equal(['shift_length']);
    const far = codes({ routes: [{ vehicleType: 0, clients: [0, 1, 3] }, { vehicleType: 1, clients: [2] }], unassigned: [] });
    expect(far).to.deep.equal(['max_distance']);
    const slow = new ProblemData({ ...lineProblem(), vehicleTypes: [lineProblem().vehicleTypes[0], { ...lineProblem().vehicleTypes[1], maxDurationMin: 60 }] });
    expect(checkSolution(slow, { routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] }).violations.map((v) => v.code)).to.deep.equal([
      'shift_length',
    ]);
  });

  it('reports duplicate, missing and unknown clients and too many vehicles', function () {
    expect(codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2, 0] }], unassigned: [] })).to.include('duplicate_client');
    expect(codes({ routes: [{ vehicleType: 0, clients: [0] }, { vehicleType: 1, clients: [2] }], unassigned: [] })).to.deep.equal(['missing_client']);
    expect(codes({ routes: [{ vehicleType: 0, clients: [0] }, { vehicleType: 1, clients: [2] }], unassigned: [1] })).to.deep.equal([]);
    expect(codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [0] })).to.deep.equal(['duplicate_client']);
    expect(codes({ routes: [{ vehicleType: 0, clients: [0, 1, 9] }, { vehicleType: 1, clients: [2] }], unassigned: [] })).to.include('unknown_client');
    expect(codes({ routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }, { vehicleType: 1, clients: [3] }], unassigned: [] })).to.deep.equal(['fleet_size']);
    expect(codes({ routes: [{ vehicleType: 5, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] })).to.include('unknown_vehicle_type');
  });

  it('reports a leg longer than a day of driving and too many overnight rests', function () {
    const problem = lineProblem();
    problem.vehicleTypes = [{ id: 'truck', count: 1, capacity: [100, 100], skills: ['cold'], maxDrivingMinPerDay: 15, maxDays: 2, overnightRestMin: 600 }];
    const multi = new ProblemData(problem);
    const report = checkSolution(multi, { routes: [{ vehicleType: 0, clients: [0, 1, 2] }], unassigned: [] });
    const found = report.violations.map((v) => v.code);
    expect(found).to.include('driving_time'); // the 30-minute leg back to the depot
    expect(found).to.include('shift_length'); // rests needed: more than maxDays - 1
  });

  it('reports an unreachable leg', function () {
    const problem = lineProblem();
    const n = 5;
    const distance = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) distance[i * n + j] = Math.abs(i - j) * 10;
    distance[0 * n + 3] = Number.POSITIVE_INFINITY;
    problem.distance = distance;
    problem.duration = distance;
    const report = checkSolution(new ProblemData(problem), { routes: [{ vehicleType: 0, clients: [0, 1] }, { vehicleType: 1, clients: [2] }], unassigned: [] });
    expect(report.violations.map((v) => v.code)).to.include('unreachable');
  });
});

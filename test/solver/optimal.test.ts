import { expect } from 'chai';
import { solveSync } from '../../solver/index.ts';
import { bruteForceOptimum, randomInstance } from './helpers.ts';

describe('solver: tiny instances reach the brute-force optimum', function () {
  const cases = [
    { name: 'capacity only', seed: 11, options: { clients: 7 } },
    { name: 'capacity only, other seed', seed: 12, options: { clients: 7 } },
    { name: 'time windows', seed: 21, options: { clients: 7, timeWindows: true } },
    { name: 'time windows, other seed', seed: 23, options: { clients: 7, timeWindows: true } },
    { name: 'three capacity dimensions', seed: 31, options: { clients: 7, dims: 3 } },
    { name: 'two dimensions, time windows, fixed cost, 4 vehicles', seed: 41, options: { clients: 7, dims: 2, timeWindows: true, vehicles: 4, fixedCost: 50 } },
  ];
  for (const c of cases) {
    it(`finds the optimum with ${c.name}`, function () {
      const problem = randomInstance(c.seed, c.options);
      const optimum = bruteForceOptimum(problem);
      expect(optimum).to.be.lessThan(Number.POSITIVE_INFINITY);
      const result = solveSync(problem, { maxIterations: 300, seed: 3 });
      expect(result.feasible).to.equal(true);
      expect(result.violations).to.deep.equal([]);
      expect(result.unassigned).to.deep.equal([]);
      expect(result.cost).to.be.closeTo(optimum, 1e-6);
      const served = result.routes.flatMap((r) => r.clients).sort((a, b) => a - b);
      expect(served).to.deep.equal(problem.clients.map((_, i) => i));
    });
  }
});

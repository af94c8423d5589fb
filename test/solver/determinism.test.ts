import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { readCvrplib, readSolomon, solve, solveSync, type SolveResult } from '../../solver/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/solver/${name}`, import.meta.url), 'utf8');

function essence(result: SolveResult) {
  return { cost: result.cost, routes: result.routes.map((r) => r.clients), iterations: result.iterations, feasible: result.feasible };
}

describe('solver: determinism, workers and stopping', function () {
  const x = readCvrplib(fixture('X-n101-k25.vrp')).problem;
  const c = readSolomon(fixture('R201.txt')).problem;

  it('returns the same answer for the same seed (CVRP and VRPTW)', function () {
    expect(essence(solveSync(x, { maxIterations: 40, seed: 9 }))).to.deep.equal(essence(solveSync(x, { maxIterations: 40, seed: 9 })));
    expect(essence(solveSync(c, { maxIterations: 15, seed: 4 }))).to.deep.equal(essence(solveSync(c, { maxIterations: 15, seed: 4 })));
  });

  it('returns with one worker thread exactly what the single-thread run returns', async function () {
    const single = solveSync(x, { maxIterations: 40, seed: 5 });
    const threaded = await solve(x, { maxIterations: 40, seed: 5, workers: 1 });
    expect(essence(threaded)).to.deep.equal(essence(single));
    expect(single.feasible).to.equal(true);
  });

  it('runs two workers and keeps the better of their answers', async function () {
    const two = await solve(x, { maxIterations: 30, seed: 5, workers: 2 });
    const first = solveSync(x, { maxIterations: 30, seed: 5 });
    expect(two.feasible).to.equal(true);
    expect(two.violations).to.deep.equal([]);
    expect(two.cost).to.be.at.most(first.cost);
    expect(two.iterations).to.equal(60);
  });

  it('stops at the iteration limit and when the signal aborts, with a checked anytime answer', async function () {
    const limited = solveSync(x, { maxIterations: 7, seed: 1 });
    expect(limited.iterations).to.equal(7);
    const controller = new AbortController();
    const aborted = solveSync(x, { maxIterations: 1_000_000, seed: 1, signal: controller.signal, onProgress: () => controller.abort() });
    expect(aborted.iterations).to.be.lessThan(1_000_000);
    expect(aborted.feasible).to.equal(true);
    const early = new AbortController();
    early.abort();
    const threaded = await solve(x, { maxIterations: 1_000_000, seed: 1, workers: 1, signal: early.signal });
    expect(threaded.iterations).to.be.lessThan(1_000_000);
    expect(threaded.violations).to.deep.equal([]);
    expect(threaded.routes.flatMap((r) => r.clients)).to.have.length(100);
  });
});

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSolution, FormatError, ProblemData, readCvrplib, readCvrplibSolution, readJsonProblem, readSolomon, writeJsonProblem } from '../../solver/index.ts';

const fixtures = new URL('../fixtures/solver/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

/** Client index of a CVRPLIB .sol customer j (file node j + 1, clients start at node 2). */
function solToClients(routes: number[][]): number[][] {
  return routes.map((r) => r.map((j) => j - 1));
}

describe('solver: readers', function () {
  it('reads a CVRPLIB X instance with nint-rounded Euclidean distances', function () {
    const inst = readCvrplib(fixture('X-n101-k25.vrp'));
    expect(inst.problem.name).to.equal('X-n101-k25');
    expect(inst.problem.clients).to.have.length(100);
    expect(inst.capacity).to.equal(206);
    expect(inst.fileIds.slice(0, 3)).to.deep.equal([1, 2, 3]);
    const data = new ProblemData(inst.problem);
    // node 1 (365, 689) to node 2 (146, 180): sqrt(219² + 509²) = 554.11 → 554
    expect(data.dist[1]).to.equal(554);
  });

  it('reads the .sol file and the checker recomputes its Cost line', function () {
    const data = new ProblemData(readCvrplib(fixture('X-n101-k25.vrp')).problem);
    const sol = readCvrplibSolution(fixture('X-n101-k25.sol'));
    expect(sol.cost).to.equal(27591);
    expect(sol.routes).to.have.length(26);
    const report = checkSolution(data, { routes: solToClients(sol.routes).map((clients) => ({ vehicleType: 0, clients })), unassigned: [], cost: sol.cost });
    expect(report.violations).to.deep.equal([]);
    expect(report.cost).to.equal(27591);
  });

  it('reads every TSPLIB explicit matrix layout to the same matrix', function () {
    const full = [0, 3, 4, 5, 3, 0, 5, 8, 4, 5, 0, 3, 5, 8, 3, 0];
    const layouts: Record<string, number[]> = {
      FULL_MATRIX: full,
      LOWER_ROW: [3, 4, 5, 5, 8, 3],
      UPPER_ROW: [3, 4, 5, 5, 8, 3],
      LOWER_DIAG_ROW: [0, 3, 0, 4, 5, 0, 5, 8, 3, 0],
      UPPER_DIAG_ROW: [0, 3, 4, 5, 0, 5, 8, 0, 3, 0],
      LOWER_COL: [3, 4, 5, 5, 8, 3],
      UPPER_COL: [3, 4, 5, 5, 8, 3],
    };
    for (const [format, values] of Object.entries(layouts)) {
      const text = `NAME : m\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : ${format}\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n${values.join(' ')}\nDEMAND_SECTION\n1 0\n2 1\n3 1\n4 1\nDEPOT_SECTION\n1\n-1\nEOF\n`;
      const data = new ProblemData(readCvrplib(text).problem);
      expect(Array.from(data.dist), format).to.deep.equal(full);
    }
  });

  it('reads the shipped explicit-matrix fixture', function () {
    const data = new ProblemData(readCvrplib(fixture('tiny-lower-row.vrp')).problem);
    expect(data.nClients).to.equal(4);
    expect(data.dist[4 * 5 + 3]).to.equal(2);
    expect(data.demand[1]).to.equal(6);
  });

  it('rejects a file with no DIMENSION and an unsupported edge weight type', function () {
    expect(() => readCvrplib('NAME : x\nEOF\n')).to.throw(FormatError, /DIMENSION/);
    expect(() => new ProblemData(readCvrplib('DIMENSION : 2\nEDGE_WEIGHT_TYPE : GEO\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\nEOF\n').problem)).to.throw(/GEO/);
  });

  it('reads a Solomon instance', function () {
    const inst = readSolomon(fixture('C101.txt'));
    expect(inst.problem.name).to.equal('C101');
    expect(inst.vehicles).to.equal(25);
    expect(inst.capacity).to.equal(200);
    expect(inst.problem.clients).to.have.length(100);
    expect(inst.problem.depots[0].timeWindow).to.deep.equal({ startMin: 0, endMin: 1236 });
    expect(inst.problem.clients[0]).to.deep.include({ id: '1', x: 45, y: 68, demand: [10], serviceMin: 90, timeWindows: [{ startMin: 912, endMin: 967 }] });
    expect(inst.problem.clients.reduce((s, c) => s + c.demand[0], 0)).to.equal(1810);
  });

  it('round-trips our JSON format, unreachable legs included', function () {
    const problem = readJsonProblem(fixture('tiny.json'));
    expect(problem.clients.map((c) => c.id)).to.deep.equal(['UMR-01', 'UMR-02', 'UMR-03', 'UMR-04']);
    const m = [0, 1, Infinity, 0];
    const text = writeJsonProblem({ depots: [{ id: 'D' }], clients: [{ id: 'a', demand: [1] }], vehicleTypes: [{ id: 'v', count: 1, capacity: [1] }], distance: m, duration: m });
    expect(text).to.contain('null');
    expect(readJsonProblem(text).distance).to.deep.equal(m);
    expect(() => readJsonProblem('{"depots": []}')).to.throw(FormatError, /clients/);
  });

  it('parses every shipped benchmark file and every CVRPLIB / SINTEF solution checks out', function () {
    const dir = join(new URL('.', import.meta.url).pathname, '../../../shared/bench');
    if (!existsSync(dir)) {
      // Outside the workspace the shared benchmark set is absent: check the copy shipped in
      // test/fixtures instead (its best-known solution must pass the checker).
      const fixtures = join(new URL('.', import.meta.url).pathname, '../fixtures/solver');
      const inst = readCvrplib(readFileSync(join(fixtures, 'X-n101-k25.vrp'), 'utf8'));
      const sol = readCvrplibSolution(readFileSync(join(fixtures, 'X-n101-k25.sol'), 'utf8'));
      const report = checkSolution(new ProblemData(inst.problem), { routes: solToClients(sol.routes).map((clients) => ({ vehicleType: 0, clients })), unassigned: [], cost: sol.cost });
      expect(report.violations).to.deep.equal([]);
      return;
    }
    let files = 0;
    for (const name of readdirSync(join(dir, 'cvrp-x')).filter((f) => f.endsWith('.vrp'))) {
      const inst = readCvrplib(readFileSync(join(dir, 'cvrp-x', name), 'utf8'));
      const data = new ProblemData(inst.problem);
      const sol = readCvrplibSolution(readFileSync(join(dir, 'cvrp-x', name.replace('.vrp', '.sol')), 'utf8'));
      const report = checkSolution(data, { routes: solToClients(sol.routes).map((clients) => ({ vehicleType: 0, clients })), unassigned: [], cost: sol.cost });
      expect(report.violations, name).to.deep.equal([]);
      files++;
    }
    for (const sub of ['solomon', 'gh200']) {
      for (const name of readdirSync(join(dir, sub)).filter((f) => f.endsWith('.txt'))) {
        const inst = readSolomon(readFileSync(join(dir, sub, name), 'utf8'), { vehicleFixedCost: 0 });
        const data = new ProblemData(inst.problem);
        expect(data.nClients, name).to.equal(sub === 'solomon' ? 100 : 200);
        const solFile = join(dir, sub, name.replace('.txt', '.sol'));
        if (existsSync(solFile)) {
          const sol = readCvrplibSolution(readFileSync(solFile, 'utf8'));
          const report = checkSolution(data, { routes: sol.routes.map((r) => ({ vehicleType: 0, clients: r.map((id) => id - 1) })), unassigned: [] });
          expect(report.violations, name).to.deep.equal([]);
        }
        files++;
      }
    }
    expect(files).to.equal(100 + 56 + 60);
  });
});

import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/types.ts';
import { readFileSync } from 'node:fs';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/solver/${name}`, import.meta.url));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  // loaded through import() so that the CLI and its lazily imported command share one module graph
  const { main } = await import('../../src/cli/index.ts');
  const code = await main(argv, io);
  return { code, out, err };
}

interface SolveOutput {
  instance: string;
  cost: number;
  vehicles: number;
  feasible: boolean;
  timeMs: number;
  routes: (number | string)[][];
  distance: number;
  unassigned: { client: number | string; reason: string }[];
}

describe('rutas solve (CLI contract)', function () {
  it('solves a CVRPLIB file and prints {instance, cost, vehicles, feasible, timeMs, routes}', async function () {
    const { code, out } = await run(['solve', fixture('X-n101-k25.vrp'), '--json', '--workers', '0', '--max-iterations', '20', '--time-limit', '60']);
    expect(code).to.equal(0);
    const result = JSON.parse(out) as SolveOutput;
    expect(Object.keys(result).slice(0, 6)).to.deep.equal(['instance', 'cost', 'vehicles', 'feasible', 'timeMs', 'routes']);
    expect(result.instance).to.equal('X-n101-k25');
    expect(result.feasible).to.equal(true);
    expect(result.vehicles).to.equal(result.routes.length);
    // client ids are the file's node numbers 2..101, each exactly once
    const ids = result.routes.flat().map(Number).sort((a, b) => a - b);
    expect(ids).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 2));
    // cost = sum of nint-rounded Euclidean edges, recomputed here from the file
    const coords = new Map<number, [number, number]>();
    const text = readFileSync(fixture('X-n101-k25.vrp'), 'utf8').split(/\r?\n/);
    const start = text.findIndex((l) => l.startsWith('NODE_COORD_SECTION'));
    for (let i = start + 1; i < start + 102; i++) {
      const [id, px, py] = text[i].trim().split(/\s+/).map(Number);
      coords.set(id, [px, py]);
    }
    const d = (a: number, b: number) => Math.floor(Math.hypot(coords.get(a)![0] - coords.get(b)![0], coords.get(a)![1] - coords.get(b)![1]) + 0.5);
    let cost = 0;
    for (const route of result.routes.map((r) => r.map(Number))) {
      let prev = 1;
      for (const v of route) {
        cost += d(prev, v);
        prev = v;
      }
      cost += d(prev, 1);
    }
    expect(result.cost).to.equal(cost);
    expect(Number.isInteger(result.cost)).to.equal(true);
  });

  it('solves a Solomon file reporting vehicles and unrounded distance', async function () {
    const { code, out } = await run(['solve', fixture('C101.txt'), '--json', '--workers', '0', '--max-iterations', '10', '--seed', '3']);
    expect(code).to.equal(0);
    const result = JSON.parse(out) as SolveOutput;
    expect(result.instance).to.equal('C101');
    expect(result.feasible).to.equal(true);
    expect(result.cost).to.equal(result.distance);
    expect(result.vehicles).to.be.at.least(10);
    expect(result.routes.flat()).to.have.length(100);
  });

  it('solves our JSON format with --format json through a worker thread', async function () {
    const { code, out } = await run(['solve', fixture('tiny.json'), '--format', 'json', '--json', '--workers', '1', '--max-iterations', '30']);
    expect(code).to.equal(0);
    const result = JSON.parse(out) as SolveOutput;
    expect(result.feasible).to.equal(true);
    expect(result.routes.flat().sort()).to.deep.equal(['UMR-01', 'UMR-02', 'UMR-03', 'UMR-04']);
    expect(result.unassigned).to.deep.equal([]);
  });

  it('rejects an unknown format and a missing file', async function () {
    const bad = await run(['solve', fixture('tiny.json'), '--format', 'xml', '--json']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.contain('--format');
    const missing = await run(['solve', '/nonexistent/file.vrp', '--json']);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.contain('cannot read');
  });
});

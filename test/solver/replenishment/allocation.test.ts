import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import type { CliIo } from '../../../src/cli/types.ts';
import { allocate, parseAllocationInput, type AllocationInput } from '../../../solver/replenishment/allocation.ts';
import { ReplenishmentError } from '../../../solver/replenishment/errors.ts';

const example = {
  horizonDays: 30,
  items: [{ code: 'A', available: 40 }],
  units: [{ id: 'U1', weight: 1, lines: [{ code: 'A', dailyUse: 2.5, stockOnHand: 10 }] }],
};

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text) };
}

function withUnits(units: unknown): unknown {
  return { ...example, units };
}

describe('replenishment / allocation of many items', () => {
  describe('parseAllocationInput', () => {
    it('accepts the CLI example and defaults the weight to 1', () => {
      const input = parseAllocationInput({ ...example, units: [{ id: 'U1', lines: [] }] });
      expect(input.units[0].weight).to.equal(1);
    });

    const cases: [string, unknown, RegExp][] = [
      ['a missing horizonDays', { items: [], units: [] }, /^horizonDays: is required/],
      ['horizonDays 0', { ...example, horizonDays: 0 }, /^horizonDays: must be > 0/],
      ['a non-numeric available', { ...example, items: [{ code: 'A', available: '40' }] }, /^items\[0\]\.available: must be a number/],
      ['a negative available', { ...example, items: [{ code: 'A', available: -1 }] }, /^items\[0\]\.available: must be ≥ 0/],
      ['a fractional available', { ...example, items: [{ code: 'A', available: 1.5 }] }, /^items\[0\]\.available: must be an integer/],
      ['a duplicate item code', { ...example, items: [{ code: 'A', available: 1 }, { code: 'A', available: 2 }] }, /^items\[1\]\.code: duplicate item code "A"/],
      ['a missing unit id', withUnits([{ lines: [] }]), /^units\[0\]\.id: is required/],
      ['a duplicate unit id', withUnits([{ id: 'U1', lines: [] }, { id: 'U1', lines: [] }]), /^units\[1\]\.id: duplicate unit id "U1"/],
      ['a zero weight', withUnits([{ id: 'U1', weight: 0, lines: [] }]), /^units\[0\]\.weight: must be > 0/],
      ['missing lines', withUnits([{ id: 'U1' }]), /^units\[0\]\.lines: is required/],
      ['an unknown item code in a line', withUnits([{ id: 'U1', lines: [{ code: 'B', dailyUse: 1, stockOnHand: 0 }] }]), /^units\[0\]\.lines\[0\]\.code: unknown item code "B"/],
      ['a duplicate line', withUnits([{ id: 'U1', lines: [{ code: 'A', dailyUse: 1, stockOnHand: 0 }, { code: 'A', dailyUse: 1, stockOnHand: 0 }] }]), /^units\[0\]\.lines\[1\]\.code: duplicate line/],
      ['a negative dailyUse', withUnits([{ id: 'U1', lines: [{ code: 'A', dailyUse: -1, stockOnHand: 0 }] }]), /^units\[0\]\.lines\[0\]\.dailyUse: must be ≥ 0/],
      ['a missing stockOnHand', withUnits([{ id: 'U1', lines: [{ code: 'A', dailyUse: 1 }] }]), /^units\[0\]\.lines\[0\]\.stockOnHand: is required/],
      ['a non-object input', [1, 2], /^\(input\): must be an object/],
      ['a misspelt field', withUnits([{ id: 'U1', wieght: 2, lines: [] }]), /^units\[0\]\.wieght: unknown field \(expected id, weight, lines\)/],
      ['an unknown top-level field', { ...example, horizon: 30 }, /^horizon: unknown field/],
      ['a null weight', withUnits([{ id: 'U1', weight: null, lines: [] }]), /^units\[0\]\.weight: must be a number > 0, got null/],
    ];
    for (const [name, json, message] of cases) {
      it(`rejects ${name}, naming the field`, () => {
        expect(() => parseAllocationInput(json)).to.throw(ReplenishmentError, message);
      });
    }
  });

  describe('allocate', () => {
    it('reproduces the CLI contract example', async () => {
      const result = await allocate(parseAllocationInput(example));
      expect(result.allocations).to.deep.equal([{ unit: 'U1', code: 'A', quantity: 40, requested: 65, coverageDays: 20 }]);
      expect(result.items[0]).to.include({ code: 'A', available: 40, requested: 65, allocated: 40, shortfall: 25, minCoverageDays: 20 });
    });

    it('treats items independently and reports the rationing per item', async () => {
      const input: AllocationInput = {
        horizonDays: 30,
        items: [
          { code: 'A', available: 30 },
          { code: 'B', available: 1000 },
          { code: 'C', available: 5 },
        ],
        units: [
          { id: 'U1', lines: [{ code: 'A', dailyUse: 1, stockOnHand: 0 }, { code: 'B', dailyUse: 2, stockOnHand: 10 }] },
          { id: 'U2', lines: [{ code: 'A', dailyUse: 1, stockOnHand: 10 }, { code: 'B', dailyUse: 0, stockOnHand: 0 }] },
          { id: 'U3', weight: 1, lines: [{ code: 'A', dailyUse: 2, stockOnHand: 0 }] },
        ],
      };
      const result = await allocate(input, { method: 'water-filling' });
      const quantities = result.allocations.map((a) => `${a.unit}/${a.code}=${a.quantity}`);
      expect(quantities).to.deep.equal(['U1/A=10', 'U2/A=0', 'U3/A=20', 'U1/B=50']);
      expect(result.items.map((i) => [i.code, i.requested, i.allocated, i.minCoverageDays, i.units])).to.deep.equal([
        ['A', 110, 30, 10, 3],
        ['B', 50, 50, 30, 1],
        ['C', 0, 0, 30, 0],
      ]);
    });

    it('gives the same allocation with HiGHS and with the closed form', async () => {
      const units = Array.from({ length: 60 }, (_, u) => ({
        id: `U${u}`,
        weight: u % 5 === 0 ? 2 : 1,
        lines: [
          { code: 'A', dailyUse: 0.5 + (u % 7) * 0.4, stockOnHand: (u * 13) % 40 },
          { code: 'B', dailyUse: (u % 3) * 1.5, stockOnHand: (u * 7) % 25 },
        ],
      }));
      const input = parseAllocationInput({ horizonDays: 30, items: [{ code: 'A', available: 900 }, { code: 'B', available: 500 }], units });
      const highs = await allocate(input, { method: 'highs' });
      const closed = await allocate(input, { method: 'water-filling' });
      expect(highs.allocations.map((a) => a.quantity)).to.deep.equal(closed.allocations.map((a) => a.quantity));
      expect(highs.items.map((i) => i.allocated)).to.deep.equal([900, 500]);
      expect(highs.items.every((i) => i.lpSolves >= 1)).to.equal(true);
    });
  });

  describe('rutas allocate (CLI contract)', () => {
    let dir: string;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'rutas-allocate-'));
    });

    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('prints exactly the documented JSON for the example', async () => {
      const file = join(dir, 'example.json');
      await writeFile(file, JSON.stringify(example));
      const io = capture();
      const code = await main(['allocate', file, '--json'], io);
      expect(code).to.equal(0);
      expect(JSON.parse(io.stdout.join(''))).to.deep.equal({
        allocations: [{ unit: 'U1', code: 'A', quantity: 40 }],
        items: [{ code: 'A', available: 40, requested: 65, allocated: 40, minCoverageDays: 20 }],
      });
    });

    it('prints a readable table without --json', async () => {
      const file = join(dir, 'table.json');
      await writeFile(file, JSON.stringify(example));
      const io = capture();
      expect(await main(['allocate', file, '--method', 'water-filling'], io)).to.equal(0);
      expect(io.stdout.join('')).to.match(/A\s+40\s+65\s+40\s+25\s+20\.00/);
    });

    it('fails with exit code 1 and names the field on bad input', async () => {
      const file = join(dir, 'bad.json');
      await writeFile(file, JSON.stringify(withUnits([{ id: 'U1', lines: [{ code: 'Z', dailyUse: 1, stockOnHand: 0 }] }])));
      const io = capture();
      expect(await main(['allocate', file, '--json'], io)).to.equal(1);
      expect(io.stderr.join('')).to.contain('units[0].lines[0].code: unknown item code "Z"');
      expect(io.stdout).to.deep.equal([]);
    });

    it('fails on invalid JSON and on a missing file', async () => {
      const file = join(dir, 'broken.json');
      await writeFile(file, '{"horizonDays": 30,');
      const io = capture();
      expect(await main(['allocate', file], io)).to.equal(1);
      expect(io.stderr.join('')).to.contain('is not valid JSON');
      expect(await main(['allocate', join(dir, 'missing.json')], io)).to.equal(1);
      expect(io.stderr.join('')).to.contain('cannot read');
    });

    it('is a usage error (exit 2) without an input file or with an unknown method', () => {
      // Through the real entry point: under mocha the CLI modules can be loaded twice (CommonJS
      // and ESM), which defeats `instanceof UsageError` in main(); bin/rutas.js has one loader.
      const run = (...args: string[]) => spawnSync(process.execPath, ['bin/rutas.js', 'allocate', ...args], { encoding: 'utf8' });
      const missing = run();
      expect(missing.status).to.equal(2);
      expect(missing.stderr).to.contain('expected exactly one input file');
      const method = run('x.json', '--method', 'magic');
      expect(method.status).to.equal(2);
      expect(method.stderr).to.contain('--method must be highs or water-filling');
    });
  });
});

/**
 * National allocation benchmark (issue 7): 8,600 units × 147 items, 20 items short by 30 %.
 * `npm run bench -- --set allocation [--units 8600] [--items 147] [--short-items 20]
 *  [--shortage 0.3] [--seed 7]` writes bench/results/allocation.md.
 * The input is synthetic and deterministic (seeded PRNG); targets: < 10 s, < 1 GiB RSS.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { allocate, type AllocationInput, type AllocationResult } from '../../solver/replenishment/allocation.ts';
import { loadHighsSolver, requestedQuantity, type FairShareMethod } from '../../solver/replenishment/fair-share.ts';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Options {
  units: number;
  items: number;
  shortItems: number;
  shortage: number;
  seed: number;
  horizonDays: number;
}

/**
 * Units get a size class 1–4 (núcleos básicos); each item a base use per day per class; each line
 * a ±50 % jitter, stock between 0 and 40 days of use, 10 % stocked out. Hospitals-like units
 * (2 %) get weight 2. Available = requested for most items, (1 − shortage) × requested for the
 * first `shortItems` items.
 */
function generate(options: Options): AllocationInput {
  const random = prng(options.seed);
  const codes = Array.from({ length: options.items }, (_, i) => `ITEM-${String(i + 1).padStart(3, '0')}`);
  const baseUse = codes.map(() => 0.05 + random() * 2);
  const requested = new Array<number>(options.items).fill(0);
  const units = Array.from({ length: options.units }, (_, u) => {
    const sizeClass = 1 + Math.floor(random() * 4);
    const lines = codes.map((code, k) => {
      const dailyUse = Math.round(baseUse[k] * sizeClass * (0.5 + random()) * 1000) / 1000;
      const stockOnHand = random() < 0.1 ? 0 : Math.floor(dailyUse * random() * 40);
      requested[k] += requestedQuantity(options.horizonDays, dailyUse, stockOnHand);
      return { code, dailyUse, stockOnHand };
    });
    return { id: `U${String(u + 1).padStart(5, '0')}`, weight: random() < 0.02 ? 2 : 1, lines };
  });
  const items = codes.map((code, k) => ({
    code,
    // Integer supply: the shortage is rounded DOWN to whole pieces (it is a supply figure).
    available: k < options.shortItems ? Math.floor(requested[k] * (1 - options.shortage)) : requested[k],
  }));
  return { horizonDays: options.horizonDays, items, units };
}

function rssMiB(): number {
  return process.memoryUsage().rss / 1048576;
}

async function measure(input: AllocationInput, method: FairShareMethod): Promise<{ result: AllocationResult; seconds: number }> {
  const solver = method === 'highs' ? await loadHighsSolver() : undefined;
  const start = performance.now();
  const result = await allocate(input, { method, solver });
  return { result, seconds: (performance.now() - start) / 1000 };
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      units: { type: 'string', default: '8600' },
      items: { type: 'string', default: '147' },
      'short-items': { type: 'string', default: '20' },
      shortage: { type: 'string', default: '0.3' },
      seed: { type: 'string', default: '7' },
    },
    strict: true,
  });
  const options: Options = {
    units: Number(values.units),
    items: Number(values.items),
    shortItems: Number(values['short-items']),
    shortage: Number(values.shortage),
    seed: Number(values.seed),
    horizonDays: 30,
  };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  }
  const genStart = performance.now();
  const input = generate(options);
  const genSeconds = (performance.now() - genStart) / 1000;

  const highs = await measure(input, 'highs');
  const highsPeakRssMiB = process.resourceUsage().maxRSS / 1024;
  const closed = await measure(input, 'water-filling');
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;

  const short = highs.result.items.filter((i) => i.shortfall > 0);
  const minCoverage = Math.min(...highs.result.items.map((i) => i.minCoverageDays));
  const lpSolves = highs.result.items.reduce((sum, i) => sum + i.lpSolves, 0);
  const same = highs.result.allocations.every((a, i) => a.quantity === closed.result.allocations[i].quantity);
  const overSupply = highs.result.items.filter((i) => i.allocated > i.available).length;
  const overTarget = highs.result.allocations.filter((a) => a.quantity > a.requested).length;

  const rows = [
    ['units', options.units.toLocaleString('en-US')],
    ['items', String(options.items)],
    ['unit × item lines', (options.units * options.items).toLocaleString('en-US')],
    ['shortage items', `${short.length} (supply ${Math.round((1 - options.shortage) * 100)} % of requested)`],
    ['allocation time, HiGHS (s)', highs.seconds.toFixed(2)],
    ['LP solves (HiGHS)', String(lpSolves)],
    ['allocation time, closed-form water-filling (s)', closed.seconds.toFixed(2)],
    ['input generation (s, not counted)', genSeconds.toFixed(2)],
    ['peak RSS after the HiGHS run (MiB, input + result + HiGHS)', highsPeakRssMiB.toFixed(0)],
    ['peak RSS, whole process incl. both runs (MiB)', peakRssMiB.toFixed(0)],
    ['RSS at end (MiB)', rssMiB().toFixed(0)],
    ['min coverage days over short items', minCoverage.toFixed(2)],
    ['min coverage days per short item (range)', `${Math.min(...short.map((i) => i.minCoverageDays)).toFixed(2)} – ${Math.max(...short.map((i) => i.minCoverageDays)).toFixed(2)}`],
    ['HiGHS and closed form give identical quantities', same ? 'yes' : 'NO'],
    ['items allocated above supply / lines above request', `${overSupply} / ${overTarget}`],
    ['targets', '< 10 s, < 1024 MiB'],
  ];
  const table = [
    '# Benchmark: national fair allocation',
    '',
    `Generated by \`npm run bench -- --set allocation\` on ${new Date().toISOString()} (Node ${process.version}, seed ${options.seed}).`,
    'Synthetic input: size classes 1–4, ±50 % jitter on daily use, stock 0–40 days (10 % stocked out), 2 % of units with weight 2.',
    '',
    '| measure | value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
  await mkdir(new URL('../results/', import.meta.url), { recursive: true });
  await writeFile(new URL('../results/allocation.md', import.meta.url), table);
  process.stdout.write(`${table}\n`);
}

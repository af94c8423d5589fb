/**
 * Shared runner of the routing benchmarks (cvrp-x, solomon): reads bks.csv, solves each
 * instance with the solver API (worker threads), writes a markdown table and a summary.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProblemInput } from '../../solver/index.ts';
import { solve } from '../../solver/index.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchOptions {
  timeFactor: number;
  workers: number;
  seed: number;
  instances?: string;
  dir: string;
}

export function parseBenchArgs(argv: string[], defaultDir: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'time-factor': { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      instances: { type: 'string' },
      dir: { type: 'string', default: defaultDir },
    },
    strict: true,
  });
  return {
    timeFactor: Number(values['time-factor']),
    workers: Number(values.workers),
    seed: Number(values.seed),
    instances: values.instances,
    dir: values.dir,
  };
}

export interface Bks {
  n: number;
  cost: number;
  vehicles: number;
}

export async function readBks(set: string): Promise<Map<string, Bks>> {
  const text = await readFile(join(repoRoot, '../shared/bench/bks.csv'), 'utf8');
  const map = new Map<string, Bks>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [s, instance, n, cost, vehicles] = line.split(',');
    if (s === set) map.set(instance, { n: Number(n), cost: Number(cost), vehicles: Number(vehicles) });
  }
  return map;
}

/** Matches names against a comma-separated list of names or globs (* and ?). */
export function selectInstances(names: string[], pattern: string | undefined, fallback: (name: string) => boolean): string[] {
  if (!pattern) return names.filter(fallback);
  const regexes = pattern.split(',').map((p) => new RegExp(`^${p.trim().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i'));
  return names.filter((name) => regexes.some((r) => r.test(name)));
}

export async function listInstances(dir: string, ext: string): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export interface Row {
  instance: string;
  n: number;
  bks: Bks | undefined;
  cost: number;
  vehicles: number;
  timeS: number;
  feasible: boolean;
}

export async function runInstance(problem: ProblemInput, timeLimitMs: number, options: BenchOptions) {
  return solve(problem, { timeLimitMs, workers: options.workers, seed: options.seed });
}

export function gap(row: Row): number | undefined {
  return row.bks ? (100 * (row.cost - row.bks.cost)) / row.bks.cost : undefined;
}

export async function writeTable(set: string, title: string, rows: Row[], costDigits: number, extraSummary: string[], settings: string): Promise<string> {
  const gaps = rows.map(gap).filter((g): g is number => g !== undefined);
  const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
  const max = gaps.length > 0 ? Math.max(...gaps) : 0;
  const allFeasible = rows.every((r) => r.feasible);
  const lines = [
    `# ${title}`,
    '',
    settings,
    '',
    '| instance | n | BKS | cost | gap % | vehicles (BKS) | time s | feasible |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const g = gap(r);
      return `| ${r.instance} | ${r.n} | ${r.bks ? r.bks.cost.toFixed(costDigits) : '–'} | ${r.cost.toFixed(costDigits)} | ${g === undefined ? '–' : g.toFixed(2)} | ${r.vehicles} (${r.bks?.vehicles ?? '–'}) | ${r.timeS.toFixed(1)} | ${r.feasible ? 'yes' : 'NO'} |`;
    }),
    '',
    `**Summary** (${rows.length} instances): mean gap ${mean.toFixed(2)} %, max gap ${max.toFixed(2)} %, all feasible: ${allFeasible ? 'yes' : 'no'}.`,
    ...extraSummary,
    '',
  ];
  const text = lines.join('\n');
  await mkdir(join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(join(repoRoot, `bench/results/${set}.md`), text);
  return text;
}

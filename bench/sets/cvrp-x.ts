/**
 * CVRPLIB X benchmark (issue 6): `npm run bench -- --set cvrp-x [--time-factor f]
 * [--instances <names or globs>] [--workers n] [--seed n]`. Time limit per instance:
 * n × 0.1 s × f (n = customers); 2 workers by default; default instances: 100 ≤ n ≤ 250.
 * Writes bench/results/cvrp-x.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCvrplib } from '../../solver/index.ts';
import { listInstances, parseBenchArgs, readBks, repoRoot, runInstance, selectInstances, writeTable, type Row } from './solver-common.ts';

export async function run(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv, join(repoRoot, '../shared/bench/cvrp-x'));
  const bks = await readBks('X');
  const names = selectInstances(await listInstances(options.dir, '.vrp'), options.instances, (name) => {
    const n = Number(/X-n(\d+)-/.exec(name)?.[1] ?? 0) - 1;
    return n >= 100 && n <= 250;
  });
  const rows: Row[] = [];
  for (const name of names) {
    const inst = readCvrplib(await readFile(join(options.dir, `${name}.vrp`), 'utf8'));
    const n = inst.problem.clients.length;
    const result = await runInstance(inst.problem, n * 100 * options.timeFactor, options);
    const row: Row = { instance: name, n, bks: bks.get(name), cost: result.distance, vehicles: result.vehicles, timeS: result.runtimeMs / 1000, feasible: result.feasible };
    rows.push(row);
    const g = row.bks ? ((100 * (row.cost - row.bks.cost)) / row.bks.cost).toFixed(2) : '–';
    process.stdout.write(`${name}: ${row.cost} (BKS ${row.bks?.cost ?? '–'}, gap ${g} %), ${row.vehicles} vehicles, ${row.timeS.toFixed(1)} s, ${result.iterations} iterations, ${row.feasible ? 'feasible' : 'INFEASIBLE'}\n`);
  }
  const settings = `Time limit n × 0.1 s × ${options.timeFactor}, ${options.workers} workers, seed ${options.seed}; cost = sum of TSPLIB nint distances; BKS from ../shared/bench/bks.csv.`;
  const text = await writeTable('cvrp-x', 'CVRPLIB X benchmark', rows, 0, [], settings);
  process.stdout.write(`${text.split('\n').filter((l) => l.startsWith('**Summary')).join('\n')}\n`);
}

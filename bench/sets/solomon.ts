/**
 * Solomon VRPTW benchmark (issue 6): `npm run bench -- --set solomon [--time-factor f]
 * [--instances <names or globs>] [--workers n] [--seed n]`. Time limit 30 s × f per instance,
 * 2 workers by default; objective vehicles first, then distance (unrounded Euclidean).
 * Writes bench/results/solomon.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSolomon } from '../../solver/index.ts';
import { gap, listInstances, parseBenchArgs, readBks, repoRoot, runInstance, selectInstances, writeTable, type Row } from './solver-common.ts';

export async function run(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv, join(repoRoot, '../shared/bench/solomon'));
  const bks = await readBks('solomon');
  const names = selectInstances(await listInstances(options.dir, '.txt'), options.instances, () => true);
  const rows: Row[] = [];
  for (const name of names) {
    const inst = readSolomon(await readFile(join(options.dir, `${name}.txt`), 'utf8'));
    const result = await runInstance(inst.problem, 30_000 * options.timeFactor, options);
    const row: Row = { instance: name, n: inst.problem.clients.length, bks: bks.get(name), cost: result.distance, vehicles: result.vehicles, timeS: result.runtimeMs / 1000, feasible: result.feasible };
    rows.push(row);
    const g = gap(row);
    process.stdout.write(`${name}: ${row.vehicles} vehicles (BKS ${row.bks?.vehicles ?? '–'}), ${row.cost.toFixed(2)} (BKS ${row.bks?.cost ?? '–'}, gap ${g?.toFixed(2) ?? '–'} %), ${row.timeS.toFixed(1)} s, ${result.iterations} iterations, ${row.feasible ? 'feasible' : 'INFEASIBLE'}\n`);
  }
  const hit = rows.filter((r) => r.bks && r.vehicles <= r.bks.vehicles && (gap(r) ?? Infinity) <= 1).length;
  const sameVehicles = rows.filter((r) => r.bks && r.vehicles <= r.bks.vehicles).length;
  const extra = [
    `BKS vehicle count reached on ${sameVehicles}/${rows.length}; BKS vehicles and distance gap ≤ 1 % on ${hit}/${rows.length} (${((100 * hit) / Math.max(1, rows.length)).toFixed(0)} %, target ≥ 80 %).`,
  ];
  const settings = `Time limit 30 s × ${options.timeFactor}, ${options.workers} workers, seed ${options.seed}; cost = total distance (unrounded Euclidean); the search minimises vehicles first (fixed cost 10 000 per vehicle), then distance; BKS from ../shared/bench/bks.csv.`;
  const text = await writeTable('solomon', 'Solomon VRPTW benchmark', rows, 2, extra, settings);
  process.stdout.write(`${text.split('\n').filter((l) => l.startsWith('**Summary') || l.startsWith('BKS vehicle')).join('\n')}\n`);
}

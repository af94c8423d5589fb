/**
 * Benchmark runner: `npm run bench -- --set <name> [set options]`.
 * Each set lives in bench/sets/<name>.ts, exports `run(argv)` and writes a markdown table to
 * bench/results/. Benchmarks are never part of `npm test`.
 */
const sets: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<void> }> }> = {
  'cvrp-x': { summary: 'CVRPLIB X instances (default 100–250 customers), n × 0.1 s × factor, 2 workers', load: () => import('./sets/cvrp-x.ts') },
  solomon: { summary: 'Solomon VRPTW (56 instances), 30 s × factor, 2 workers', load: () => import('./sets/solomon.ts') },
  national: { summary: 'full national ordinary round on the seeded network: time, RSS, routes, km, saving vs Clarke–Wright / nearest neighbour', load: () => import('./sets/national.ts') },
  load: { summary: 'stock reports and stock reads through the API on the embedded database, vs the raw driver rate', load: () => import('./sets/load.ts') },
  allocation: { summary: 'national fair allocation, 8,600 units × 147 items, 20 items 30 % short', load: () => import('./sets/allocation.ts') },
};

async function main(argv: string[]): Promise<number> {
  const index = argv.indexOf('--set');
  const name = index >= 0 ? argv[index + 1] : undefined;
  if (!name || !Object.hasOwn(sets, name)) {
    process.stderr.write(
      `usage: npm run bench -- --set <name> [options]\nsets:\n${Object.entries(sets)
        .map(([key, value]) => `  ${key.padEnd(12)} ${value.summary}`)
        .join('\n')}\n`,
    );
    return 2;
  }
  const rest = argv.filter((_, i) => i !== index && i !== index + 1);
  const set = await sets[name].load();
  await set.run(rest);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

process.exitCode = await main(process.argv.slice(2));

/**
 * National round benchmark (issue 13): `npm run bench -- --set national [--budget-ms 80000]
 * [--concurrency 2] [--seed 1] [--no-baseline]` seeds the shipped national network into an
 * in-memory embedded MongoDB, creates the ordinary round of a month (5 delivery days) and runs
 * the planning service end to end (load → kits/lots → distances → routing per warehouse in
 * parallel → write the plan). It reports wall time and peak RSS of that run, routes, km,
 * vehicles and routes per day, unassigned units with reasons, and the saving per state against
 * Clarke–Wright savings and nearest-neighbour baselines on the very same problems.
 * Writes bench/results/national.md. Targets: < 120 s wall and < 3 GiB RSS on 2 cores.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { connectMongoose } from '../../src/db/connection.ts';
import { startEmbeddedMongo } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logging.ts';
import { createRepositories } from '../../src/repositories/index.ts';
import { createPlanningRepositories } from '../../src/repositories/plans-repositories.ts';
import { seedNetwork } from '../../src/services/catalog/seed.ts';
import { generatePlan } from '../../src/services/planning/engine.ts';
import { distanceProviderFor } from '../../src/services/planning/distance.ts';
import { clarkeWright, nearestNeighbour } from '../../src/services/planning/baseline.ts';
import type { JobRunner } from '../../src/services/planning/jobs.ts';
import { createPlanningModule } from '../../src/services/planning/module.ts';
import type { PlanResult } from '../../src/services/planning/types.ts';

const ADMIN = { role: 'admin' as const, name: 'bench' };

/** Runs only the baselines on each warehouse job (no search): same problems as the real run. */
class BaselineRunner implements JobRunner {
  run(job: Parameters<JobRunner['run']>[0]) {
    const problem = job.problem;
    return Promise.resolve({
      warehouseId: job.warehouseId,
      result: { routes: [], cost: 0, distance: 0, vehicles: 0, feasible: true, unassigned: [], violations: [], runtimeMs: 0, iterations: 0 },
      baseline: { clarkeWright: clarkeWright(problem), nearestNeighbour: nearestNeighbour(problem) },
    });
  }
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'budget-ms': { type: 'string', default: '55000' },
      concurrency: { type: 'string', default: String(Math.min(2, availableParallelism())) },
      seed: { type: 'string', default: '1' },
      month: { type: 'string', default: '2026-12' },
      'no-baseline': { type: 'boolean', default: false },
      'fleet-factor': { type: 'string', default: '1' },
    },
  });
  const budgetMs = Number(values['budget-ms']);
  const concurrency = Number(values.concurrency);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const server = await startEmbeddedMongo();
  const connection = await connectMongoose(`${server.uri}/bench_national`);
  try {
    const repositories = createRepositories(connection);
    await repositories.ensureIndexes();
    const seedStarted = Date.now();
    const seeded = await seedNetwork(repositories);
    process.stdout.write(`seeded the national network in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s\n`);
    void seeded;
    // --fleet-factor k: k copies of every vehicle (the operation also uses the states' own vehicles).
    const fleetFactor = Number(values['fleet-factor']);
    if (fleetFactor > 1) {
      const fleet = await repositories.vehicles.all({});
      const copies = [];
      for (let k = 2; k <= fleetFactor; k++) for (const v of fleet) copies.push({ ...v, id: `${v.id}-X${k}`, createdAt: undefined, updatedAt: undefined });
      await repositories.vehicles.upsertMany(copies.map(({ createdAt: _c, updatedAt: _u, ...v }) => v));
    }
    const fleetSize = (await repositories.vehicles.all({})).length;
    const config = loadConfig({ ...process.env, PLAN_TIME_BUDGET_MS: String(budgetMs), PLAN_CONCURRENCY: String(concurrency), PLAN_MIN_JOB_MS: '1000' });
    const module = createPlanningModule({ repositories: createPlanningRepositories(repositories.models), config, logger, instanceId: 'bench' });
    const { round } = await module.rounds.ensureOrdinaryRound(values.month, ADMIN);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const plan = await module.planning.requestPlan(round.id, { seed: Number(values.seed) }, ADMIN);
    const header = await module.planning.generate(plan.id);
    const wallMs = Date.now() - started;
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const view = module.planning.view(header, ADMIN);
    const { routes } = await module.planning.routes(plan.id, ADMIN);
    const kpis = view.kpis!;
    process.stdout.write(`plan ${plan.id}: ${view.status} in ${(wallMs / 1000).toFixed(1)} s, peak RSS ${fmt(peakRssMiB)} MiB (before: ${fmt(rssBefore / 2 ** 20)} MiB)\n`);

    let baseline: PlanResult | undefined;
    if (!values['no-baseline']) {
      const input = await module.planning.loadInput(round);
      const b0 = Date.now();
      baseline = await generatePlan(input, {
        distance: distanceProviderFor(config),
        runner: new BaselineRunner(),
        concurrency: 1,
        routingBudgetMs: 1,
        minShelfLifeDays: config.minShelfLifeDays,
        restWeekdays: config.planning.restWeekdays,
        baseline: true,
      });
      process.stdout.write(`baselines built in ${((Date.now() - b0) / 1000).toFixed(1)} s\n`);
    }

    const reasons = new Map<string, number>();
    for (const u of view.unassigned) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
    const perDay = kpis.plan.routesPerDay;
    const vehiclesPerDay = view.deliveryDates.map((_, d) => new Set(routes.filter((r) => r.dayIndex <= d && d < r.dayIndex + r.tripDays).map((r) => r.vehicleId)).size);
    const lines: string[] = [];
    lines.push('# National ordinary round benchmark (issue 13)', '');
    lines.push(`Command: \`npm run bench -- --set national --budget-ms ${budgetMs} --concurrency ${concurrency} --seed ${values.seed} --fleet-factor ${fleetFactor}\``);
    lines.push(`Machine: ${cpus().length} logical CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}. Run ${new Date().toISOString()}.`, '');
    lines.push('Seeded national network (shipped `data/`, every catalogue unit of level 1, every state warehouse, the published fleet split by workload' + (fleetFactor > 1 ? ` × ${fleetFactor}` : '') + `: ${fleetSize} vehicles), ordinary round ` +
      `${round.deliveryStart} → ${round.deliveryEnd} (${view.deliveryDates.length} delivery days), distances haversine × ${config.circuityFactor} at ${config.averageSpeedKmh} km/h (assumptions).`, '');
    lines.push('| measure | value | target |', '|---|---|---|');
    lines.push(`| wall time, request → draft stored | ${(wallMs / 1000).toFixed(1)} s | < 120 s |`);
    lines.push(`| peak RSS (process incl. worker threads) | ${fmt(peakRssMiB)} MiB | < 3,072 MiB |`);
    lines.push(`| units due / served / unassigned | ${fmt(kpis.plan.unitsDue)} / ${fmt(kpis.plan.unitsServed)} / ${fmt(kpis.plan.unitsUnassigned)} | every unit served or listed with a reason |`);
    lines.push(`| routes (trips) | ${fmt(kpis.plan.routes)} | operation: ~1,000–1,200 per wave |`);
    lines.push(`| routes per day | ${perDay.map((n) => fmt(n)).join(' · ')} | |`);
    lines.push(`| vehicles on the road per day | ${vehiclesPerDay.map((n) => fmt(n)).join(' · ')} | |`);
    lines.push(`| total km | ${fmt(kpis.plan.distanceKm)} | |`);
    lines.push(`| driving hours | ${fmt(kpis.plan.drivingHours)} | |`);
    lines.push(`| utilisation kg / m³ / cold boxes | ${[kpis.plan.utilisation.weightKg, kpis.plan.utilisation.volumeM3, kpis.plan.utilisation.coldBoxes].map((u) => (u === null ? '—' : `${(u * 100).toFixed(0)} %`)).join(' / ')} | |`);
    lines.push(`| kits / medicine pieces | ${fmt(kpis.plan.kits)} / ${fmt(kpis.plan.medicinePieces)} | |`);
    lines.push(`| stage times | ${Object.entries(view.timingsMs ?? {}).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')} | |`);
    lines.push(`| unassigned by reason | ${[...reasons.entries()].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'} | |`, '');

    lines.push('## Per state: our plan vs the baselines on the same problems', '');
    lines.push('Both baselines get the same problems (units, kits, windows, shifts, fleet counts per day, multi-day variants). A baseline that leaves more units unserved drops the costliest (remote) ones, so km are compared only where it serves at least as many units as our plan: saving = 1 − our km / baseline km against the best such baseline; otherwise the column shows how many more units our plan serves. km per served unit is shown for every state. The planner keeps the search result unless Clarke–Wright on the same problem serves at least as many units at a lower cost ("CW kept"): then the plan uses those routes, so the plan is never worse than that baseline.', '');
    lines.push('| state | units | our routes | our km | our unserved | CW routes | CW km | CW unserved | NN routes | NN km | NN unserved | km/unit ours · CW · NN | saving vs best comparable | search s |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    let totals = { ours: 0, cw: 0, nn: 0, best: 0 };
    const served = { ours: 0, cw: 0, nn: 0 };
    const same = { ours: 0, best: 0 };
    const ourByWarehouse = new Map(view.warehouses.map((w) => [w.warehouseId, w]));
    const unassignedByState = new Map<string, number>();
    for (const u of view.unassigned) unassignedByState.set(u.state.code, (unassignedByState.get(u.state.code) ?? 0) + 1);
    for (const b of (baseline?.warehouses ?? view.warehouses).slice().sort((x, y) => x.state.code.localeCompare(y.state.code))) {
      const ours = ourByWarehouse.get(b.warehouseId);
      if (!ours) continue;
      const cw = b.baseline?.clarkeWright;
      const nn = b.baseline?.nearestNeighbour;
      const perUnit = (km: number, served: number) => (served > 0 ? km / served : Number.POSITIVE_INFINITY);
      const ourUnserved = unassignedByState.get(ours.state.code) ?? 0;
      const ourPerUnit = perUnit(ours.distanceKm, ours.units - Math.min(ours.units, ourUnserved));
      const comparable = [cw, nn].filter((x): x is NonNullable<typeof x> => x !== undefined && x.unassigned <= ourUnserved);
      const best = comparable.length > 0 ? Math.min(...comparable.map((x) => x.distanceKm)) : undefined;
      if (best !== undefined) {
        same.ours += ours.distanceKm;
        same.best += best;
      }
      const extra = cw && nn ? Math.min(cw.unassigned, nn.unassigned) - ourUnserved : 0;
      totals = { ours: totals.ours + ours.distanceKm, cw: totals.cw + (cw?.distanceKm ?? 0), nn: totals.nn + (nn?.distanceKm ?? 0), best: totals.best };
      served.ours += ours.units - Math.min(ours.units, ourUnserved);
      served.cw += cw ? b.units - cw.unassigned : 0;
      served.nn += nn ? b.units - nn.unassigned : 0;
      lines.push(
        `| ${ours.state.name} | ${fmt(ours.units)} | ${fmt(ours.routes)} | ${fmt(ours.distanceKm)} | ${fmt(unassignedByState.get(ours.state.code) ?? 0)} | ${cw ? fmt(cw.routes) : '—'} | ${cw ? fmt(cw.distanceKm) : '—'} | ${cw ? fmt(cw.unassigned) : '—'} | ${nn ? fmt(nn.routes) : '—'} | ${nn ? fmt(nn.distanceKm) : '—'} | ${nn ? fmt(nn.unassigned) : '—'} | ${ourPerUnit.toFixed(1)} · ${cw ? perUnit(cw.distanceKm, b.units - cw.unassigned).toFixed(1) : '—'} · ${nn ? perUnit(nn.distanceKm, b.units - nn.unassigned).toFixed(1) : '—'} | ${best !== undefined ? `${((1 - ours.distanceKm / best) * 100).toFixed(1)} %` : `serves ${extra} more`} | ${(ours.runtimeMs / 1000).toFixed(1)}${ours.method === 'clarke-wright' ? ' (CW kept)' : ''} |`,
      );
    }
    if (baseline) {
      const bestTotal = Math.min(totals.cw / Math.max(1, served.cw), totals.nn / Math.max(1, served.nn));
      lines.push(`| **total** | ${fmt(kpis.plan.unitsDue)} | ${fmt(kpis.plan.routes)} | ${fmt(totals.ours)} | ${fmt(kpis.plan.unitsDue - served.ours)} | | ${fmt(totals.cw)} | ${fmt(kpis.plan.unitsDue - served.cw)} | | ${fmt(totals.nn)} | ${fmt(kpis.plan.unitsDue - served.nn)} | ${(totals.ours / Math.max(1, served.ours)).toFixed(1)} · ${(totals.cw / Math.max(1, served.cw)).toFixed(1)} · ${(totals.nn / Math.max(1, served.nn)).toFixed(1)} | ${same.best > 0 ? `${((1 - same.ours / same.best) * 100).toFixed(1)} % (comparable states)` : '—'} | |`);
      void bestTotal;
      lines.push('', `Served units: ours ${fmt(served.ours)}, Clarke–Wright ${fmt(served.cw)}, nearest neighbour ${fmt(served.nn)}; km per served unit: ours ${(totals.ours / Math.max(1, served.ours)).toFixed(1)}, CW ${(totals.cw / Math.max(1, served.cw)).toFixed(1)}, NN ${(totals.nn / Math.max(1, served.nn)).toFixed(1)}.`);
    }
    lines.push('');
    await mkdir('bench/results', { recursive: true });
    const out = fleetFactor > 1 ? `bench/results/national-fleet-x${fleetFactor}.md` : 'bench/results/national.md';
    await writeFile(out, `${lines.join('\n')}\n`);
    process.stdout.write(`${lines.join('\n')}\n\nwritten to ${out}\n`);
  } finally {
    await connection.close();
    await server.stop();
  }
}

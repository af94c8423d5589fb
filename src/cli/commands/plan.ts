/**
 * `rutas plan --round <id> [--json] [--out <dir>]` — generates a round's plan (same service as
 * the API and the scheduler) and prints its KPI table; `--out` writes the routes (GeoJSON),
 * the manifests (CSV), the official route programme (XLSX) and the KPIs (JSON).
 * Exit code 3 if a due unit ended neither on a route nor listed with a reason.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { numberOption, parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import type { PlanView } from '../../services/planning/service.ts';
import { CLI_ACTOR, planningFor } from './round.ts';

const usage = `Usage: rutas plan --round <id> [--seed <n>] [--time-budget <seconds>] [--json] [--out <dir>]
       rutas plan --plan <id> [--json] [--out <dir>]      (export an existing plan)

Generates the round's plan: due units → kits and lots → routes per warehouse over the delivery
days (warehouses in parallel) → manifests. The new plan is the round's draft (an older draft is
replaced; a round with an approved plan is refused).

  --json                 print the plan (status, KPIs per plan and state, unassigned units) as JSON
  --out <dir>            write routes.geojson, manifests.csv, kpis.json, unassigned.csv and the
                         route programme <ENTIDAD>_<ROUND>_RUTAS_CLUES_PIEZAS.xlsx
  --time-budget <s>      wall-clock target of the routing stage (default PLAN_TIME_BUDGET_MS)

Exit codes: 0 done; 1 error (e.g. the generation failed); 2 usage; 3 a due unit is neither on a
route nor listed as unassigned with a reason.`;

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

function kpiTable(plan: PlanView): string {
  const k = plan.kpis!;
  const rows = [
    ['state', 'due', 'served', 'unassigned', 'routes', 'km', 'driving h', 'kits', 'pieces', 'kg util'],
    ...[...k.byState.map((s) => ({ name: s.state.name, ...s })), { name: 'TOTAL', ...k.plan }].map((s) => [
      s.name,
      s.unitsDue,
      s.unitsServed,
      s.unitsUnassigned,
      s.routes,
      Math.round(s.distanceKm),
      Math.round(s.drivingHours),
      s.kits,
      s.medicinePieces + s.supplyPieces,
      s.utilisation.weightKg === null ? '—' : `${Math.round(s.utilisation.weightKg * 100)} %`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : pad(cell, widths[c]))).join('  ')).join('\n');
}

export const command: CliCommand = {
  summary: 'generate a round\u2019s plan (routes, manifests, route programme, KPIs); --out writes the files',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      round: { type: 'string' },
      plan: { type: 'string' },
      seed: { type: 'string' },
      'time-budget': { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    });
    if (!values.round === !values.plan) throw new UsageError('give exactly one of --round <id> or --plan <id>');
    const seed = numberOption(values.seed, 'seed');
    const budget = numberOption(values['time-budget'], 'time-budget');
    return withDatabase(async (connection, config) => {
      const module = await planningFor(connection, config);
      const planning = module.planning;
      let id = values.plan;
      if (values.round) {
        const requested = await planning.requestPlan(values.round, { seed, timeBudgetMs: budget === undefined ? undefined : Math.round(budget * 1000) }, CLI_ACTOR);
        id = requested.id;
        const controller = new AbortController();
        const interrupt = () => controller.abort(new Error('interrupted'));
        process.once('SIGINT', interrupt);
        try {
          await planning.generate(id, { signal: controller.signal });
        } finally {
          process.off('SIGINT', interrupt);
        }
      }
      const plan = await planning.get(id!, CLI_ACTOR);
      if (!plan.kpis) throw new Error(`plan ${id} is ${plan.status}${plan.error ? `: ${plan.error.message}` : ''}`);
      // Every due unit: on a route, or listed with a reason.
      const { routes } = await planning.routes(id!, CLI_ACTOR);
      const routed = new Set(routes.flatMap((r) => r.stops.map((s) => s.clues)));
      const listed = plan.unassigned.filter((u) => u.reason && u.detail);
      const silent = plan.kpis.plan.unitsDue - routed.size - listed.length;

      if (values.out) {
        await mkdir(values.out, { recursive: true });
        await writeFile(join(values.out, 'routes.geojson'), JSON.stringify(await planning.geojson(id!, CLI_ACTOR)));
        await writeFile(join(values.out, 'manifests.csv'), await planning.manifestsCsv(id!, CLI_ACTOR));
        const programme = await planning.programme(id!, CLI_ACTOR);
        await writeFile(join(values.out, programme.fileName), programme.content);
        await writeFile(join(values.out, 'kpis.json'), `${JSON.stringify({ planId: plan.id, roundId: plan.roundId, status: plan.status, deliveryDates: plan.deliveryDates, kpis: plan.kpis, timingsMs: plan.timingsMs }, null, 2)}\n`);
        const csv = ['clues,name,state,reason,detail', ...plan.unassigned.map((u) => [u.clues, u.name, u.state.name, u.reason, u.detail].map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))];
        await writeFile(join(values.out, 'unassigned.csv'), `${csv.join('\n')}\n`);
        if (!values.json) io.out(`wrote routes.geojson, manifests.csv, ${programme.fileName}, kpis.json, unassigned.csv to ${values.out}`);
      }
      if (values.json) io.out(JSON.stringify(plan));
      else {
        io.out(`plan ${plan.id} (round ${plan.roundId}): ${plan.status}, delivery days ${plan.deliveryDates.join(', ')}`);
        io.out(kpiTable(plan));
        if (plan.unassigned.length > 0) {
          const reasons = new Map<string, number>();
          for (const u of plan.unassigned) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
          io.out(`unassigned: ${[...reasons.entries()].map(([r, n]) => `${r} ${n}`).join(', ')}`);
        }
      }
      if (silent !== 0) {
        io.err(`rutas plan: ${silent} due units are neither on a route nor listed with a reason`);
        return 3;
      }
      return 0;
    });
  },
};

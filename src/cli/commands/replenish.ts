/**
 * `rutas replenish --warehouse <id> | --national [--json] [options]` — computes and stores a
 * replenishment run (the same as POST /api/v1/replenishment/runs) against the database.
 */
import { parseCommandArgs, numberOption } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { registerModels } from '../../../models/index.ts';
import { createReplenishmentRepository } from '../../repositories/replenishment.ts';
import { WorkerPlanner } from '../../services/replenishment/planner.ts';
import { createReplenishmentService, type CreateRunRequest, type RunView } from '../../services/replenishment/runs.ts';
import { DomainError } from '../../errors.ts';

const usage = `Usage: rutas replenish --warehouse <id> | --national [--json] [options]

Computes a replenishment cycle (AMC from the stock reports, max-min reorder quantities, fair
rationing of short items, kits and FEFO lots) and stores it as a run, like
POST /api/v1/replenishment/runs.

Options:
  --warehouse <id>            plan the units served by this warehouse
  --national                  plan every warehouse (one run)
  --horizon-days <n>          days the kit covers (default 30)
  --safety-days <n>           safety buffer in days (default 7)
  --days-until-delivery <n>   days until the kit arrives (default: from --delivery-date, else 0)
  --delivery-date <date>      YYYY-MM-DD (default: today + days until delivery)
  --min-shelf-life-days <n>   minimum shelf life at delivery (default MIN_SHELF_LIFE_DAYS, 60)
  --method <m>                highs (default) or water-filling
  --json                      print the stored run as JSON (default: a summary table)`;

function count(value: string | undefined, name: string): number | undefined {
  const parsed = numberOption(value, name);
  if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < 0)) throw new UsageError(`--${name} must be an integer ≥ 0, got "${value}"`);
  return parsed;
}

function table(run: RunView): string {
  const s = run.summary!;
  const short = (run.rationing ?? []).filter((r) => r.shortfall > 0);
  const lines = [
    `run ${run.id} (${run.scope}${run.warehouseId ? ` ${run.warehouseId}` : ''}) ${run.status}, delivery ${run.options.deliveryDate}`,
    `${s.units} units, ${s.warehouses} warehouse(s), ${s.items} items; requested ${s.requestedPieces}, allocated ${s.allocatedPieces}, short ${s.shortfallPieces} pieces`,
    `${s.emergencyLines} emergency lines, ${s.unfilledLotLines} unfilled lot lines, ${s.weightKg} kg, ${s.volumeM3} m³, ${s.coldBoxes} cold boxes`,
    '',
  ];
  if (short.length === 0) {
    lines.push('no item is short');
  } else {
    lines.push(`${'item'.padEnd(18)} ${'available'.padStart(10)} ${'requested'.padStart(10)} ${'allocated'.padStart(10)} ${'short'.padStart(8)} ${'units'.padStart(6)} ${'min days'.padStart(9)}`);
    for (const r of short) {
      lines.push(
        `${r.code.padEnd(18)} ${String(r.available).padStart(10)} ${String(r.requested).padStart(10)} ${String(r.allocated).padStart(10)} ${String(r.shortfall).padStart(8)} ${String(r.unitsShort).padStart(6)} ${r.minCoverageDays.toFixed(2).padStart(9)}`,
      );
    }
  }
  if (run.unassignedUnits && run.unassignedUnits.length > 0) lines.push('', `${run.unassignedUnits.length} active units have no warehouse and were not planned`);
  return lines.join('\n');
}

export const command: CliCommand = {
  summary: 'compute and store a replenishment run for a warehouse or the nation',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      warehouse: { type: 'string' },
      national: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'horizon-days': { type: 'string' },
      'safety-days': { type: 'string' },
      'days-until-delivery': { type: 'string' },
      'delivery-date': { type: 'string' },
      'min-shelf-life-days': { type: 'string' },
      method: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if ((values.warehouse === undefined) === !values.national) throw new UsageError('give exactly one of --warehouse <id> or --national');
    const method = values.method;
    if (method !== undefined && method !== 'highs' && method !== 'water-filling') throw new UsageError(`--method must be highs or water-filling, got "${method}"`);
    const request: CreateRunRequest = {
      ...(values.national ? { scope: 'national' as const } : { warehouseId: values.warehouse }),
      horizonDays: count(values['horizon-days'], 'horizon-days'),
      safetyDays: count(values['safety-days'], 'safety-days'),
      daysUntilNextDelivery: count(values['days-until-delivery'], 'days-until-delivery'),
      deliveryDate: values['delivery-date'],
      minShelfLifeDays: count(values['min-shelf-life-days'], 'min-shelf-life-days'),
      method,
    };
    if (request.horizonDays === 0) throw new UsageError('--horizon-days must be ≥ 1');
    return withDatabase(async (connection, config) => {
      const models = registerModels(connection);
      await Promise.all([models.ReplenishmentRun.init(), models.ReplenishmentRunUnit.init(), models.ReplenishmentRunItem.init()]);
      const service = createReplenishmentService({
        repository: createReplenishmentRepository(models),
        minShelfLifeDays: config.minShelfLifeDays,
        planner: new WorkerPlanner({ threads: config.replenishmentConcurrency }),
      });
      let run: RunView;
      try {
        run = await service.createRun(request, { role: 'admin', tokenId: 'cli' });
      } catch (error) {
        if (error instanceof DomainError) {
          const fields = error.errors.map((e) => `\n  ${e.pointer.replace(/^\/body\//, '')}: ${e.detail}`).join('');
          io.err(`rutas replenish: ${error.message}${fields}`);
          return 1;
        }
        throw error;
      } finally {
        await service.close();
      }
      io.out(values.json ? JSON.stringify(run) : table(run));
      return 0;
    });
  },
};

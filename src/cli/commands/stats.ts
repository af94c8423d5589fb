/** `rutas stats [--json]` — counts of the national network (units by state, precision, source; fleet). */
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import type { CliCommand, CliIo } from '../types.ts';
import { networkRepositories } from '../../services/catalog/repositories.ts';
import { networkStats, type NetworkStats } from '../../services/catalog/stats.ts';
import { referenceData } from '../../services/catalog/reference.ts';

const usage = `Usage: rutas stats [--json]

Counts of the national network: units (total, active, real = from the catalogue or a CLUES
import, manual, by state INEGI code, by location precision, by source), items, kit templates,
warehouses and vehicles by type. Same document as GET /api/v1/stats.

Options:
  --json   print the JSON document`;

function toText(stats: NetworkStats): string {
  const states = referenceData().statesByCode;
  const u = stats.units;
  return [
    `units        ${u.total} (${u.active} active; ${u.real} real, ${u.manual} manual)`,
    `precision    ${Object.entries(u.byPrecision).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `source       ${Object.entries(u.bySource).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `items        ${stats.items}`,
    `kit templates ${stats.kitTemplates}`,
    `warehouses   ${stats.warehouses}`,
    `vehicles     ${Object.entries(stats.vehicles.byType).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
    '',
    'units by state:',
    ...Object.keys(u.byState)
      .sort()
      .map((code) => `  ${code} ${(states.get(code)?.name ?? '?').padEnd(34)} ${String(u.byState[code]).padStart(5)}`),
  ].join('\n');
}

export const command: CliCommand = {
  summary: 'counts of units, items, kit templates, warehouses and vehicles',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    const stats = await withDatabase(async (connection) => networkStats(await networkRepositories(connection)));
    io.out(values.json ? JSON.stringify(stats) : toText(stats));
    return 0;
  },
};

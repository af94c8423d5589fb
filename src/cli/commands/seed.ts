/**
 * `rutas seed [--json]` — loads the national network from data/ (catalogue units and hospitals,
 * 147 items, kit templates, warehouses, fleet). Idempotent: run it as often as you like.
 */
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import type { CliCommand, CliIo } from '../types.ts';
import { networkRepositories } from '../../services/catalog/repositories.ts';
import { seedNetwork, type SeedReport } from '../../services/catalog/seed.ts';

const usage = `Usage: rutas seed [--json]

Loads the national network shipped in data/ (see data/SOURCES.md): every first-level unit of the
IMSS-Bienestar catalogue and the known hospitals, the 147 kit items with their logistics
assumptions, one 30-day kit template per size class, the national hub (CEFEDIS) and one warehouse
per state, and the fleet. Idempotent: units are upserted by CLUES; units updated by a CLUES import
are left as they are; units registered by hand are merged with the catalogue's data.

Options:
  --json   print the report as JSON`;

function toText(report: SeedReport): string {
  const u = report.units;
  return [
    `units       ${u.catalog} catalogue + ${u.hospitals} hospitals: ${u.inserted} inserted, ${u.updated} updated, ${u.unchanged} unchanged` +
      (u.keptNewerImport > 0 ? `, ${u.keptNewerImport} kept (newer CLUES import)` : '') +
      (u.mergedManual > 0 ? `, ${u.mergedManual} manual merged` : ''),
    `items       ${report.items.inserted} inserted, ${report.items.updated} refreshed`,
    `kits        ${report.kitTemplates.inserted} inserted, ${report.kitTemplates.updated} refreshed`,
    `warehouses  ${report.warehouses.inserted} inserted, ${report.warehouses.updated} refreshed`,
    `vehicles    ${Object.entries(report.vehicles.byType).map(([type, n]) => `${n} ${type}`).join(', ')}`,
    `done in ${(report.durationMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

export const command: CliCommand = {
  summary: 'load the national network from data/ (idempotent)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    const report = await withDatabase(async (connection) => seedNetwork(await networkRepositories(connection)));
    io.out(values.json ? JSON.stringify(report) : toText(report));
    return 0;
  },
};

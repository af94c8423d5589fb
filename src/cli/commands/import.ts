/**
 * `rutas import clues <file.xlsx|file.csv>` and `rutas import items <file.csv>` — the monthly
 * catalogue refresh and the item list. Both accept --dry-run (report only, nothing written).
 */
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { DEFAULT_INSTITUTIONS, importCluesFile, type CluesImportReport } from '../../services/catalog/import-clues.ts';
import { importItemsFile, type ItemsImportReport } from '../../services/catalog/import-items.ts';
import { networkRepositories } from '../../services/catalog/repositories.ts';

const usage = `Usage: rutas import clues <file.xlsx|file.csv> [--dry-run] [--json] [--institution IMB[,SSA…]] [--sheet NAME]
       rutas import items <file.csv> [--dry-run] [--json]

clues   The monthly catalogue refresh: the DGIS ESTABLECIMIENTO_SALUD_YYYYMM.xlsx, CLUES_IMB.xlsx
        (sheet BD_IMB) or a CSV export in UTF-8 or Latin-1 with the official DGIS headers.
        Upserts by CLUES the units in operation of the given institutions (default ${DEFAULT_INSTITUTIONS.join(',')}).
        Rows with a missing, zero, out-of-Mexico or out-of-state coordinate are imported at
        their locality or municipality and listed as warnings. Skipped rows are counted per
        reason (not-in-operation, other-institution, not-a-care-unit,
        unknown-state-or-municipality, malformed). Units absent from the file are reported,
        never deleted. A unit registered by hand with the same CLUES is merged, not duplicated.
items   The kit items (columns code,name,presentation,category,cold_chain,controlled and
        optionally pack_size,weight_kg,volume_m3), upserted by code.

Options:
  --dry-run         read and report; write nothing
  --json            print the full report as JSON
  --institution     CLUES institution codes to keep, comma-separated (clues only)
  --sheet NAME      XLSX sheet to read (clues only; default BD_IMB or the first with a CLUES header)

Exit code: 0 when the file was read (even with skipped rows), 1 when it could not be read.`;

function cluesText(report: CluesImportReport): string {
  const lines = [
    `${report.file}: ${report.format}${report.encoding ? ` ${report.encoding}` : ''}${report.sheet ? ` sheet ${report.sheet}` : ''}, ${report.rowsRead} rows${report.dryRun ? ' (dry run: nothing written)' : ''}`,
    `units    ${report.units.inFile} in file: ${report.units.created} new, ${report.units.updated} updated, ${report.units.unchanged} unchanged` +
      (report.units.mergedManual > 0 ? ` (${report.units.mergedManual} manual units merged)` : ''),
    `skipped  ${report.skipped.total}: ${Object.entries(report.skipped.byReason).map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
    `warnings ${report.warnings.total} coordinates replaced: ${Object.entries(report.warnings.byProblem).map(([problem, n]) => `${problem} ${n}`).join(', ')}`,
    `absent   ${report.absent.total} active units of these states are not in the file (not deleted)`,
  ];
  for (const w of report.warnings.rows.slice(0, 20)) lines.push(`  line ${w.line} ${w.clues}: ${w.detail} [${w.coordinate}]`);
  for (const s of report.skipped.rows.filter((row) => row.reason !== 'other-institution' && row.reason !== 'not-in-operation').slice(0, 20)) {
    lines.push(`  line ${s.line} ${s.clues || '(no CLUES)'}: skipped, ${s.reason}: ${s.detail}`);
  }
  if (report.absent.total > 0) lines.push(`  absent: ${report.absent.clues.slice(0, 20).join(', ')}${report.absent.total > 20 ? ', …' : ''}`);
  return lines.join('\n');
}

function itemsText(report: ItemsImportReport): string {
  return [
    `${report.file}: ${report.encoding}, ${report.rowsRead} rows${report.dryRun ? ' (dry run: nothing written)' : ''}`,
    `items    ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped.length} skipped`,
    ...report.skipped.slice(0, 20).map((s) => `  line ${s.line} ${s.code}: ${s.detail}`),
  ].join('\n');
}

export const command: CliCommand = {
  summary: 'import the CLUES catalogue (xlsx/csv) or the kit items (csv)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      institution: { type: 'string' },
      sheet: { type: 'string' },
    });
    const [what, file, ...extra] = positionals;
    if (what !== 'clues' && what !== 'items') throw new UsageError(`expected "clues" or "items", got ${what === undefined ? 'nothing' : `"${what}"`}`);
    if (file === undefined) throw new UsageError(`rutas import ${what} needs a file`);
    if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(' ')}`);
    const dryRun = values['dry-run'] === true;
    if (what === 'clues') {
      const institutions = values.institution?.split(',').map((code) => code.trim()).filter((code) => code !== '');
      if (institutions !== undefined && institutions.length === 0) throw new UsageError('--institution needs at least one code');
      const report = await withDatabase(async (connection) => importCluesFile(file, await networkRepositories(connection), { dryRun, institutions, sheet: values.sheet }));
      io.out(values.json ? JSON.stringify(report) : cluesText(report));
      return 0;
    }
    if (values.institution !== undefined || values.sheet !== undefined) throw new UsageError('--institution and --sheet apply to "clues" only');
    const report = await withDatabase(async (connection) => importItemsFile(file, await networkRepositories(connection), { dryRun }));
    io.out(values.json ? JSON.stringify(report) : itemsText(report));
    return 0;
  },
};

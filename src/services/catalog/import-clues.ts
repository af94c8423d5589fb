/**
 * `rutas import clues <file>`: the monthly catalogue refresh from a DGIS / CLUES_IMB file.
 * Upserts by CLUES the units in operation of the configured institutions; a row whose coordinate
 * is missing, zero, outside Mexico or outside its state is still imported (a unit in operation
 * must get its kit), placed at its locality or municipality and listed as a warning. Skipped rows
 * are counted per reason; bad rows never abort good ones. Units absent from the file are
 * reported, never deleted or deactivated. With `dryRun` nothing is written.
 */
import { basename } from 'node:path';
import type { HealthUnit } from '../../repositories/units.ts';
import { isKnownHeader, mapHeaders, normaliseRow, SKIP_REASONS, type CoordinateProblem, type NormalisedRow, type SkipReason } from './clues-rows.ts';
import { loadCatalogContext, type CatalogContext } from './context.ts';
import { normaliseName } from './reference.ts';
import { readTable } from './readers.ts';
import type { NetworkRepositories } from './repositories.ts';
import { mergeOfficial, officialFields, operationalFields, type LocatedUnit, type LocationPrecision } from './unit-records.ts';

export const DEFAULT_INSTITUTIONS = ['IMB'];
/** Rows listed one by one in the report (the counts are always complete). */
export const REPORT_ROW_LIMIT = 500;
const WRITE_BATCH_SIZE = 1000;

export interface CluesImportOptions {
  dryRun?: boolean;
  /** CLUES institution codes to keep (default IMB). */
  institutions?: string[];
  /** XLSX sheet to read (default BD_IMB when present, else the first sheet with a CLUES header). */
  sheet?: string;
}

export interface SkippedRow {
  line: number;
  clues: string;
  reason: SkipReason;
  detail: string;
}

export interface CoordinateWarning {
  line: number;
  clues: string;
  problem: CoordinateProblem;
  /** The coordinate as written in the file. */
  coordinate: string;
  /** Where the unit was placed, and with which precision. */
  placedAt: LocationPrecision;
  detail: string;
}

export interface CluesImportReport {
  file: string;
  format: 'xlsx' | 'csv';
  encoding?: string;
  sheet?: string;
  dryRun: boolean;
  institutions: string[];
  rowsRead: number;
  units: { inFile: number; created: number; updated: number; unchanged: number; mergedManual: number };
  skipped: { total: number; byReason: Record<SkipReason, number>; rows: SkippedRow[] };
  warnings: { total: number; byProblem: Record<CoordinateProblem, number>; rows: CoordinateWarning[] };
  /** Active units of the file's states and levels (from the catalogue or an import) not in the file. */
  absent: { total: number; clues: string[] };
  durationMs: number;
}

function localityKey(row: NormalisedRow): string | undefined {
  const locality = row.localityCode ?? (row.localityName ? normaliseName(row.localityName) : undefined);
  return locality === undefined ? undefined : `${row.state.code}${row.municipality.code}|${locality}`;
}

/** Mean point of the file's well-located units per locality: where a badly located unit is put. */
function localityPoints(rows: NormalisedRow[]): Map<string, { lat: number; lng: number; n: number }> {
  const sums = new Map<string, { lat: number; lng: number; n: number }>();
  for (const row of rows) {
    const key = localityKey(row);
    if (!row.point || key === undefined) continue;
    const sum = sums.get(key) ?? { lat: 0, lng: 0, n: 0 };
    sum.lat += row.point.lat;
    sum.lng += row.point.lng;
    sum.n += 1;
    sums.set(key, sum);
  }
  return new Map([...sums].map(([key, s]) => [key, { lat: s.lat / s.n, lng: s.lng / s.n, n: s.n }]));
}

function problemText(problem: CoordinateProblem): string {
  switch (problem) {
    case 'missing':
      return 'no coordinate';
    case 'zero':
      return 'coordinate is zero';
    case 'outside-mexico':
      return 'coordinate outside Mexico';
    default:
      return 'coordinate outside its state';
  }
}

export async function importCluesFile(path: string, repos: NetworkRepositories, options: CluesImportOptions = {}, context: CatalogContext = loadCatalogContext()): Promise<CluesImportReport> {
  const started = Date.now();
  const institutions = (options.institutions ?? DEFAULT_INSTITUTIONS).map((code) => code.trim().toUpperCase()).filter((code) => code !== '');
  const table = await readTable(path, { sheet: options.sheet, keepColumn: isKnownHeader });
  const headers = mapHeaders(table.headers);

  const byReason = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  const skippedRows: SkippedRow[] = [];
  const skip = (row: SkippedRow): void => {
    byReason[row.reason] += 1;
    if (skippedRows.length < REPORT_ROW_LIMIT) skippedRows.push(row);
  };
  for (const bad of table.unreadable) skip({ line: bad.line, clues: '', reason: 'malformed', detail: `unreadable line: ${bad.detail}` });

  const kept: NormalisedRow[] = [];
  const firstLine = new Map<string, number>();
  const allowed = new Set(institutions);
  for (const raw of table.rows) {
    const outcome = normaliseRow(raw.cells, raw.line, headers, context.reference, allowed);
    if (outcome.kind === 'skip') {
      skip({ line: outcome.line, clues: outcome.clues, reason: outcome.reason, detail: outcome.detail });
      continue;
    }
    const seen = firstLine.get(outcome.row.clues);
    if (seen !== undefined) {
      skip({ line: raw.line, clues: outcome.row.clues, reason: 'malformed', detail: `duplicate CLUES (first at line ${seen})` });
      continue;
    }
    firstLine.set(outcome.row.clues, raw.line);
    kept.push(outcome.row);
  }

  // Place every kept row: its own coordinate, else its locality (other units of the file), else its municipality.
  const localities = localityPoints(kept);
  const warningsByProblem: Record<CoordinateProblem, number> = { missing: 0, zero: 0, 'outside-mexico': 0, 'outside-state': 0 };
  const warnings: CoordinateWarning[] = [];
  const located: LocatedUnit[] = kept.map((row) => {
    let lat: number;
    let lng: number;
    let precision: LocationPrecision;
    if (row.point) {
      ({ lat, lng } = row.point);
      precision = 'exact';
    } else {
      const key = localityKey(row);
      const locality = key === undefined ? undefined : localities.get(key);
      if (locality) {
        ({ lat, lng } = locality);
        precision = 'locality';
      } else {
        ({ lat, lng } = row.municipality);
        precision = 'municipality';
      }
      const problem = row.coordinateProblem ?? 'missing';
      warningsByProblem[problem] += 1;
      if (warnings.length < REPORT_ROW_LIMIT) {
        const place = precision === 'locality' ? `locality ${row.localityName ?? row.localityCode ?? ''} (mean of ${locality!.n} unit(s) of the file)` : `municipality ${row.municipality.name}`;
        warnings.push({ line: row.line, clues: row.clues, problem, coordinate: row.rawCoordinate ?? '', placedAt: precision, detail: `${problemText(problem)}; placed at ${place}` });
      }
    }
    return {
      clues: row.clues,
      name: row.name,
      institution: row.institution,
      state: row.state,
      municipality: { code: row.municipality.code, name: row.municipality.name },
      ...(row.localityName ? { locality: row.localityName } : {}),
      level: row.level,
      type: row.type,
      tipologia: row.tipologia,
      sizeClass: row.sizeClass,
      lat,
      lng,
      precision,
    };
  });

  const existing = new Map((await repos.units.all()).map((unit): [string, HealthUnit] => [unit.clues, unit]));
  const writes: Parameters<NetworkRepositories['units']['upsertMany']>[0][number][] = [];
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let mergedManual = 0;
  for (const unit of located) {
    const official = officialFields(unit, 'clues-import');
    const current = existing.get(unit.clues);
    if (!current) {
      created += 1;
      writes.push({ set: official, setOnInsert: operationalFields(unit, context) });
      continue;
    }
    if (current.source === 'manual') mergedManual += 1;
    const { set, keptLocation } = mergeOfficial(current, official);
    if (keptLocation) {
      const warning = warnings.find((w) => w.clues === unit.clues);
      if (warning) {
        warning.placedAt = current.locationPrecision;
        warning.detail = `${problemText(warning.problem)}; kept the unit's previous ${current.locationPrecision} coordinate`;
      }
    }
    if (Object.keys(set).length === 0) unchanged += 1;
    else {
      updated += 1;
      writes.push({ set: { ...set, clues: unit.clues } });
    }
  }
  if (!options.dryRun) {
    for (let start = 0; start < writes.length; start += WRITE_BATCH_SIZE) await repos.units.upsertMany(writes.slice(start, start + WRITE_BATCH_SIZE));
  }

  const states = new Set(located.map((u) => u.state.code));
  const levels = new Set(located.map((u) => u.level));
  const absent = [...existing.values()]
    .filter((unit) => unit.active && unit.source !== 'manual' && states.has(unit.state.code) && levels.has(unit.level) && !firstLine.has(unit.clues))
    .map((unit) => unit.clues)
    .sort();

  const skippedTotal = Object.values(byReason).reduce((a, b) => a + b, 0);
  return {
    file: basename(path),
    format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}),
    ...(table.sheet ? { sheet: table.sheet } : {}),
    dryRun: options.dryRun === true,
    institutions,
    rowsRead: table.rows.length + table.unreadable.length,
    units: { inFile: located.length, created, updated, unchanged, mergedManual },
    skipped: { total: skippedTotal, byReason, rows: skippedRows },
    warnings: { total: Object.values(warningsByProblem).reduce((a, b) => a + b, 0), byProblem: warningsByProblem, rows: warnings },
    absent: { total: absent.length, clues: absent.slice(0, REPORT_ROW_LIMIT) },
    durationMs: Date.now() - started,
  };
}

/**
 * `rutas seed`: the national network from the shipped data — every catalogue unit and the known
 * hospitals (nothing invented), the 147 items, one kit template per size class, the national hub
 * and the 23 state warehouses, and the fleet. Idempotent and deterministic: ids are natural keys
 * (CLUES, clave, size class, warehouse/vehicle id) and a second run writes nothing.
 */
import { join } from 'node:path';
import type { HealthUnit } from '../../repositories/units.ts';
import { loadCatalogContext, type CatalogContext } from './context.ts';
import { buildKitTemplates } from './kit.ts';
import { accessFor, buildFleet, buildWarehouses } from './network.ts';
import { readCsv } from './reference.ts';
import type { NetworkRepositories } from './repositories.ts';
import { classifyUnit } from './tipologia.ts';
import { unitTypeLabel } from './clues-rows.ts';
import { mergeOfficial, officialFields, operationalFields, type LocatedUnit, type LocationPrecision } from './unit-records.ts';

export const SEED_BATCH_SIZE = 1000;

export interface SeedReport {
  units: { catalog: number; hospitals: number; inserted: number; updated: number; unchanged: number; keptNewerImport: number; mergedManual: number };
  items: { inserted: number; updated: number };
  kitTemplates: { inserted: number; updated: number };
  warehouses: { inserted: number; updated: number };
  vehicles: { inserted: number; updated: number; byType: Record<string, number> };
  durationMs: number;
}

function precisionOf(value: string, clues: string): LocationPrecision {
  if (value === 'exact' || value === 'locality' || value === 'municipality') return value;
  throw new Error(`units-catalog.csv ${clues}: unknown precision "${value}"`);
}

/** The catalogue units and the hospitals of data/units/, located and classified. */
export function loadSeedUnits(context: CatalogContext): { catalog: LocatedUnit[]; hospitals: LocatedUnit[] } {
  const { reference } = context;
  const locate = (row: Record<string, string>, file: string) => {
    const state = reference.imbStates.get(row.state_code);
    if (!state) throw new Error(`${file} ${row.clues}: state ${row.state_code} is not an IMSS-Bienestar state`);
    const municipality = reference.findMunicipality(state.code, row.municipality);
    const lat = Number(row.lat);
    const lng = Number(row.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) throw new Error(`${file} ${row.clues}: no coordinate`);
    return { state, municipality: municipality ? { code: municipality.code, name: municipality.name } : { name: row.municipality }, lat, lng };
  };
  const catalog = readCsv(join(context.dataDir, 'units', 'units-catalog.csv')).map((row): LocatedUnit => {
    const where = locate(row, 'units-catalog.csv');
    const { sizeClass } = classifyUnit(row.tipologia, row.type, 1);
    return {
      clues: row.clues,
      name: row.name.replace(/\s+/g, ' ').trim(),
      institution: 'IMB',
      ...where,
      level: 1,
      type: unitTypeLabel(sizeClass, row.tipologia),
      tipologia: row.tipologia,
      sizeClass,
      precision: precisionOf(row.precision, row.clues),
    };
  });
  const hospitals = readCsv(join(context.dataDir, 'units', 'hospitals.csv')).map((row): LocatedUnit => {
    const where = locate(row, 'hospitals.csv');
    const level = Number(row.level) as 1 | 2 | 3;
    const { sizeClass } = classifyUnit(row.type, row.type, level);
    return {
      clues: row.clues,
      name: row.name.replace(/\s+/g, ' ').trim(),
      institution: row.clues.slice(2, 5),
      ...where,
      ...(row.locality ? { locality: row.locality } : {}),
      level,
      type: unitTypeLabel(sizeClass, row.type),
      tipologia: row.type,
      sizeClass,
      precision: 'exact',
    };
  });
  return { catalog, hospitals };
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<{ inserted: number; updated: number }>): Promise<{ inserted: number; updated: number }> {
  const total = { inserted: 0, updated: 0 };
  for (let start = 0; start < rows.length; start += SEED_BATCH_SIZE) {
    const result = await write(rows.slice(start, start + SEED_BATCH_SIZE));
    total.inserted += result.inserted;
    total.updated += result.updated;
  }
  return total;
}

export async function seedNetwork(repos: NetworkRepositories, context: CatalogContext = loadCatalogContext(), log: (message: string) => void = () => undefined): Promise<SeedReport> {
  const started = Date.now();
  const { catalog, hospitals } = loadSeedUnits(context);
  const all = [...catalog, ...hospitals];
  const duplicates = all.length - new Set(all.map((u) => u.clues)).size;
  if (duplicates > 0) throw new Error(`the shipped data has ${duplicates} duplicate CLUES`);

  // Units: insert the new, refresh catalogue-sourced ones, merge manual ones, leave imported ones.
  const existing = new Map((await repos.units.all()).map((unit): [string, HealthUnit] => [unit.clues, unit]));
  const inserts: Parameters<NetworkRepositories['units']['insertMany']>[0][number][] = [];
  const writes: Parameters<NetworkRepositories['units']['upsertMany']>[0][number][] = [];
  let unchanged = 0;
  let keptNewerImport = 0;
  let mergedManual = 0;
  for (const unit of all) {
    const official = officialFields(unit, 'catalog');
    const current = existing.get(unit.clues);
    if (!current) {
      inserts.push({ ...official, ...operationalFields(unit, context) });
      continue;
    }
    if (current.source === 'clues-import') {
      keptNewerImport += 1;
      continue;
    }
    if (current.source === 'manual') mergedManual += 1;
    const { set } = mergeOfficial(current, official);
    if (Object.keys(set).length === 0) unchanged += 1;
    else writes.push({ set: { ...set, clues: unit.clues } });
  }
  log(`seed: inserting ${inserts.length} and updating ${writes.length} of ${all.length} units`);
  const writeUnits = async (): Promise<{ inserted: number; updated: number }> => {
    const inserted = await inBatches(inserts, async (batch) => ({ ...(await repos.units.insertMany(batch)), updated: 0 }));
    const refreshed = await inBatches(writes, (batch) => repos.units.upsertMany(batch));
    return { inserted: inserted.inserted + refreshed.inserted, updated: refreshed.updated };
  };

  const items = context.items.map((item) => {
    const logistics = context.itemLogistics.get(item.code);
    if (!logistics) throw new Error(`data/kit/item-logistics.csv has no row for ${item.code}`);
    return { ...item, packSize: logistics.packSize, unitWeightKg: logistics.weightKg, unitVolumeM3: logistics.volumeM3, active: true };
  });

  const templates = buildKitTemplates(context.items, context.itemLogistics, context.sizeClasses).map((template) => ({
    sizeClass: template.sizeClass,
    description: `${template.label}: ${template.lines.length} claves, ${template.totalPieces} piezas, ≈ ${template.weightKg} kg, ≈ ${template.volumeM3} m³ por 30 días (multiplicador ${template.kitMultiplier}; supuesto, ver data/kit/)`,
    coverageDays: 30,
    lines: template.lines.map((line) => ({ code: line.itemCode, quantity: line.quantity })),
  }));

  const warehouses = buildWarehouses(context.reference, context.settings).map((w) => ({
    id: w.id,
    name: w.name,
    kind: w.kind,
    state: w.state,
    location: { type: 'Point' as const, coordinates: [w.lng, w.lat] as [number, number] },
    ...(w.address ? { address: w.address } : {}),
  }));

  // Units and the small collections are written concurrently (the embedded server overlaps
  // them); vehicles go last, so an interrupted seed always leaves them empty (seed-on-start.ts).
  const settled = await Promise.allSettled([writeUnits(), repos.items.upsertMany(items), repos.kitTemplates.upsertMany(templates), repos.warehouses.upsertMany(warehouses)]);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [unitResult, itemResult, templateResult, warehouseResult] = settled.map((result) => (result as PromiseFulfilledResult<{ inserted: number; updated: number }>).value);

  // Fleet by workload: 30-day pieces of each state's units under the kit templates.
  const piecesByClass = new Map(templates.map((t) => [t.sizeClass, t.lines.reduce((sum, line) => sum + line.quantity, 0)]));
  const workload = new Map<string, number>();
  for (const unit of all) workload.set(unit.state.code, (workload.get(unit.state.code) ?? 0) + (piecesByClass.get(unit.sizeClass) ?? 0));
  const needsBoat = (unit: LocatedUnit) => accessFor({ clues: unit.clues, stateCode: unit.state.code, lat: unit.lat, lng: unit.lng }, unit.state, context.reference, context.boatUnits, context.settings).boat;
  const boatStates = new Set(all.filter(needsBoat).map((unit) => unit.state.code));
  const fleet = buildFleet(workload, boatStates, context.settings);
  const vehicleResult = await repos.vehicles.upsertMany(fleet.map((v) => ({ ...v, active: true })));
  const byType: Record<string, number> = {};
  for (const vehicle of fleet) byType[vehicle.type] = (byType[vehicle.type] ?? 0) + 1;

  const report: SeedReport = {
    units: { catalog: catalog.length, hospitals: hospitals.length, ...unitResult, unchanged, keptNewerImport, mergedManual },
    items: itemResult,
    kitTemplates: templateResult,
    warehouses: warehouseResult,
    vehicles: { ...vehicleResult, byType },
    durationMs: Date.now() - started,
  };
  log(`seed: done in ${report.durationMs} ms`);
  return report;
}

/**
 * `rutas import items <csv>`: upserts the kit items by clave from a CSV in the shape of
 * data/kit/kit-items.csv (`code,name,presentation,category,cold_chain,controlled`), UTF-8 or
 * Latin-1, with optional `pack_size`, `weight_kg`, `volume_m3` columns. Items without logistics
 * columns keep data/kit/item-logistics.csv values, or get the assumed values of their pack form.
 * Malformed rows are reported and skipped; the others are imported.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Item } from '../../repositories/items.ts';
import { loadCatalogContext, type CatalogContext } from './context.ts';
import { classifyPackForm, loadPackForms } from './kit.ts';
import { decodeText } from './readers.ts';
import type { NetworkRepositories } from './repositories.ts';

export interface ItemsImportReport {
  file: string;
  encoding: string;
  dryRun: boolean;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: { line: number; code: string; detail: string }[];
}

export class ItemsFileError extends Error {
  override name = 'ItemsFileError';
}

const REQUIRED = ['code', 'name', 'presentation', 'category', 'cold_chain', 'controlled'];
const CODE = /^\d{3}\.\d{3}\.\d{4}\.\d{2}$/;

function optionalNumber(value: string | undefined, field: string, min: number): number | undefined | Error {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  if (!Number.isFinite(n) || n < min) return new Error(`${field} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

export async function importItemsFile(path: string, repos: NetworkRepositories, options: { dryRun?: boolean } = {}, context: CatalogContext = loadCatalogContext()): Promise<ItemsImportReport> {
  const { text, encoding } = decodeText(await readFile(path));
  let records: string[][];
  try {
    const parsed: unknown = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
    records = parsed as string[][];
  } catch (error) {
    throw new ItemsFileError(`not a readable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const header = (records.shift() ?? []).map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new ItemsFileError(`missing column(s): ${missing.join(', ')} (found: ${header.join(', ')})`);
  const col = (name: string) => header.indexOf(name);
  const forms = loadPackForms(context.dataDir);
  const existing = new Map((await repos.items.all()).map((item): [string, Item] => [item.code, item]));
  const report: ItemsImportReport = { file: basename(path), encoding, dryRun: options.dryRun === true, rowsRead: records.length, created: 0, updated: 0, unchanged: 0, skipped: [] };
  const seen = new Set<string>();
  const writes: Parameters<NetworkRepositories['items']['upsertMany']>[0][number][] = [];
  records.forEach((cells, index) => {
    const line = index + 2;
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : undefined);
    const code = get('code') ?? '';
    const fail = (detail: string) => report.skipped.push({ line, code, detail });
    if (!CODE.test(code)) return fail(`"${code}" is not a clave (GGG.EEE.CCCC.VV)`);
    if (seen.has(code)) return fail('duplicate code in the file');
    const name = get('name') ?? '';
    if (name === '') return fail('no name');
    const categoryText = get('category');
    if (categoryText !== 'medicine' && categoryText !== 'supply') return fail(`category must be medicine or supply, got "${categoryText}"`);
    const category: 'medicine' | 'supply' = categoryText;
    const flag = (field: string): boolean | Error => {
      const value = (get(field) ?? '').toLowerCase();
      if (value === 'true') return true;
      if (value === 'false') return false;
      return new Error(`${field} must be true or false, got "${value}"`);
    };
    const coldChain = flag('cold_chain');
    const controlled = flag('controlled');
    const packSize = optionalNumber(get('pack_size'), 'pack_size', 1);
    const weightKg = optionalNumber(get('weight_kg'), 'weight_kg', 0);
    const volumeM3 = optionalNumber(get('volume_m3'), 'volume_m3', 0);
    const problem = [coldChain, controlled, packSize, weightKg, volumeM3].find((v): v is Error => v instanceof Error);
    if (problem) return fail(problem.message);
    seen.add(code);
    const presentation = get('presentation') ?? '';
    const known = context.itemLogistics.get(code);
    const form = forms.get(classifyPackForm(name, presentation));
    const current = existing.get(code);
    const next = {
      code,
      name,
      presentation,
      category,
      coldChain: coldChain as boolean,
      controlled: controlled as boolean,
      packSize: (packSize as number | undefined) ?? current?.packSize ?? known?.packSize ?? 1,
      unitWeightKg: (weightKg as number | undefined) ?? current?.unitWeightKg ?? known?.weightKg ?? form?.weightKg ?? 0,
      unitVolumeM3: (volumeM3 as number | undefined) ?? current?.unitVolumeM3 ?? known?.volumeM3 ?? (form ? form.volumeL / 1000 : 0),
    };
    if (!current) {
      report.created += 1;
      writes.push({ ...next, active: true });
    } else if ((Object.keys(next) as (keyof typeof next)[]).some((key) => current[key] !== next[key])) {
      report.updated += 1;
      writes.push(next);
    } else {
      report.unchanged += 1;
    }
  });
  if (!options.dryRun && writes.length > 0) await repos.items.upsertMany(writes);
  return report;
}

/**
 * The 147-item kit and its assumptions (data/kit/): the item list, per-item logistics (pack
 * form, weight, volume, pieces per 30 days for a 1-núcleo unit) and the size-class multipliers.
 * None of these quantities is published (data/kit/kit-assumptions.md); they are data, never
 * hard-coded, so the operation can replace them without a code change.
 */
import { join } from 'node:path';
import { DATA_DIR, normaliseName, readCsv } from './reference.ts';
import { SIZE_CLASSES, type SizeClass } from './tipologia.ts';

export interface KitItemRecord {
  code: string;
  name: string;
  presentation: string;
  category: 'medicine' | 'supply';
  coldChain: boolean;
  controlled: boolean;
}

export interface ItemLogisticsRecord {
  code: string;
  /** Pack form (data/kit/pack-forms.csv). */
  form: string;
  /** Pieces (envases) per shipping pack; 1 until the real case sizes are known. */
  packSize: number;
  /** Per piece = per envase (the item's presentation). */
  weightKg: number;
  volumeM3: number;
  /** Pieces per 30 days for a unit of one núcleo básico (multiplier 1). */
  basePieces30d: number;
}

export interface SizeClassRecord {
  code: SizeClass;
  label: string;
  kitMultiplier: number;
  serviceTimeMin: number;
  /** Default delivery window, local time "HH:MM". */
  windowStart: string;
  windowEnd: string;
}

export interface PackForm {
  form: string;
  label: string;
  weightKg: number;
  volumeL: number;
  basePieces30d: number;
}

export interface KitTemplateRecord {
  sizeClass: SizeClass;
  label: string;
  kitMultiplier: number;
  /** One line per kit item (147), pieces per 30 days, integers ≥ 1. */
  lines: { itemCode: string; quantity: number }[];
  totalPieces: number;
  weightKg: number;
  volumeM3: number;
}

function positive(value: string, what: string, allowZero = false): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`${what}: expected a positive number, got "${value}"`);
  return n;
}

function positiveInteger(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: expected a whole number ≥ 1, got "${value}"`);
  return n;
}

function bool(value: string, what: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`${what}: expected true or false, got "${value}"`);
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function loadKitItems(dataDir = DATA_DIR): KitItemRecord[] {
  return readCsv(join(dataDir, 'kit', 'kit-items.csv')).map((row, i) => {
    const at = `kit-items.csv row ${i + 2}`;
    if (row.category !== 'medicine' && row.category !== 'supply') throw new Error(`${at}: category must be medicine or supply`);
    return {
      code: row.code,
      name: row.name,
      presentation: row.presentation,
      category: row.category,
      coldChain: bool(row.cold_chain, `${at} cold_chain`),
      controlled: bool(row.controlled, `${at} controlled`),
    };
  });
}

export function loadPackForms(dataDir = DATA_DIR): Map<string, PackForm> {
  return new Map(
    readCsv(join(dataDir, 'kit', 'pack-forms.csv')).map((row) => [
      row.form,
      {
        form: row.form,
        label: row.label,
        weightKg: positive(row.weight_kg, `pack-forms.csv ${row.form} weight_kg`),
        volumeL: positive(row.volume_l, `pack-forms.csv ${row.form} volume_l`),
        basePieces30d: positive(row.base_pieces_30d, `pack-forms.csv ${row.form} base_pieces_30d`),
      },
    ]),
  );
}

export function loadItemLogistics(dataDir = DATA_DIR): Map<string, ItemLogisticsRecord> {
  return new Map(
    readCsv(join(dataDir, 'kit', 'item-logistics.csv')).map((row) => [
      row.code,
      {
        code: row.code,
        form: row.form,
        packSize: row.pack_size === undefined || row.pack_size === '' ? 1 : positiveInteger(row.pack_size, `item-logistics.csv ${row.code} pack_size`),
        weightKg: positive(row.weight_kg, `item-logistics.csv ${row.code} weight_kg`),
        volumeM3: positive(row.volume_m3, `item-logistics.csv ${row.code} volume_m3`),
        basePieces30d: positive(row.base_pieces_30d, `item-logistics.csv ${row.code} base_pieces_30d`, true),
      },
    ]),
  );
}

export function loadSizeClasses(dataDir = DATA_DIR): Map<SizeClass, SizeClassRecord> {
  const classes = new Map<SizeClass, SizeClassRecord>();
  for (const row of readCsv(join(dataDir, 'kit', 'size-classes.csv'))) {
    const code = row.code as SizeClass;
    if (!SIZE_CLASSES.includes(code)) throw new Error(`size-classes.csv: unknown size class "${row.code}"`);
    if (!TIME.test(row.window_start) || !TIME.test(row.window_end) || row.window_start >= row.window_end) {
      throw new Error(`size-classes.csv ${code}: window_start/window_end must be HH:MM with start < end`);
    }
    classes.set(code, {
      code,
      label: row.label,
      kitMultiplier: positive(row.kit_multiplier, `size-classes.csv ${code} kit_multiplier`),
      serviceTimeMin: positive(row.service_time_min, `size-classes.csv ${code} service_time_min`),
      windowStart: row.window_start,
      windowEnd: row.window_end,
    });
  }
  const missing = SIZE_CLASSES.filter((code) => !classes.has(code));
  if (missing.length > 0) throw new Error(`size-classes.csv: missing size classes ${missing.join(', ')}`);
  return classes;
}

/** Content of one piece in ml or g as stated by its presentation ("ENVASE CON 120 ML" → 120). */
export function packContent(presentation: string): number | undefined {
  const match = /(\d+(?:\.\d+)?)\s*(ML|G|GR|GRAMOS)\b/.exec(normaliseName(presentation).replace(/(\d) (\d)/g, '$1.$2'));
  return match ? Number(match[1]) : undefined;
}

/** Pack form of an item, from its name and presentation (rules in data/kit/pack-forms.csv). */
export function classifyPackForm(name: string, presentation: string): string {
  const n = normaliseName(name);
  const p = normaliseName(presentation);
  const content = packContent(presentation);
  if (/INTRAUTERINO/.test(n)) return 'device';
  if (/OFTALMICA/.test(n)) return 'ophthalmic';
  if (/INYECTABLE/.test(n)) {
    if (content === 1000) return 'iv-solution';
    const count = /CON (\d+) AMP/.exec(p);
    if (count && Number(count[1]) >= 50) return 'injectable-bulk';
    return 'injectable';
  }
  if (/AEROSOL|INHALACION/.test(n)) return 'inhaler';
  if (/OVULO|VAGINAL|SUPOSITORIO/.test(n)) return 'vaginal-rectal';
  if (/CREMA|PASTA|UNGUENTO/.test(n)) return 'topical';
  if (/POLVO/.test(n) && !/SUSPENSION/.test(n)) return content !== undefined && content > 100 ? 'powder-large' : 'powder';
  if (/SOLUCION ORAL|SUSPENSION|JARABE|GOTAS/.test(n) || /\bML\b/.test(p)) {
    if (content !== undefined && content <= 30) return 'oral-liquid-small';
    if (content !== undefined && content > 150) return 'oral-liquid-large';
    return 'oral-liquid';
  }
  return 'oral-solid';
}

/** Pieces of an item for a size class: base × multiplier rounded UP to whole pieces, at least 1. */
export function kitQuantity(basePieces30d: number, kitMultiplier: number): number {
  return Math.max(1, Math.ceil(basePieces30d * kitMultiplier - 1e-9));
}

/** One 147-line template per size class, in item-code order. */
export function buildKitTemplates(
  items: KitItemRecord[],
  logistics: Map<string, ItemLogisticsRecord>,
  sizeClasses: Map<SizeClass, SizeClassRecord>,
): KitTemplateRecord[] {
  const sortedItems = [...items].sort((a, b) => a.code.localeCompare(b.code));
  for (const item of sortedItems) {
    if (!logistics.has(item.code)) throw new Error(`item-logistics.csv has no row for item ${item.code}`);
  }
  return SIZE_CLASSES.map((code) => {
    const sizeClass = sizeClasses.get(code)!;
    let totalPieces = 0;
    let weightKg = 0;
    let volumeM3 = 0;
    const lines = sortedItems.map((item) => {
      const l = logistics.get(item.code)!;
      const quantity = kitQuantity(l.basePieces30d, sizeClass.kitMultiplier);
      totalPieces += quantity;
      weightKg += quantity * l.weightKg;
      volumeM3 += quantity * l.volumeM3;
      return { itemCode: item.code, quantity };
    });
    return {
      sizeClass: code,
      label: sizeClass.label,
      kitMultiplier: sizeClass.kitMultiplier,
      lines,
      totalPieces,
      weightKg: Math.round(weightKg * 1000) / 1000,
      volumeM3: Math.round(volumeM3 * 10000) / 10000,
    };
  });
}

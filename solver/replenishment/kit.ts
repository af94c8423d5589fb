/**
 * Kit composition for one delivery: every catalogue line (147 claves) with an integer quantity,
 * plus totals for loading (pieces of medicine vs supplies, kg, m³, cold boxes).
 *
 * Per-item quantities, weights and volumes are NOT published (data/kit/kit-assumptions.md); they
 * arrive here as data ({@link ItemLogistics}, {@link KitTemplate}) and are never hard-coded.
 * Unit of count: one "pieza" = one envase (the item's `presentation`), as in the route programme.
 */
import { ceilQuantity, invalid, requireCount, requireNonNegative } from './errors.ts';

export type ItemCategory = 'medicine' | 'supply';

/** One row of data/kit/kit-items.csv. */
export interface KitItem {
  readonly code: string;
  readonly name: string;
  readonly presentation: string;
  readonly category: ItemCategory;
  readonly coldChain: boolean;
  readonly controlled: boolean;
}

/** Per-item loading assumptions (per piece = per envase). */
export interface ItemLogistics {
  readonly code: string;
  readonly weightKgPerPiece: number;
  readonly volumeM3PerPiece: number;
}

/**
 * Kit template: pieces per 30 days per item for each unit size class (e.g. "rural-1-nb").
 * Used as the fallback AMC for units without reports and as the default kit content.
 */
export type KitTemplate = Readonly<Record<string, Readonly<Record<string, number>>>>;

function parseBoolean(value: string, field: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return invalid(field, `must be true or false, got "${value}"`);
}

/**
 * Parses kit-items.csv text (header `code,name,presentation,category,cold_chain,controlled`, no
 * quoted fields). Pure: the caller reads the file. Rejects duplicates and malformed rows.
 */
export function parseKitItemsCsv(text: string): KitItem[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header?.trim() !== 'code,name,presentation,category,cold_chain,controlled') {
    invalid('kit-items.csv:1', 'header must be code,name,presentation,category,cold_chain,controlled');
  }
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const at = `kit-items.csv:${i + 2}`;
    const cells = line.split(',');
    if (cells.length !== 6) invalid(at, `expected 6 fields, got ${cells.length}`);
    const [code, name, presentation, category, coldChain, controlled] = cells.map((c) => c.trim());
    if (code === '') invalid(`${at}.code`, 'is required');
    if (seen.has(code)) invalid(`${at}.code`, `duplicate code "${code}"`);
    seen.add(code);
    if (category !== 'medicine' && category !== 'supply') invalid(`${at}.category`, `must be medicine or supply, got "${category}"`);
    return {
      code,
      name,
      presentation,
      category,
      coldChain: parseBoolean(coldChain, `${at}.cold_chain`),
      controlled: parseBoolean(controlled, `${at}.controlled`),
    };
  });
}

export interface KitLine {
  readonly code: string;
  readonly category: ItemCategory;
  /** Integer pieces in the kit (0 allowed: the line stays visible). */
  readonly quantity: number;
  /** Where the quantity came from. */
  readonly source: 'order' | 'template' | 'none';
  readonly coldChain: boolean;
  readonly controlled: boolean;
  readonly weightKg: number;
  readonly volumeM3: number;
}

export interface KitTotals {
  /** Lines with quantity > 0 ("claves a desplazar"). */
  readonly claves: number;
  readonly medicinePieces: number;
  /** Material de curación pieces (0 with the current all-medicine catalogue). */
  readonly supplyPieces: number;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly coldChainPieces: number;
  readonly coldChainVolumeM3: number;
  /** ceil(cold-chain volume / cold box capacity): the only rounding of the totals, UP. */
  readonly coldBoxes: number;
  readonly controlledPieces: number;
}

export interface KitComposition {
  readonly unitId: string;
  readonly lines: KitLine[];
  readonly totals: KitTotals;
}

export interface ComposeKitInput {
  readonly unitId: string;
  /** The catalogue (147 items); every item becomes one line, in catalogue order. */
  readonly items: readonly KitItem[];
  /** Integer pieces per item code from reorder/allocation (e.g. requestedQuantity or allocated). */
  readonly quantities?: Readonly<Record<string, number>>;
  /** Template pieces per item for the unit's size class; used where `quantities` has no entry. */
  readonly template?: Readonly<Record<string, number>>;
  readonly logistics: readonly ItemLogistics[];
  /** Usable volume of one cold box (m³), e.g. 0.02 for a 20-litre box. */
  readonly coldBoxCapacityM3: number;
}

/**
 * Builds the kit of one unit. Quantities must already be integers (they come from reorder or
 * allocation, which round explicitly); a fractional quantity is an error, never rounded here.
 */
export function composeKit(input: ComposeKitInput): KitComposition {
  const capacity = requireNonNegative(input.coldBoxCapacityM3, 'coldBoxCapacityM3', true);
  const logistics = new Map(input.logistics.map((l) => [l.code, l]));
  const known = new Set(input.items.map((i) => i.code));
  for (const code of Object.keys(input.quantities ?? {})) {
    if (!known.has(code)) invalid(`quantities.${code}`, 'unknown item code (not in the catalogue)');
  }
  const lines = input.items.map((item): KitLine => {
    const ordered = input.quantities?.[item.code];
    const templated = input.template?.[item.code];
    const source = ordered !== undefined ? 'order' : templated !== undefined ? 'template' : 'none';
    const quantity = requireCount(ordered ?? templated ?? 0, `quantities.${item.code}`);
    const perPiece = logistics.get(item.code);
    if (!perPiece && quantity > 0) invalid(`logistics.${item.code}`, 'missing weight/volume assumption for an item in the kit');
    return {
      code: item.code,
      category: item.category,
      quantity,
      source,
      coldChain: item.coldChain,
      controlled: item.controlled,
      weightKg: quantity * (perPiece?.weightKgPerPiece ?? 0),
      volumeM3: quantity * (perPiece?.volumeM3PerPiece ?? 0),
    };
  });
  const sum = (pick: (line: KitLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const coldChainVolumeM3 = sum((l) => (l.coldChain ? l.volumeM3 : 0));
  return {
    unitId: input.unitId,
    lines,
    totals: {
      claves: lines.filter((l) => l.quantity > 0).length,
      medicinePieces: sum((l) => (l.category === 'medicine' ? l.quantity : 0)),
      supplyPieces: sum((l) => (l.category === 'supply' ? l.quantity : 0)),
      weightKg: sum((l) => l.weightKg),
      volumeM3: sum((l) => l.volumeM3),
      coldChainPieces: sum((l) => (l.coldChain ? l.quantity : 0)),
      coldChainVolumeM3,
      coldBoxes: coldChainVolumeM3 > 0 ? ceilQuantity(coldChainVolumeM3 / capacity) : 0,
      controlledPieces: sum((l) => (l.controlled ? l.quantity : 0)),
    },
  };
}

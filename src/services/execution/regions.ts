import { readFileSync } from 'node:fs';

/** The operation's five fixed regions (operation.md §7b), used to group progress and evidence. */
export const REGIONS = ['Centro', 'Noreste', 'Noroeste', 'Sureste', 'Suroeste'] as const;
export type Region = (typeof REGIONS)[number];

export type RegionMap = ReadonlyMap<string, Region>;

/** Parses data/regions.csv (state_code,state,region). Throws on an unknown region or bad row. */
export function parseRegions(csv: string): RegionMap {
  const map = new Map<string, Region>();
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift()?.split(',').map((h) => h.trim());
  if (!header || header[0] !== 'state_code' || header[2] !== 'region') throw new Error('regions.csv: header must be state_code,state,region');
  for (const line of lines) {
    const cells = line.split(',').map((cell) => cell.trim());
    const code = cells[0];
    const region = cells[cells.length - 1] as Region;
    if (!/^\d{2}$/.test(code) || !REGIONS.includes(region)) throw new Error(`regions.csv: bad row "${line}"`);
    map.set(code, region);
  }
  return map;
}

export function loadRegions(path: string): RegionMap {
  return parseRegions(readFileSync(path, 'utf8'));
}

export function regionOf(regions: RegionMap, stateCode: string): Region | undefined {
  return regions.get(stateCode);
}

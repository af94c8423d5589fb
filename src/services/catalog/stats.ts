/**
 * Network statistics for `rutas stats --json` and GET /api/v1/stats. Counted in TypeScript over
 * a projection of the units (the embedded server is slow at aggregation pipelines).
 */
import { ForbiddenError } from '../../errors.ts';
import type { Principal } from '../auth.ts';
import type { NetworkRepositories } from './repositories.ts';

export interface NetworkStats {
  units: {
    total: number;
    active: number;
    /** Units from the catalogue or a CLUES import (not registered by hand). */
    real: number;
    manual: number;
    /** Units per INEGI state code ("07": n). */
    byState: Record<string, number>;
    byPrecision: Record<string, number>;
    bySource: Record<string, number>;
  };
  items: number;
  kitTemplates: number;
  warehouses: number;
  vehicles: { byType: Record<string, number> };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Keys sorted so the JSON is stable (state codes in INEGI order). */
function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export async function networkStats(repos: NetworkRepositories): Promise<NetworkStats> {
  const [units, items, kitTemplates, warehouses, vehicles] = await Promise.all([
    repos.units.summaries(),
    repos.items.count(),
    repos.kitTemplates.count(),
    repos.warehouses.count(),
    repos.vehicles.all(),
  ]);
  const byState: Record<string, number> = {};
  const byPrecision: Record<string, number> = { exact: 0, locality: 0, municipality: 0 };
  const bySource: Record<string, number> = { catalog: 0, 'clues-import': 0, manual: 0 };
  let active = 0;
  for (const unit of units) {
    if (unit.active) active += 1;
    bump(byState, unit.stateCode);
    bump(byPrecision, unit.locationPrecision);
    bump(bySource, unit.source);
  }
  const byType: Record<string, number> = {};
  for (const vehicle of vehicles) if (vehicle.active) bump(byType, vehicle.type);
  return {
    units: {
      total: units.length,
      active,
      real: (bySource.catalog ?? 0) + (bySource['clues-import'] ?? 0),
      manual: bySource.manual ?? 0,
      byState: sorted(byState),
      byPrecision,
      bySource,
    },
    items,
    kitTemplates,
    warehouses,
    vehicles: { byType: sorted(byType) },
  };
}

/** The stats use case for the API: any staff role (admin, national, planner, warehouse) may read it. */
export function createStatsService(repos: NetworkRepositories, authorize: (principal: Principal, action: string) => void) {
  return {
    async get(principal: Principal): Promise<NetworkStats> {
      authorize(principal, 'units:read');
      if (principal.role === 'unit') throw new ForbiddenError('A unit token cannot read the network statistics.');
      return networkStats(repos);
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;

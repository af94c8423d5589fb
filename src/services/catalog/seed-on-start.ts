/**
 * Seeding at `npm start`: when any collection of the national network is empty (a fresh
 * database, or a seed interrupted before its last step: vehicles are written last), the seed
 * runs in the background after the server listens. /readyz stays 503 until it has finished, so
 * readiness is honest; a failed seed is logged and readiness returns (the service works, the
 * data is incomplete, and the next start or `rutas seed` completes it).
 */
import type { Logger } from '../../logging.ts';
import type { NetworkRepositories } from './repositories.ts';
import { seedNetwork, type SeedReport } from './seed.ts';

export interface StartupSeed {
  /** True while the seed runs (readiness must say "not ready"). */
  running(): boolean;
  /** Settles when the seed has finished, failed or was not needed (never rejects). */
  done: Promise<SeedReport | undefined>;
}

export async function networkIsIncomplete(repos: NetworkRepositories): Promise<boolean> {
  const counts = await Promise.all([repos.units.count(), repos.items.count(), repos.kitTemplates.count(), repos.warehouses.count(), repos.vehicles.count()]);
  return counts.some((n) => n === 0);
}

export function seedOnStart(repos: NetworkRepositories, logger: Logger, enabled: boolean): StartupSeed {
  let running = enabled;
  const done = (async (): Promise<SeedReport | undefined> => {
    if (!enabled) return undefined;
    try {
      if (!(await networkIsIncomplete(repos))) return undefined;
      logger.info('seeding the national network in the background (readiness waits for it)');
      const report = await seedNetwork(repos, undefined, (message) => logger.debug(message));
      logger.info(
        { units: report.units.inserted + report.units.updated + report.units.unchanged, items: report.items.inserted + report.items.updated, durationMs: report.durationMs },
        'national network seeded',
      );
      return report;
    } catch (error) {
      logger.error({ err: error }, 'seeding the national network failed; run `rutas seed` to complete it');
      return undefined;
    } finally {
      running = false;
    }
  })();
  return { running: () => running, done };
}

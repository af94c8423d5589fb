import { loadItemLogistics, loadKitItems, loadSizeClasses, type ItemLogisticsRecord, type KitItemRecord } from './kit.ts';
import { loadBoatUnits, loadNetworkSettings } from './network.ts';
import { DATA_DIR, loadReferenceData } from './reference.ts';
import type { UnitContext } from './unit-records.ts';

/** Everything the seed and the imports read from data/, loaded once per data directory. */
export interface CatalogContext extends UnitContext {
  dataDir: string;
  items: KitItemRecord[];
  itemLogistics: Map<string, ItemLogisticsRecord>;
}

const cache = new Map<string, CatalogContext>();

export function loadCatalogContext(dataDir = DATA_DIR): CatalogContext {
  let context = cache.get(dataDir);
  if (!context) {
    context = {
      dataDir,
      reference: loadReferenceData(dataDir),
      sizeClasses: loadSizeClasses(dataDir),
      boatUnits: loadBoatUnits(dataDir),
      settings: loadNetworkSettings(dataDir),
      items: loadKitItems(dataDir),
      itemLogistics: loadItemLogistics(dataDir),
    };
    cache.set(dataDir, context);
  }
  return context;
}

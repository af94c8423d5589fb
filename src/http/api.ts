import { Router, type RequestHandler } from 'express';
import type { Logger } from '../logging.ts';
import type { CoreServices } from '../services/index.ts';
import { auditWrites, authenticate, rateLimitPerToken, requireAuth } from './auth.ts';
import { accessRouter } from './routes/access.ts';
import { catalogueRouter } from './routes/catalogue.ts';
import { unitsRouter } from './routes/units.ts';
import { warehousesRouter } from './routes/warehouses.ts';

export interface ApiDeps {
  services: Pick<CoreServices, 'tokens' | 'audit' | 'units' | 'warehouses' | 'vehicles' | 'items' | 'kitTemplates' | 'lots' | 'stockReports'>;
  logger: Logger;
  rateLimitPerMinute: number;
  /** Routers of later features (plans, rounds, deliveries…), mounted after the core ones. */
  routers?: RequestHandler[];
}

/**
 * The /api/v1 router: authentication → rate limit (per token; per IP for failed attempts) →
 * 401 for anonymous callers → audit of writes → resource routers.
 */
export function createApi(deps: ApiDeps): Router {
  const { services } = deps;
  const api = Router();
  api.use(authenticate(services.tokens));
  api.use(rateLimitPerToken(deps.rateLimitPerMinute));
  api.use(auditWrites(services.audit, deps.logger));
  api.use(requireAuth);
  api.use(unitsRouter({ units: services.units, stockReports: services.stockReports }));
  api.use(warehousesRouter({ warehouses: services.warehouses, lots: services.lots }));
  api.use(catalogueRouter({ vehicles: services.vehicles, items: services.items, kitTemplates: services.kitTemplates }));
  api.use(accessRouter({ tokens: services.tokens, audit: services.audit }));
  for (const router of deps.routers ?? []) api.use(router);
  return api;
}

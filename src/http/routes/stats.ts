import { Router } from 'express';
import type { StatsService } from '../../services/catalog/stats.ts';
import { principalOf } from '../auth.ts';

/** GET /stats: counts of the national network (same document as `rutas stats --json`). */
export function statsRouter(deps: { stats: StatsService }): Router {
  const router = Router();
  router.get('/stats', async (req, res) => {
    res.json(await deps.stats.get(principalOf(req)));
  });
  return router;
}

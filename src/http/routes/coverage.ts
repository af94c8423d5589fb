import { Router, type Request } from 'express';
import type { CoverageService, CoverageStatus } from '../../services/coverage.ts';
import type { Actor } from '../../services/rounds.ts';
import { query } from './rounds.ts';

/** GET /coverage?month=YYYY-MM: every active unit with its delivery date or why it is not covered. */
export function coverageRouter(deps: { coverage: CoverageService; actorOf: (req: Request) => Actor }): Router {
  const router = Router();
  router.get('/coverage', async (req, res) => {
    const report = await deps.coverage.report(query(req, 'month') ?? '', deps.actorOf(req), {
      state: query(req, 'state'),
      status: query(req, 'status') as CoverageStatus | undefined,
    });
    res.json(report);
  });
  return router;
}

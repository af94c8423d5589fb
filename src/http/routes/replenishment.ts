import { Router, type Request } from 'express';
import type { CreateRunRequest, ReplenishmentService, RunActor } from '../../services/replenishment/runs.ts';

/**
 * Replenishment runs (issue 7). Thin: the request was validated against openapi.yaml; roles,
 * state scope and cross-field rules live in the service.
 */
export interface ReplenishmentRouterDeps {
  replenishment: ReplenishmentService;
  /** The authenticated caller (set by the auth middleware mounted before this router). */
  actorOf: (req: Request) => RunActor;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function query(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function page(req: Request) {
  return { limit: Number(query(req, 'limit') ?? 50), cursor: query(req, 'cursor') };
}

export function replenishmentRouter(deps: ReplenishmentRouterDeps): Router {
  const router = Router();
  const service = deps.replenishment;

  router.post('/replenishment/runs', async (req, res) => {
    const run = await service.createRun(req.body as CreateRunRequest, deps.actorOf(req));
    res.status(201).setHeader('Location', `/api/v1/replenishment/runs/${run.id}`).json(run);
  });

  router.get('/replenishment/runs', async (req, res) => {
    res.json(await service.listRuns({ status: query(req, 'status'), warehouseId: query(req, 'warehouseId') }, page(req), deps.actorOf(req)));
  });

  router.get('/replenishment/runs/:runId', async (req, res) => {
    res.json(await service.getRun(param(req, 'runId'), deps.actorOf(req)));
  });

  router.get('/replenishment/runs/:runId/units', async (req, res) => {
    res.json(await service.listRunUnits(param(req, 'runId'), page(req), deps.actorOf(req)));
  });

  router.get('/replenishment/runs/:runId/units/:clues', async (req, res) => {
    res.json(await service.getRunUnit(param(req, 'runId'), param(req, 'clues'), deps.actorOf(req)));
  });

  router.get('/replenishment/runs/:runId/items/:code', async (req, res) => {
    res.json(await service.getRunItem(param(req, 'runId'), param(req, 'code'), deps.actorOf(req)));
  });

  return router;
}

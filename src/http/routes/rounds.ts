import { Router, type Request } from 'express';
import type { PlanningService } from '../../services/planning/service.ts';
import { roundView, type Actor, type CreateRoundRequest, type RoundService } from '../../services/rounds.ts';

/**
 * Rounds (issue 13): create, list, show, cancel, close, the default calendar's proposal, and
 * plan requests. Thin: the request was validated against openapi.yaml; rules live in services.
 */
export interface RoundsRouterDeps {
  rounds: RoundService;
  planning: PlanningService;
  actorOf: (req: Request) => Actor;
}

export function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

export function query(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function roundsRouter(deps: RoundsRouterDeps): Router {
  const router = Router();

  router.post('/rounds', async (req, res) => {
    const round = await deps.rounds.create(req.body as CreateRoundRequest, deps.actorOf(req));
    res.status(201).setHeader('Location', `/api/v1/rounds/${round.id}`).json(roundView(round));
  });

  router.get('/rounds', async (req, res) => {
    const status = query(req, 'status') as Parameters<RoundService['list']>[0]['status'];
    const rounds = await deps.rounds.list({ status, month: query(req, 'month'), type: query(req, 'type') }, deps.actorOf(req));
    res.json({ items: rounds.map(roundView) });
  });

  router.get('/rounds/calendar', (req, res) => {
    const months = (query(req, 'months') ?? '').split(',').filter((m) => m !== '');
    res.json({ items: months.map((month) => ({ month, ...deps.rounds.propose(month) })) });
  });

  router.get('/rounds/:id', async (req, res) => {
    res.json(roundView(await deps.rounds.get(param(req, 'id'), deps.actorOf(req))));
  });

  router.post('/rounds/:id/cancel', async (req, res) => {
    const body = (req.body ?? {}) as { reason?: string };
    res.json(roundView(await deps.rounds.cancel(param(req, 'id'), body.reason, deps.actorOf(req))));
  });

  router.post('/rounds/:id/close', async (req, res) => {
    res.json(roundView(await deps.rounds.close(param(req, 'id'), deps.actorOf(req))));
  });

  router.post('/rounds/:id/plans', async (req, res) => {
    const actor = deps.actorOf(req);
    const plan = await deps.planning.requestPlan(param(req, 'id'), (req.body ?? {}) as { seed?: number; timeBudgetMs?: number }, actor);
    deps.planning.startInBackground(plan.id);
    res.status(202).setHeader('Location', `/api/v1/plans/${plan.id}`).json({ id: plan.id, roundId: plan.roundId, status: plan.status });
  });

  router.get('/rounds/:id/plans', async (req, res) => {
    res.json({ items: await deps.planning.list(param(req, 'id'), deps.actorOf(req)) });
  });

  return router;
}

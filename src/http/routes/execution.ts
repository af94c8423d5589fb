import { Router, type Request, type Response } from 'express';
import { BadRequestError } from '../../errors.ts';
import { setAuditResource } from '../auth.ts';
import type { DeliveryInput, DeliveryService } from '../../services/execution/deliveries.ts';
import type { EvidenceService } from '../../services/execution/evidence.ts';
import { parseMultipart } from '../../services/execution/multipart.ts';
import type { ReplanService } from '../../services/execution/replan-service.ts';
import type { ExecutionEvents } from '../../services/execution/events.ts';
import type { RoundExecutionService } from '../../services/execution/rounds.ts';
import type { Actor } from '../../services/execution/types.ts';

/** Files one evidence upload may carry; openapi.yaml states the same bound (maxItems of `file`). */
export const MAX_EVIDENCE_FILES_PER_UPLOAD = 10;

/**
 * Round execution: proof of delivery, evidence, planned vs delivered (JSON and SSE), the
 * evidence report and replanning. Thin: parse → service → map; scope checks live in the services.
 */

export interface ExecutionRouterDeps {
  deliveries: DeliveryService;
  evidence: EvidenceService;
  rounds: RoundExecutionService;
  replan: ReplanService;
  events: ExecutionEvents;
  /** The authenticated caller (set by the auth middleware mounted before this router). */
  actorOf: (req: Request) => Actor;
  evidenceMaxBytes: number;
  /** Files per evidence upload request. */
  maxFilesPerUpload?: number;
  /** SSE comment heartbeat, keeps proxies from closing idle streams. */
  heartbeatMs?: number;
}

/** Paths (below /api/v1) that accept multipart/form-data: wire into createApp's multipartPaths. */
export function isExecutionMultipartPath(path: string): boolean {
  return /^\/plans\/[^/]+\/stops\/[^/]+\/evidence\/?$/.test(path);
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function query(req: Request, name: string): string | undefined {
  // The OpenAPI validator has already coerced documented parameters (limit is a number).
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function idempotencyKey(req: Request): string {
  const key = req.get('idempotency-key')?.trim();
  if (!key) throw new BadRequestError('The Idempotency-Key header is required.', [{ pointer: '/headers/idempotency-key', detail: 'is required' }]);
  return key;
}

function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function executionRouter(deps: ExecutionRouterDeps): Router {
  const router = Router();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;

  router.post('/plans/:id/stops/:clues/delivery', async (req, res) => {
    const outcome = await deps.deliveries.record(deps.actorOf(req), param(req, 'id'), param(req, 'clues'), req.body as DeliveryInput, idempotencyKey(req));
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    setAuditResource(res, `${outcome.body.planId}|${outcome.body.clues}`);
    res.status(outcome.status).json(outcome.body);
  });

  router.get('/plans/:id/stops/:clues/delivery', async (req, res) => {
    res.json(await deps.deliveries.get(deps.actorOf(req), param(req, 'id'), param(req, 'clues')));
  });

  router.post('/plans/:id/stops/:clues/evidence', async (req, res) => {
    const actor = deps.actorOf(req);
    if (!req.is('multipart/form-data')) {
      throw new BadRequestError('Evidence is uploaded as multipart/form-data with one or more "file" parts.');
    }
    const upload = await parseMultipart(req, req.headers, { maxFileBytes: deps.evidenceMaxBytes, maxFiles: deps.maxFilesPerUpload ?? MAX_EVIDENCE_FILES_PER_UPLOAD });
    const outcome = await deps.evidence.upload(actor, param(req, 'id'), param(req, 'clues'), upload.files, upload.fields);
    setAuditResource(res, outcome.body.items.map((item) => item.sha256.slice(0, 16)).join(',').slice(0, 200));
    res.status(outcome.status).json(outcome.body);
  });

  router.get('/plans/:id/stops/:clues/evidence', async (req, res) => {
    res.json({ items: await deps.evidence.list(deps.actorOf(req), param(req, 'id'), param(req, 'clues')) });
  });

  router.get('/plans/:id/stops/:clues/evidence/:sha256', async (req, res) => {
    const file = await deps.evidence.download(deps.actorOf(req), param(req, 'id'), param(req, 'clues'), param(req, 'sha256'));
    res.status(200);
    res.setHeader('Content-Type', file.mime);
    res.setHeader('Content-Length', String(file.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition('attachment', file.fileName));
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    await new Promise<void>((resolve, reject) => {
      file.stream.on('error', reject);
      res.on('finish', resolve);
      res.on('close', resolve);
      file.stream.pipe(res);
    });
  });

  router.get('/plans/:id/stops/:clues/evidence/:sha256/thumbnail', async (req, res) => {
    const bytes = await deps.evidence.thumbnail(deps.actorOf(req), param(req, 'id'), param(req, 'clues'), param(req, 'sha256'));
    res.status(200).setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.type('image/jpeg').send(bytes);
  });

  router.get('/rounds/:id/evidence', async (req, res) => {
    const limit = Number(query(req, 'limit') ?? 100);
    const items = await deps.evidence.listRound(deps.actorOf(req), param(req, 'id'), { state: query(req, 'state'), day: query(req, 'day'), clues: query(req, 'clues'), limit });
    res.json(items);
  });

  router.get('/rounds/:id/progress', async (req, res) => {
    res.json(await deps.rounds.progress(deps.actorOf(req), param(req, 'id')));
  });

  router.get('/rounds/:id/progress/events', async (req, res) => {
    const actor = deps.actorOf(req);
    const roundId = param(req, 'id');
    // Fail before switching to a stream: a bad round or role is a normal problem+json answer.
    const first = await deps.rounds.progress(actor, roundId);
    streamProgress(req, res, heartbeatMs, deps.events, (send, signal) => {
      send(first);
      return deps.rounds.watch(actor, roundId, send, signal, JSON.stringify({ ...first, generatedAt: undefined }));
    });
  });

  router.get('/rounds/:id/evidence-report', async (req, res) => {
    const report = await deps.rounds.evidenceReport(deps.actorOf(req), param(req, 'id'), query(req, 'region'), query(req, 'state'));
    res.status(200).setHeader('Content-Disposition', contentDisposition('attachment', report.fileName));
    res.type('application/pdf').send(report.pdf);
  });

  router.post('/plans/:id/replan', async (req, res) => {
    const body = (req.body ?? {}) as { vehiclesOut?: string[]; unitsClosed?: string[]; from?: string };
    const outcome = await deps.replan.replan(deps.actorOf(req), param(req, 'id'), body, req.get('idempotency-key')?.trim() || undefined);
    setAuditResource(res, outcome.planId);
    res.status(200).json(outcome);
  });

  return router;
}

function streamProgress(
  req: Request,
  res: Response,
  heartbeatMs: number,
  events: ExecutionEvents,
  start: (send: (data: unknown) => void, signal: AbortSignal) => { done: Promise<void> },
): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const controller = new AbortController();
  let sequence = 0;
  const send = (data: unknown): void => {
    sequence += 1;
    res.write(`id: ${sequence}\nevent: progress\ndata: ${JSON.stringify(data)}\n\n`);
  };
  res.write(`retry: 5000\n\n`);
  const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), heartbeatMs);
  const stop = (): void => {
    clearInterval(heartbeat);
    controller.abort();
    offShutdown();
  };
  const offShutdown = events.onShutdown(() => {
    stop();
    res.end();
  });
  req.on('close', stop);
  res.on('close', stop);
  start(send, controller.signal);
}

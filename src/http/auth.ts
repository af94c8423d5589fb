import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { DomainError, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { AuditEntryInput } from '../services/audit.ts';
import type { Principal } from '../services/auth.ts';
import { sendStatusProblem } from './problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The authenticated token, set by `authenticate`. */
    principal?: Principal;
    /** Why authentication failed (answered as 401 by `requireAuth`, after the rate limit). */
    authError?: DomainError;
  }
}

/** The authenticated caller of a request that passed `requireAuth`. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError('Send an API token: Authorization: Bearer <token>.');
  return req.principal;
}

/**
 * Resolves the bearer token. A bad token does not answer yet: it is recorded so the rate
 * limiter can count failed attempts per IP before `requireAuth` answers 401. Database errors
 * propagate (→ 503).
 */
export function authenticate(tokens: { authenticate(header: string | undefined): Promise<Principal> }): RequestHandler {
  return async (req, _res, next) => {
    try {
      req.principal = await tokens.authenticate(req.get('authorization'));
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        req.authError = error;
      } else {
        next(error);
        return;
      }
    }
    next();
  };
}

/** 401 for documented operations without a valid token; undocumented paths fall through to 404. */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.principal || !req.openapi) {
    next();
    return;
  }
  res.setHeader('WWW-Authenticate', 'Bearer realm="rutas"');
  next(req.authError ?? new UnauthorizedError('Send an API token: Authorization: Bearer <token>.'));
};

/**
 * `limitPerMinute` requests per minute per token (per IP for requests without a valid token),
 * answered with a 429 problem and RateLimit headers. The counters live in this process.
 */
export function rateLimitPerToken(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (req.principal ? `token:${req.principal.tokenId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`),
    handler: (req, res) => {
      sendStatusProblem(req, res, 429, `More than ${limitPerMinute} requests in a minute for this token; retry after the time in the Retry-After header.`);
    },
  });
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routers call this so the audit entry names the resource a write created or changed. */
export function setAuditResource(res: Response, id: string): void {
  res.locals.auditResourceId = id;
}

/** Records every write request under /api/v1 once its response is sent: who, when, what, outcome. */
export function auditWrites(audit: { record(entry: AuditEntryInput): Promise<void> }, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!WRITE_METHODS.has(req.method)) {
      next();
      return;
    }
    const started = Date.now();
    res.once('finish', () => {
      const principal = req.principal;
      const resourceId = res.locals.auditResourceId as string | undefined;
      const entry: AuditEntryInput = {
        at: new Date(started),
        method: req.method,
        path: req.originalUrl.split('?')[0].slice(0, 512),
        operationId: req.openapi?.operationId,
        status: res.statusCode,
        tokenId: principal?.tokenId,
        tokenName: principal?.name,
        role: principal?.role,
        state: principal?.state,
        unitClues: principal?.unitClues,
        resourceId,
        requestId: typeof req.id === 'string' ? req.id : undefined,
        durationMs: Date.now() - started,
      };
      audit.record(entry).catch((error: unknown) => (req.log ?? logger).error({ err: error }, 'writing the audit entry failed'));
    });
    next();
  };
}

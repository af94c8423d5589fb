import { Router } from 'express';
import type { AuditService } from '../../services/audit.ts';
import { authorize } from '../../services/auth.ts';
import type { NewToken, TokenService } from '../../services/tokens.ts';
import { BadRequestError } from '../../errors.ts';
import { principalOf, setAuditResource } from '../auth.ts';
import { pageOf, pathParam, queryBoolean, queryNumber, queryString } from './params.ts';

function dateQuery(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadRequestError(`${name} must be a date-time.`, [{ pointer: `/query/${name}`, detail: 'must be a date-time' }]);
  return date;
}

/** /me: any token, about itself; /tokens and /audit: administrators only. */
export function accessRouter(deps: { tokens: TokenService; audit: AuditService }): Router {
  const router = Router();

  router.get('/me', async (req, res) => {
    res.json(await deps.tokens.me(principalOf(req)));
  });

  router.get('/tokens', async (req, res) => {
    authorize(principalOf(req), 'tokens:read');
    const items = await deps.tokens.list(queryBoolean(req, 'includeRevoked') ?? false);
    res.json({ items, total: items.length, next: null });
  });
  router.post('/tokens', async (req, res) => {
    const principal = principalOf(req);
    authorize(principal, 'tokens:write');
    const created = await deps.tokens.create(req.body as NewToken, principal.tokenId);
    setAuditResource(res, created.info.id);
    res.status(201).setHeader('Cache-Control', 'no-store').json({ ...created.info, token: created.token });
  });
  router.delete('/tokens/:id', async (req, res) => {
    authorize(principalOf(req), 'tokens:write');
    setAuditResource(res, pathParam(req, 'id'));
    res.json(await deps.tokens.revoke(pathParam(req, 'id')));
  });

  router.get('/audit', async (req, res) => {
    const filter = {
      tokenId: queryString(req, 'tokenId'),
      role: queryString(req, 'role'),
      method: queryString(req, 'method'),
      status: queryNumber(req, 'status'),
      pathPrefix: queryString(req, 'path'),
      resourceId: queryString(req, 'resourceId'),
      from: dateQuery(queryString(req, 'from'), 'from'),
      to: dateQuery(queryString(req, 'to'), 'to'),
    };
    res.json(await deps.audit.list(principalOf(req), filter, pageOf(req)));
  });

  return router;
}

import { Router } from 'express';
import type { NewUnit, UnitPatch, UnitService } from '../../services/units.ts';
import type { StockReportInput, StockReportService } from '../../services/stock-reports.ts';
import { principalOf, setAuditResource } from '../auth.ts';
import { bboxOf, pageOf, pathParam, queryBoolean, queryNumber, queryString } from './params.ts';

/** /units, /units/{clues}, its stock and its stock reports. Thin: parse → service → JSON. */
export function unitsRouter(deps: { units: UnitService; stockReports: StockReportService }): Router {
  const router = Router();
  const { units, stockReports } = deps;

  router.get('/units', async (req, res) => {
    const filter = {
      state: queryString(req, 'state'),
      municipality: queryString(req, 'municipality'),
      level: queryNumber(req, 'level'),
      type: queryString(req, 'type'),
      warehouseId: queryString(req, 'warehouse'),
      active: queryBoolean(req, 'active'),
      q: queryString(req, 'q'),
      bbox: bboxOf(req),
      source: queryString(req, 'source'),
    };
    res.json(await units.list(principalOf(req), filter, pageOf(req)));
  });

  router.post('/units', async (req, res) => {
    const unit = await units.create(principalOf(req), req.body as NewUnit);
    setAuditResource(res, unit.clues);
    res.status(201).setHeader('Location', `/api/v1/units/${encodeURIComponent(unit.clues)}`).json(unit);
  });

  router.get('/units/:clues', async (req, res) => {
    res.json(await units.get(principalOf(req), pathParam(req, 'clues')));
  });

  router.patch('/units/:clues', async (req, res) => {
    const clues = pathParam(req, 'clues');
    setAuditResource(res, clues);
    res.json(await units.update(principalOf(req), clues, req.body as UnitPatch));
  });

  router.delete('/units/:clues', async (req, res) => {
    const clues = pathParam(req, 'clues');
    setAuditResource(res, clues);
    res.json(await units.deactivate(principalOf(req), clues));
  });

  router.get('/units/:clues/stock', async (req, res) => {
    res.json(await stockReports.stock(principalOf(req), pathParam(req, 'clues')));
  });

  router.get('/units/:clues/stock-reports', async (req, res) => {
    const items = await stockReports.list(principalOf(req), pathParam(req, 'clues'), queryNumber(req, 'limit') ?? 12);
    res.json({ items });
  });

  router.get('/units/:clues/stock-reports/:period', async (req, res) => {
    res.json(await stockReports.get(principalOf(req), pathParam(req, 'clues'), pathParam(req, 'period')));
  });

  router.post('/units/:clues/stock-reports', async (req, res) => {
    const clues = pathParam(req, 'clues');
    const result = await stockReports.submit(principalOf(req), clues, req.body as StockReportInput, req.get('idempotency-key') ?? '');
    setAuditResource(res, result.body.id);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.status).setHeader('Location', `/api/v1/units/${encodeURIComponent(clues)}/stock-reports/${result.body.period}`).json(result.body);
  });

  return router;
}

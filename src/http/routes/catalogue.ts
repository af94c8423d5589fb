import { Router } from 'express';
import type { ItemService } from '../../services/items.ts';
import type { KitTemplateService } from '../../services/kit-templates.ts';
import type { VehicleService } from '../../services/vehicles.ts';
import { principalOf, setAuditResource } from '../auth.ts';
import { pageOf, pathParam, queryBoolean, queryString } from './params.ts';

type Body<F extends (...args: never[]) => unknown, I extends number> = Parameters<F>[I];

/** /vehicles, /items and /kit-templates: the same list / get / create / patch / deactivate shape. */
export function catalogueRouter(deps: { vehicles: VehicleService; items: ItemService; kitTemplates: KitTemplateService }): Router {
  const router = Router();
  const { vehicles, items, kitTemplates } = deps;

  router.get('/vehicles', async (req, res) => {
    res.json(await vehicles.list(principalOf(req), { homeWarehouseId: queryString(req, 'warehouse'), type: queryString(req, 'type'), active: queryBoolean(req, 'active') }, pageOf(req)));
  });
  router.post('/vehicles', async (req, res) => {
    const vehicle = await vehicles.create(principalOf(req), req.body as Body<VehicleService['create'], 1>);
    setAuditResource(res, vehicle.id);
    res.status(201).setHeader('Location', `/api/v1/vehicles/${encodeURIComponent(vehicle.id)}`).json(vehicle);
  });
  router.get('/vehicles/:id', async (req, res) => {
    res.json(await vehicles.get(principalOf(req), pathParam(req, 'id')));
  });
  router.patch('/vehicles/:id', async (req, res) => {
    setAuditResource(res, pathParam(req, 'id'));
    res.json(await vehicles.update(principalOf(req), pathParam(req, 'id'), req.body as Body<VehicleService['update'], 2>));
  });
  router.delete('/vehicles/:id', async (req, res) => {
    setAuditResource(res, pathParam(req, 'id'));
    res.json(await vehicles.deactivate(principalOf(req), pathParam(req, 'id')));
  });

  router.get('/items', async (req, res) => {
    const filter = { category: queryString(req, 'category'), coldChain: queryBoolean(req, 'coldChain'), controlled: queryBoolean(req, 'controlled'), active: queryBoolean(req, 'active') };
    res.json(await items.list(principalOf(req), filter, pageOf(req)));
  });
  router.post('/items', async (req, res) => {
    const item = await items.create(principalOf(req), req.body as Body<ItemService['create'], 1>);
    setAuditResource(res, item.code);
    res.status(201).setHeader('Location', `/api/v1/items/${encodeURIComponent(item.code)}`).json(item);
  });
  router.get('/items/:code', async (req, res) => {
    res.json(await items.get(principalOf(req), pathParam(req, 'code')));
  });
  router.patch('/items/:code', async (req, res) => {
    setAuditResource(res, pathParam(req, 'code'));
    res.json(await items.update(principalOf(req), pathParam(req, 'code'), req.body as Body<ItemService['update'], 2>));
  });
  router.delete('/items/:code', async (req, res) => {
    setAuditResource(res, pathParam(req, 'code'));
    res.json(await items.deactivate(principalOf(req), pathParam(req, 'code')));
  });

  router.get('/kit-templates', async (req, res) => {
    res.json(await kitTemplates.list(principalOf(req), pageOf(req)));
  });
  router.post('/kit-templates', async (req, res) => {
    const kit = await kitTemplates.create(principalOf(req), req.body as Body<KitTemplateService['create'], 1>);
    setAuditResource(res, kit.sizeClass);
    res.status(201).setHeader('Location', `/api/v1/kit-templates/${encodeURIComponent(kit.sizeClass)}`).json(kit);
  });
  router.get('/kit-templates/:sizeClass', async (req, res) => {
    res.json(await kitTemplates.get(principalOf(req), pathParam(req, 'sizeClass')));
  });
  router.patch('/kit-templates/:sizeClass', async (req, res) => {
    setAuditResource(res, pathParam(req, 'sizeClass'));
    res.json(await kitTemplates.update(principalOf(req), pathParam(req, 'sizeClass'), req.body as Body<KitTemplateService['update'], 2>));
  });
  router.delete('/kit-templates/:sizeClass', async (req, res) => {
    setAuditResource(res, pathParam(req, 'sizeClass'));
    res.json(await kitTemplates.remove(principalOf(req), pathParam(req, 'sizeClass')));
  });

  return router;
}

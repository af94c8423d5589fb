import { Router } from 'express';
import type { Adjustment, Lot, LotService, Receipt } from '../../services/lots.ts';
import type { NewWarehouse, WarehouseService } from '../../services/warehouses.ts';
import { principalOf, setAuditResource } from '../auth.ts';
import { pageOf, pathParam, queryBoolean, queryNumber, queryString } from './params.ts';

function lotView(lot: Lot) {
  return {
    id: lot.id,
    warehouseId: lot.warehouseId,
    itemCode: lot.itemCode,
    lotNumber: lot.lotNumber,
    expiry: lot.expiry.toISOString().slice(0, 10),
    quantity: lot.quantity,
    reserved: lot.reserved,
    createdAt: lot.createdAt,
    updatedAt: lot.updatedAt,
  };
}

/** /warehouses and their lots (receipts, adjustments, movements, stock by item). */
export function warehousesRouter(deps: { warehouses: WarehouseService; lots: LotService }): Router {
  const router = Router();
  const { warehouses, lots } = deps;

  router.get('/warehouses', async (req, res) => {
    res.json(await warehouses.list(principalOf(req), { kind: queryString(req, 'kind'), state: queryString(req, 'state'), active: queryBoolean(req, 'active') }, pageOf(req)));
  });
  router.post('/warehouses', async (req, res) => {
    const warehouse = await warehouses.create(principalOf(req), req.body as NewWarehouse);
    setAuditResource(res, warehouse.id);
    res.status(201).setHeader('Location', `/api/v1/warehouses/${encodeURIComponent(warehouse.id)}`).json(warehouse);
  });
  router.get('/warehouses/:id', async (req, res) => {
    res.json(await warehouses.get(principalOf(req), pathParam(req, 'id')));
  });
  router.patch('/warehouses/:id', async (req, res) => {
    setAuditResource(res, pathParam(req, 'id'));
    res.json(await warehouses.update(principalOf(req), pathParam(req, 'id'), req.body as Parameters<WarehouseService['update']>[2]));
  });
  router.delete('/warehouses/:id', async (req, res) => {
    setAuditResource(res, pathParam(req, 'id'));
    res.json(await warehouses.deactivate(principalOf(req), pathParam(req, 'id')));
  });

  router.get('/warehouses/:id/lots', async (req, res) => {
    const list = await lots.list(principalOf(req), pathParam(req, 'id'), { itemCode: queryString(req, 'item'), includeEmpty: queryBoolean(req, 'includeEmpty') });
    res.json({ items: list.map(lotView), total: list.length, next: null });
  });
  router.post('/warehouses/:id/lots', async (req, res) => {
    const lot = await lots.receive(principalOf(req), pathParam(req, 'id'), req.body as Receipt);
    setAuditResource(res, lot.id);
    res.status(201).json(lotView(lot));
  });
  router.post('/warehouses/:id/lots/adjustments', async (req, res) => {
    const lot = await lots.adjust(principalOf(req), pathParam(req, 'id'), req.body as Adjustment);
    setAuditResource(res, lot.id);
    res.status(201).json(lotView(lot));
  });
  router.get('/warehouses/:id/lots/movements', async (req, res) => {
    const items = await lots.movements(principalOf(req), pathParam(req, 'id'), { itemCode: queryString(req, 'item'), lotNumber: queryString(req, 'lotNumber') }, queryNumber(req, 'limit') ?? 100);
    res.json({ items });
  });
  router.get('/warehouses/:id/stock', async (req, res) => {
    res.json({ items: await lots.stock(principalOf(req), pathParam(req, 'id'), queryString(req, 'item')) });
  });

  return router;
}

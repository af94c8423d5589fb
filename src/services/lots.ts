import { ValidationError, type FieldError } from '../errors.ts';
import type { ItemRepository } from '../repositories/items.ts';
import type { Lot, LotMovement, LotRepository } from '../repositories/lots.ts';
import { authorize, authorizeState, type Principal } from './auth.ts';
import type { WarehouseService } from './warehouses.ts';

export type { Lot, LotMovement } from '../repositories/lots.ts';

export interface Receipt {
  itemCode: string;
  lotNumber: string;
  /** ISO date (YYYY-MM-DD). */
  expiry: string;
  quantity: number;
  reference?: string;
}

export interface Adjustment {
  itemCode: string;
  lotNumber: string;
  /** Signed pieces (non-zero integer): negative for losses, damage, expiry write-offs. */
  delta: number;
  reason: string;
}

export interface ItemStock {
  itemCode: string;
  quantity: number;
  reserved: number;
  available: number;
  earliestExpiry: string;
  lots: { lotNumber: string; expiry: string; quantity: number; reserved: number }[];
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Lots in a warehouse: receipts, adjustments (audit trail in movements) and stock by item, first-expiry first. */
export function createLotService(deps: { lots: LotRepository; items: Pick<ItemRepository, 'get'>; warehouses: Pick<WarehouseService, 'load'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  async function writable(principal: Principal, warehouseId: string): Promise<void> {
    authorize(principal, 'lots:write');
    const warehouse = await deps.warehouses.load(warehouseId);
    authorizeState(principal, warehouse.state.code);
  }

  async function checkItem(code: string): Promise<void> {
    if (!(await deps.items.get(code))) throw new ValidationError('Unknown item.', [{ pointer: '/body/itemCode', detail: `no item ${code} in the catalogue` }]);
  }

  return {
    async list(principal: Principal, warehouseId: string, filter: { itemCode?: string; includeEmpty?: boolean }): Promise<Lot[]> {
      authorize(principal, 'lots:read');
      await deps.warehouses.load(warehouseId);
      return deps.lots.list({ warehouseId, ...filter });
    },

    async stock(principal: Principal, warehouseId: string, itemCode?: string): Promise<ItemStock[]> {
      authorize(principal, 'lots:read');
      await deps.warehouses.load(warehouseId);
      const lots = await deps.lots.list({ warehouseId, itemCode });
      const byItem = new Map<string, Lot[]>();
      for (const lot of lots) byItem.set(lot.itemCode, [...(byItem.get(lot.itemCode) ?? []), lot]);
      return [...byItem.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, itemLots]) => {
          const sorted = [...itemLots].sort((a, b) => a.expiry.getTime() - b.expiry.getTime() || (a.lotNumber < b.lotNumber ? -1 : 1));
          const quantity = sorted.reduce((sum, lot) => sum + lot.quantity, 0);
          const reserved = sorted.reduce((sum, lot) => sum + lot.reserved, 0);
          return {
            itemCode: code,
            quantity,
            reserved,
            available: quantity - reserved,
            earliestExpiry: isoDate(sorted[0].expiry),
            lots: sorted.map((lot) => ({ lotNumber: lot.lotNumber, expiry: isoDate(lot.expiry), quantity: lot.quantity, reserved: lot.reserved })),
          };
        });
    },

    async receive(principal: Principal, warehouseId: string, receipt: Receipt): Promise<Lot> {
      await writable(principal, warehouseId);
      await checkItem(receipt.itemCode);
      const expiry = new Date(`${receipt.expiry}T00:00:00.000Z`);
      const errors: FieldError[] = [];
      if (Number.isNaN(expiry.getTime())) errors.push({ pointer: '/body/expiry', detail: 'must be a date YYYY-MM-DD' });
      else if (isoDate(expiry) <= isoDate(now())) errors.push({ pointer: '/body/expiry', detail: 'the lot has already expired' });
      if (errors.length > 0) throw new ValidationError('The receipt is not valid.', errors);
      return deps.lots.receive({ warehouseId, itemCode: receipt.itemCode, lotNumber: receipt.lotNumber, reference: receipt.reference, tokenId: principal.tokenId }, expiry, receipt.quantity, now());
    },

    async adjust(principal: Principal, warehouseId: string, adjustment: Adjustment): Promise<Lot> {
      await writable(principal, warehouseId);
      if (adjustment.delta === 0) throw new ValidationError('The adjustment is not valid.', [{ pointer: '/body/delta', detail: 'must not be 0' }]);
      return deps.lots.adjust(
        { warehouseId, itemCode: adjustment.itemCode, lotNumber: adjustment.lotNumber, reason: adjustment.reason, tokenId: principal.tokenId },
        adjustment.delta,
        now(),
      );
    },

    async movements(principal: Principal, warehouseId: string, filter: { itemCode?: string; lotNumber?: string }, limit: number): Promise<LotMovement[]> {
      authorize(principal, 'lots:read');
      await deps.warehouses.load(warehouseId);
      return deps.lots.movements({ warehouseId, ...filter }, limit);
    },
  };
}

export type LotService = ReturnType<typeof createLotService>;

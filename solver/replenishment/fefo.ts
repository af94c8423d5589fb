/**
 * FEFO (first-expiry-first-out) lot picking for kits. A lot is usable for a delivery only if it
 * still has at least `minShelfLifeDays` days before expiry on the delivery date. What cannot be
 * filled is reported with a reason, never dropped.
 */
import { invalid, requireCount } from './errors.ts';

/** A lot on the warehouse shelf. */
export interface WarehouseLot {
  readonly lotCode: string;
  /** Item code (clave). */
  readonly code: string;
  /** Expiry date, ISO `YYYY-MM-DD` (the lot is unusable from that day on). */
  readonly expiryDate: string;
  /** Pieces in the lot (integer ≥ 0). */
  readonly quantity: number;
}

/** One kit line to fill; lines are served in the order given (e.g. by delivery date, then route). */
export interface LotDemand {
  readonly unitId: string;
  readonly code: string;
  /** Integer pieces to pick. */
  readonly quantity: number;
  /** Delivery date at the unit, ISO `YYYY-MM-DD`. */
  readonly deliveryDate: string;
}

export interface LotPick {
  readonly unitId: string;
  readonly code: string;
  readonly lotCode: string;
  readonly expiryDate: string;
  readonly quantity: number;
  /** Days of shelf life left at delivery (expiry − delivery). */
  readonly shelfLifeDaysAtDelivery: number;
  /** The item is cold-chain: pack it in a cold box. */
  readonly coldBox: boolean;
}

/** Why (part of) a line could not be filled. */
export type UnfilledReason =
  /** No usable stock left and nothing blocked either. */
  | 'no_stock'
  /** The remaining stock of the item is expired at delivery. */
  | 'expired'
  /** The remaining stock expires within the minimum shelf life after delivery. */
  | 'short_shelf_life';

export interface UnfilledLine {
  readonly unitId: string;
  readonly code: string;
  readonly requested: number;
  readonly filled: number;
  readonly missing: number;
  readonly reason: UnfilledReason;
  /** Pieces of the item that exist but were refused for this delivery (expired or short-dated). */
  readonly blockedQuantity: number;
}

export interface FefoOptions {
  /** Minimum days of shelf life left on the delivery date (default 60). */
  readonly minShelfLifeDays?: number;
  /** Item codes that travel in cold boxes (cold_chain = true in the catalogue). */
  readonly coldChainCodes?: ReadonlySet<string>;
}

export interface FefoResult {
  readonly picks: LotPick[];
  readonly unfilled: UnfilledLine[];
  /** Quantity left per lot after picking (same order as the input lots). */
  readonly remaining: { lotCode: string; code: string; quantity: number }[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01, UTC) of an ISO date; rejects impossible dates. */
export function dayNumber(date: string, field: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) invalid(field, `must be an ISO date YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    invalid(field, `is not a real date: "${date}"`);
  }
  return ms / 86_400_000;
}

/**
 * Picks lots earliest-expiry-first for each demand line, in the order of `demands`. Ties on expiry
 * go to the lot listed first. A lot with `shelfLifeDays = expiry − delivery`:
 * - `≤ 0` is expired (never picked);
 * - `< minShelfLifeDays` is short-dated (never picked);
 * - `≥ minShelfLifeDays` is usable (exactly the minimum is accepted).
 */
export function assignLotsFefo(lots: readonly WarehouseLot[], demands: readonly LotDemand[], options: FefoOptions = {}): FefoResult {
  const minShelfLifeDays = requireCount(options.minShelfLifeDays ?? 60, 'minShelfLifeDays');
  const cold = options.coldChainCodes ?? new Set<string>();
  const left = lots.map((lot, i) => requireCount(lot.quantity, `lots[${i}].quantity`));
  const expiry = lots.map((lot, i) => dayNumber(lot.expiryDate, `lots[${i}].expiryDate`));
  const seen = new Set<string>();
  const byCode = new Map<string, number[]>();
  lots.forEach((lot, i) => {
    const key = `${lot.code}\u0000${lot.lotCode}`;
    if (seen.has(key)) invalid(`lots[${i}].lotCode`, `duplicate lot "${lot.lotCode}" for item "${lot.code}"`);
    seen.add(key);
    const list = byCode.get(lot.code) ?? [];
    list.push(i);
    byCode.set(lot.code, list);
  });
  for (const list of byCode.values()) list.sort((a, b) => expiry[a] - expiry[b] || a - b);

  const picks: LotPick[] = [];
  const unfilled: UnfilledLine[] = [];
  demands.forEach((demand, d) => {
    const requested = requireCount(demand.quantity, `demands[${d}].quantity`);
    const delivery = dayNumber(demand.deliveryDate, `demands[${d}].deliveryDate`);
    let missing = requested;
    let expired = 0;
    let shortDated = 0;
    for (const i of byCode.get(demand.code) ?? []) {
      if (left[i] === 0) continue;
      const shelfLife = expiry[i] - delivery;
      if (shelfLife <= 0) {
        expired += left[i];
        continue;
      }
      if (shelfLife < minShelfLifeDays) {
        shortDated += left[i];
        continue;
      }
      if (missing === 0) break;
      const take = Math.min(missing, left[i]);
      left[i] -= take;
      missing -= take;
      picks.push({
        unitId: demand.unitId,
        code: demand.code,
        lotCode: lots[i].lotCode,
        expiryDate: lots[i].expiryDate,
        quantity: take,
        shelfLifeDaysAtDelivery: shelfLife,
        coldBox: cold.has(demand.code),
      });
    }
    if (missing > 0) {
      unfilled.push({
        unitId: demand.unitId,
        code: demand.code,
        requested,
        filled: requested - missing,
        missing,
        // The most actionable explanation first: short-dated stock exists (could be released by a
        // lower threshold), then expired stock (write-off), else there is simply none.
        reason: shortDated > 0 ? 'short_shelf_life' : expired > 0 ? 'expired' : 'no_stock',
        blockedQuantity: shortDated + expired,
      });
    }
  });
  return {
    picks,
    unfilled,
    remaining: lots.map((lot, i) => ({ lotCode: lot.lotCode, code: lot.code, quantity: left[i] })),
  };
}

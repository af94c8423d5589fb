/**
 * Typed errors of the replenishment solver. The HTTP layer maps them once (VROOM style: every
 * error carries a code and a message the caller can act on).
 */

/** Machine-readable reason of a {@link ReplenishmentError}. */
export type ReplenishmentErrorCode =
  /** An input field is missing, has the wrong type or an out-of-range value. */
  | 'invalid_input'
  /** The LP solver did not prove optimality (should never happen on valid input). */
  | 'solver_failed';

/** A domain error of the replenishment module; `field` names the offending input path. */
export class ReplenishmentError extends Error {
  override name = 'ReplenishmentError';

  constructor(
    readonly code: ReplenishmentErrorCode,
    message: string,
    /** Path of the offending field, e.g. `units[3].lines[0].dailyUse`. */
    readonly field?: string,
  ) {
    super(field === undefined ? message : `${field}: ${message}`);
  }
}

/** Throws `invalid_input` for `field` with `message`. */
export function invalid(field: string, message: string): never {
  throw new ReplenishmentError('invalid_input', message, field);
}

/** Checks a finite number ≥ 0 (or > 0 when `positive`). */
export function requireNonNegative(value: number, field: string, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(field, `must be a finite number, got ${String(value)}`);
  if (positive ? value <= 0 : value < 0) invalid(field, `must be ${positive ? '> 0' : '≥ 0'}, got ${value}`);
  return value;
}

/** Checks a non-negative integer (quantities of medicine are whole pieces or packs). */
export function requireCount(value: number, field: string, positive = false): number {
  requireNonNegative(value, field, positive);
  if (!Number.isInteger(value)) invalid(field, `must be an integer, got ${value}`);
  return value;
}

/**
 * Ceiling that ignores binary floating-point noise: 30 × 0.1 = 3.0000000000000004 must need 3
 * pieces, not 4. Used everywhere a continuous need becomes an integer quantity.
 */
export function ceilQuantity(value: number): number {
  return Math.ceil(value - 1e-9);
}

/** Floor with the same tolerance as {@link ceilQuantity}. */
export function floorQuantity(value: number): number {
  return Math.floor(value + 1e-9);
}

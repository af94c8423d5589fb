/**
 * Replenishment and fair allocation (issue 7), pure: no I/O. Entry points for the service layer:
 * indicators → reorder quantities → allocation under shortage → kit composition → FEFO lots, and
 * the multi-echelon plan (state order-up-to, national procurement, items at risk).
 */
export * from './errors.ts';
export * from './indicators.ts';
export * from './reorder.ts';
export * from './fair-share.ts';
export * from './allocation.ts';
export * from './kit.ts';
export * from './fefo.ts';
export * from './echelon.ts';
export * from './cycle.ts';

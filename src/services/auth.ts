import { ForbiddenError } from '../errors.ts';
import type { Role } from '../repositories/tokens.ts';

export { ROLES, type Role } from '../repositories/tokens.ts';

/** Who is calling: the authenticated token (never its secret). */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** Unit tokens: the CLUES they act for. */
  unitClues?: string;
  /** Planner / warehouse tokens: the INEGI state they are limited to. */
  state?: string;
}

/**
 * Every action the API checks, as `resource:verb`. The permission table below may only name
 * these (or a wildcard), and `permissionsOf` expands its wildcards over them; a new action is
 * added here first (test/services/auth.test.ts checks the code checks no other).
 */
export const ACTIONS = [
  'units:read',
  'units:write',
  'stock:read',
  'stock-reports:read',
  'stock-reports:write',
  'warehouses:read',
  'warehouses:write',
  'lots:read',
  'lots:write',
  'vehicles:read',
  'vehicles:write',
  'items:read',
  'items:write',
  'kit-templates:read',
  'kit-templates:write',
  'rounds:read',
  'rounds:write',
  'plans:read',
  'plans:write',
  'manifests:read',
  'dispatch:write',
  'replenishment:read',
  'replenishment:write',
  'deliveries:read',
  'deliveries:write',
  'evidence:read',
  'evidence:write',
  'tokens:read',
  'tokens:write',
  'audit:read',
  // Checked only for unit tokens (authorizeUnit); staff reach a unit's data through the actions above.
  'own-unit:read',
  'own-stock:read',
  'own-stock-reports:read',
  'own-stock-reports:write',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What a role may do, before scope. Scope then narrows it: a unit token only its own unit, a
 * state-scoped planner or warehouse token only its state's units, warehouses and plans.
 * `national` reads everything and changes nothing. Later features add their actions here
 * (one table, documented in docs/api.md).
 */
export const PERMISSIONS = {
  admin: ['*'],
  national: ['*:read'],
  planner: [
    '*:read',
    'units:write',
    'vehicles:write',
    'kit-templates:write',
    'plans:write',
    'rounds:write',
    'replenishment:write',
    'deliveries:write',
    'evidence:write',
  ],
  warehouse: [
    'units:read',
    'warehouses:read',
    'vehicles:read',
    'items:read',
    'kit-templates:read',
    'lots:read',
    'lots:write',
    'plans:read',
    'rounds:read',
    'replenishment:read',
    'manifests:read',
    'dispatch:write',
    'deliveries:read',
    'deliveries:write',
    'evidence:read',
    'evidence:write',
  ],
  // Units also read the item catalogue (public reference data) to fill in their stock reports.
  unit: ['own-unit:read', 'own-stock:read', 'own-stock-reports:write', 'own-stock-reports:read', 'items:read'],
} as const satisfies Record<Role, readonly (Action | '*' | '*:read')[]>;

/** Reads that stay with administrators even for roles holding `*:read`. */
const ADMIN_ONLY = new Set(['tokens:read', 'tokens:write', 'audit:read']);

export function can(principal: Pick<Principal, 'role'>, action: string): boolean {
  const granted: readonly string[] = PERMISSIONS[principal.role];
  if (granted.includes('*')) return true;
  if (ADMIN_ONLY.has(action)) return false;
  if (granted.includes(action)) return true;
  const [, verb] = action.split(':');
  return verb === 'read' && granted.includes('*:read');
}

/**
 * The actions a role may perform, wildcards of the table expanded, in the order of ACTIONS.
 * The `own-…` actions are listed for unit tokens only: no other role is ever checked for them.
 */
export function permissionsOf(role: Role): Action[] {
  return ACTIONS.filter((action) => can({ role }, action) && (role === 'unit' || !action.startsWith('own-')));
}

/** Throws 403 unless the role allows the action. */
export function authorize(principal: Principal, action: string): void {
  if (!can(principal, action)) {
    throw new ForbiddenError(`A ${principal.role} token cannot ${describe(action)}.`);
  }
}

function describe(action: string): string {
  const [resource, verb] = action.split(':');
  return verb === 'read' ? `read ${resource}` : `change ${resource}`;
}

/**
 * Access to one unit's data. Unit tokens: their own unit only (`ownAction`); staff: the role
 * action, limited to their state when the token has one.
 */
export function authorizeUnit(principal: Principal, unit: { clues: string; state?: { code: string } }, staffAction: string, ownAction?: string): void {
  if (principal.role === 'unit') {
    if (ownAction === undefined || !can(principal, ownAction)) throw new ForbiddenError(`A unit token cannot ${describe(staffAction)}.`);
    if (principal.unitClues !== unit.clues) throw new ForbiddenError(`This token acts for unit ${principal.unitClues ?? '?'}, not ${unit.clues}.`);
    return;
  }
  authorize(principal, staffAction);
  if (unit.state) authorizeState(principal, unit.state.code);
}

/** A state-scoped token may only touch its own state. */
export function authorizeState(principal: Principal, stateCode: string): void {
  if (principal.state !== undefined && principal.state !== stateCode) {
    throw new ForbiddenError(`This token is limited to state ${principal.state}; the resource belongs to state ${stateCode}.`);
  }
}

/** The state a list must be limited to: the token's scope, refusing a filter for another state. */
export function scopedState(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.state === undefined) return requested;
  if (requested !== undefined && requested !== principal.state) {
    throw new ForbiddenError(`This token is limited to state ${principal.state}.`);
  }
  return principal.state;
}

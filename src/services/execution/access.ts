import { ForbiddenError } from '../../errors.ts';
import { can, type Principal } from '../auth.ts';
import type { Actor } from './types.ts';

/**
 * Who may do what on round execution, and over which states. Role permissions come from the
 * one table in src/services/auth.ts; this file maps execution actions onto it and adds scope.
 * State coordinators are planner (or warehouse) tokens carrying a state:
 * `rutas token create --role planner --state 20`.
 */
export const EXECUTION_PERMISSIONS = {
  'record-delivery': 'deliveries:write',
  'read-delivery': 'deliveries:read',
  'upload-evidence': 'evidence:write',
  'read-evidence': 'evidence:read',
  'read-progress': 'deliveries:read',
  replan: 'plans:write',
} as const;
export type ExecutionAction = keyof typeof EXECUTION_PERMISSIONS;

export function mayAct(actor: Actor, action: ExecutionAction): boolean {
  return can(actor as Pick<Principal, 'role'>, EXECUTION_PERMISSIONS[action]);
}

/** Throws 403 when the role may not perform the action at all. */
export function requireAction(actor: Actor, action: ExecutionAction): void {
  if (mayAct(actor, action)) return;
  if (actor.role === 'national') throw new ForbiddenError('The national role reads everything and changes nothing.');
  throw new ForbiddenError(`A ${actor.role} token may not ${action.replace('-', ' ')}.`);
}

/** True when the actor may see data of this unit (state scope; unit tokens see only their unit). */
export function inScope(actor: Actor, unit: { state: string; clues: string }): boolean {
  if (actor.role === 'unit') return actor.unitClues === unit.clues;
  return actor.state === undefined || actor.state === unit.state;
}

/** Throws 403 naming the scope when a state-scoped token reaches another state's unit. */
export function requireScope(actor: Actor, unit: { state: string; clues: string }): void {
  if (inScope(actor, unit)) return;
  if (actor.role === 'unit') throw new ForbiddenError(`This token acts for unit ${actor.unitClues ?? '?'} only.`);
  throw new ForbiddenError(`Unit ${unit.clues} is in state ${unit.state}; this token is limited to state ${actor.state ?? '?'}.`);
}

/** States the actor sees: undefined means all. */
export function visibleStates(actor: Actor): string[] | undefined {
  return actor.state === undefined ? undefined : [actor.state];
}

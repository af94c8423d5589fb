import type { components } from '../../http/api-types.ts';
import { ApiClient } from './api.ts';

/** What `GET /api/v1/me` answers: the contract's own type, so the console follows openapi.yaml. */
type Me = components['schemas']['Me'];
export type Role = Me['role'];

export interface Session {
  token: string;
  role: Role;
  name: string;
  /** INEGI state code when the token is scoped to one state. */
  state?: string;
  /** CLUES for unit tokens. */
  unit?: string;
  unitName?: string;
  /** Actions the role may perform (`plans:write`…), as the API reports them. */
  permissions: string[];
}

const KEY = 'rutas.session';

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Partial<Session>;
    // A session saved before the console asked /me lacks permissions: sign in again.
    return typeof session.token === 'string' && Array.isArray(session.permissions) ? (session as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** Who the token belongs to, from `GET /api/v1/me`: role, state scope, unit and permissions. */
export async function whoAmI(token: string): Promise<Session> {
  const me = await new ApiClient(() => token).get<Me>('me');
  return {
    token,
    role: me.role,
    name: me.name,
    state: me.state ?? undefined,
    unit: me.unitClues ?? undefined,
    unitName: me.unitName ?? undefined,
    permissions: me.permissions,
  };
}

/** True when both sessions describe the same identity and rights (a refresh changed nothing). */
export function sameIdentity(a: Session, b: Session): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type View = 'planner' | 'coverage' | 'warehouse' | 'coordinator' | 'national' | 'unit' | 'settings';

/** Which views each role sees; the API enforces the same rules on every request. */
export function viewsFor(session: Session): View[] {
  switch (session.role) {
    case 'admin':
      return ['planner', 'coverage', 'warehouse', 'coordinator', 'national', 'unit', 'settings'];
    case 'planner':
      return ['planner', 'coverage', 'warehouse', 'coordinator', 'national', 'settings'];
    case 'warehouse':
      return ['warehouse', 'coordinator', 'settings'];
    case 'national':
      return ['national', 'coverage', 'planner', 'settings'];
    case 'unit':
      return ['unit', 'settings'];
  }
}

/** Tokens that may change things in the planner view (national staff read only). */
export function canPlan(session: Session): boolean {
  return session.permissions.includes('plans:write');
}

export function canDeliver(session: Session): boolean {
  return session.role !== 'national' && session.role !== 'unit';
}

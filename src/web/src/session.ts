import { ApiClient, ApiError } from './api.ts';

export type Role = 'admin' | 'planner' | 'warehouse' | 'unit' | 'national' | 'unknown';

export interface Session {
  token: string;
  role: Role;
  name?: string;
  /** INEGI state code when the token is scoped to one state. */
  state?: string;
  /** CLUES for unit tokens. */
  unit?: string;
}

const KEY = 'rutas.session';

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
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

const ROLES: Role[] = ['admin', 'planner', 'warehouse', 'unit', 'national'];

function stateCode(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string') return (value as { code: string }).code;
  return undefined;
}

/** Reads who the token belongs to: `GET /api/v1/me` (or `/tokens/me`). */
export async function whoAmI(token: string): Promise<Session> {
  const api = new ApiClient(() => token);
  for (const path of ['me', 'tokens/me', 'auth/me']) {
    try {
      const me = await api.get<Record<string, unknown>>(path);
      const source = (me.token && typeof me.token === 'object' ? me.token : me) as Record<string, unknown>;
      const role = ROLES.includes(source.role as Role) ? (source.role as Role) : 'unknown';
      return {
        token,
        role,
        name: typeof source.name === 'string' ? source.name : undefined,
        state: stateCode(source.state),
        unit: typeof source.unit === 'string' ? source.unit : typeof source.clues === 'string' ? source.clues : undefined,
      };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) continue;
      throw error;
    }
  }
  // No identity endpoint on this server: check the token works at all, then show every view
  // and let the API's own role checks answer.
  await api.get('items?limit=1').catch((error: unknown) => {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
  });
  return { token, role: 'unknown' };
}

export type View = 'planner' | 'coverage' | 'warehouse' | 'coordinator' | 'national' | 'unit' | 'settings';

/** Which views each role sees; the API enforces the same rules on every request. */
export function viewsFor(session: Session): View[] {
  switch (session.role) {
    case 'admin':
    case 'unknown':
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

/** Roles that may change things in the planner view (national staff read only). */
export function canPlan(session: Session): boolean {
  return session.role === 'admin' || session.role === 'planner' || session.role === 'unknown';
}

export function canDeliver(session: Session): boolean {
  return session.role !== 'national' && session.role !== 'unit';
}

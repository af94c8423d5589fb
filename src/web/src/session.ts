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
  for (const path of ['me']) {
    try {
      const me = await api.get<Record<string, unknown>>(path);
      const source = (me.token && typeof me.token === 'object' ? me.token : me) as Record<string, unknown>;
      const role = ROLES.includes(source.role as Role) ? (source.role as Role) : 'unknown';
      return {
        token,
        role,
        name: typeof source.name === 'string' ? source.name : undefined,
        state: stateCode(source.state),
        unit: [source.unitClues, source.unit, source.clues].find((v): v is string => typeof v === 'string' && v !== ''),
      };
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) continue;
      throw error;
    }
  }
  return probeIdentity(api, token);

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

/**
 * Interim identity without `GET /api/v1/me`: an admin can list tokens; any other role gets a 403
 * whose detail names it ("A planner token cannot …"); a state scope shows in which state's units
 * the token sees. Replace with /me as soon as the API offers it.
 */
async function probeIdentity(api: ApiClient, token: string): Promise<Session> {
  try {
    await api.get('tokens?limit=1');
    return { token, role: 'admin' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    const match = /\bA (\w+) token\b/.exec(error.problem.detail ?? '');
    const role = match && ROLES.includes(match[1] as Role) ? (match[1] as Role) : 'unknown';
    const session: Session = { token, role };
    if (role === 'planner' || role === 'warehouse') session.state = await probeState(api);
    return session;
  }
}

async function probeState(api: ApiClient): Promise<string | undefined> {
  const all = await api.get<{ items?: { state?: unknown }[]; total?: number }>('units?limit=1');
  const code = stateCode(all.items?.[0]?.state);
  if (!code || typeof all.total !== 'number') return undefined;
  const inState = await api.get<{ total?: number }>(`units?limit=1&state=${code}`);
  return inState.total === all.total ? code : undefined;
}

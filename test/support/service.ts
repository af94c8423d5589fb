import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logging.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { freshDatabaseTarget } from './db.ts';

/** Starts the whole service on a free port over a fresh test database, validating responses strictly. */
export async function startTestService(overrides: Record<string, string> = {}, label = 'svc'): Promise<RunningService & { config: Config }> {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_ON_START: 'false',
    SCHEDULER_ENABLED: 'false',
    RUTAS_DATA_DIR: '.data/test',
    ...overrides,
  });
  const service = await startService(config, createLogger(config.logLevel), {
    database: await freshDatabaseTarget(label),
    responseValidation: 'strict',
  });
  return Object.assign(service, { config });
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch + JSON parse, tolerant of non-JSON bodies (text is kept). */
export async function request<T = unknown>(
  baseUrl: string,
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`${baseUrl}${path}`, { ...init, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export interface TestTokenOptions {
  unitClues?: string;
  state?: string;
  name?: string;
}

/** Creates an API token for tests through the token service (as `rutas token create` does); returns the bearer string. */
export async function createTestToken(
  service: Pick<RunningService, 'services'>,
  role: 'admin' | 'planner' | 'warehouse' | 'unit' | 'national',
  options: TestTokenOptions = {},
): Promise<string> {
  const created = await service.services.tokens.create({ role, unitClues: options.unitClues, state: options.state, name: options.name ?? `test ${role}` });
  return created.token;
}

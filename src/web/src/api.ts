/** The console's only door to the API: bearer token, problem+json errors, downloads. */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { pointer: string; detail: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
  /** The path or resource does not exist (yet) on this server. */
  get notFound(): boolean {
    return this.status === 404;
  }
}

/** Raised when fetch itself fails: offline, DNS, connection refused. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

export const API = '/api/v1';

export interface RequestOptions {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class ApiClient {
  constructor(private readonly token: () => string | undefined) {}

  authHeaders(): Record<string, string> {
    const token = this.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  async raw(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders(), ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(path.startsWith('/') ? path : `${API}/${path}`, { method: options.method ?? 'GET', headers, body, signal: options.signal, cache: 'no-store' });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError(error);
    }
    if (!response.ok) {
      let problem: Problem = { status: response.status, title: response.statusText };
      try {
        const text = await response.text();
        if (text) problem = { ...problem, ...(JSON.parse(text) as Problem) };
      } catch {
        // Not JSON: keep the status line.
      }
      throw new ApiError(response.status, problem);
    }
    return response;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.raw(path, { signal });
    return (await response.json()) as T;
  }

  async send<T>(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await this.raw(path, { method, json: json ?? (method === 'GET' ? undefined : {}), headers });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Fetches a file with the token and hands it to the browser as a download. */
  async download(path: string, fallbackName: string): Promise<{ name: string; size: number; type: string }> {
    const response = await this.raw(path, { headers: { accept: '*/*' } });
    const blob = await response.blob();
    const disposition = response.headers.get('content-disposition') ?? '';
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const name = match ? decodeURIComponent(match[1]) : fallbackName;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return { name, size: blob.size, type: blob.type };
  }
}

/** Lists come as `{items, total, next}` (or, for some resources, a bare array). */
export function itemsOf<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    for (const key of ['items', 'data', 'results', 'rounds', 'plans', 'routes', 'manifests', 'units', 'evidence', 'files']) {
      if (Array.isArray(v[key])) return v[key] as T[];
    }
  }
  return [];
}

/** Follows `next` cursors until done or `max` items. */
export async function fetchAll<T>(api: ApiClient, path: string, max = 20_000, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let total: number;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await api.get<{ items?: T[]; total?: number; next?: string | null }>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, signal);
    const batch = itemsOf<T>(page);
    items.push(...batch);
    total = typeof page.total === 'number' ? page.total : items.length;
    cursor = page.next ?? undefined;
    if (batch.length === 0) break;
  } while (cursor && items.length < max);
  return { items, total };
}

/** A random id for idempotency keys (crypto.randomUUID needs a secure context; localhost is one). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

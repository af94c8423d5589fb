import { ApiClient, ApiError, NetworkError } from './api.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { Session } from './session.ts';

export interface ViewContext {
  api: ApiClient;
  session: Session;
  /** Aborted when the person navigates away: stop streams and timers. */
  signal: AbortSignal;
  navigate(hash: string): void;
}

/** A notice for a failed request: "no disponible" for a missing endpoint, otherwise the problem. */
export function problemNotice(error: unknown, what: string): HTMLElement {
  if (error instanceof ApiError && error.status === 404) {
    return h('p', { class: 'notice unavailable', 'data-unavailable': what }, t('unavailable', { what }));
  }
  if (error instanceof ApiError && error.status === 403) return h('p', { class: 'notice error' }, t('forbidden'));
  const message = error instanceof ApiError || error instanceof NetworkError || error instanceof Error ? error.message : String(error);
  return h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { msg: message }));
}

/** Runs a section loader and replaces `slot` with its result or an error notice. */
export async function section(slot: HTMLElement, what: string, load: () => Promise<Node>): Promise<void> {
  slot.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    slot.replaceChildren(await load());
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return;
    slot.replaceChildren(problemNotice(error, what));
  }
}

export function str(value: unknown, fallback = '—'): string {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number') return String(value);
  return fallback;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `{code, name}` or a bare code → display name and code. */
export function stateOf(value: unknown): { code: string; name: string } {
  if (value && typeof value === 'object') {
    const v = value as { code?: unknown; name?: unknown };
    return { code: str(v.code, ''), name: str(v.name, str(v.code, '')) };
  }
  return { code: str(value, ''), name: str(value, '') };
}

export function idOf(value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as { id?: unknown; _id?: unknown };
    return str(v.id, str(v._id, ''));
  }
  return '';
}

export type Json = Record<string, unknown>;
export function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
export function arr(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

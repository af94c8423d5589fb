import { createHash } from 'node:crypto';
import { ConflictError } from '../errors.ts';
import type { IdempotencyRepository } from '../repositories/idempotency.ts';

/** JSON with object keys sorted, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function bodyHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  resourceId?: string;
  /** True when this is the stored answer to an earlier request with the same key and body. */
  replayed: boolean;
}

/**
 * How a response is kept for replays when storing it whole would be wasteful: `encode` keeps
 * what the replaying request cannot rebuild (ids, revision, timestamps), `decode` rebuilds the
 * answer. A replay carries the same body (same hash), so request data need not be stored twice.
 */
export interface ResponseCodec<T> {
  encode(body: T): unknown;
  decode(stored: unknown): T;
}

/**
 * Runs a write at most once per (scope, key). The first request inserts a pending record (the
 * unique `_id` decides the race), does the work and stores the answer; concurrent and later
 * requests with the same key and body get that answer; with another body, 409. A record left
 * pending by a crashed worker is taken over after `staleAfterMs`.
 */
export function createIdempotency(repo: IdempotencyRepository, options: { waitMs?: number; pollMs?: number; staleAfterMs?: number } = {}) {
  const waitMs = options.waitMs ?? 15_000;
  const pollMs = options.pollMs ?? 20;
  const staleAfterMs = options.staleAfterMs ?? 60_000;

  return async function runOnce<T>(
    scope: string,
    key: string,
    hash: string,
    work: () => Promise<{ status: number; body: T; resourceId?: string }>,
    codec?: ResponseCodec<T>,
  ): Promise<IdempotentResult<T>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = new Date();
      let owned = await repo.claim(scope, key, hash, now);
      if (!owned) {
        const record = await repo.get(scope, key);
        if (!record) continue; // released by a failed owner between our claim and read: try again
        if (record.bodyHash !== hash) {
          throw new ConflictError('This Idempotency-Key was already used with a different body.', [{ pointer: '/headers/idempotency-key', detail: 'reused with another body' }]);
        }
        if (record.status === 'done' && record.response) {
          const stored = record.response.body;
          return { status: record.response.status, body: codec ? codec.decode(stored) : (stored as T), resourceId: record.response.resourceId, replayed: true };
        }
        owned = await repo.takeOver(scope, key, hash, new Date(now.getTime() - staleAfterMs), now);
        if (!owned) {
          if (Date.now() > deadline) throw new ConflictError('A request with this Idempotency-Key is still being processed; retry later.');
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          continue;
        }
      }
      let result: { status: number; body: T; resourceId?: string };
      try {
        result = await work();
      } catch (error) {
        await repo.release(scope, key).catch(() => undefined);
        throw error;
      }
      // Round-trip through JSON so the stored body is exactly what a replay will send.
      const body = JSON.parse(JSON.stringify(result.body)) as T;
      await repo.complete(scope, key, { status: result.status, resourceId: result.resourceId, body: codec ? codec.encode(body) : body }, new Date());
      return { ...result, body, replayed: false };
    }
  };
}

export type RunOnce = ReturnType<typeof createIdempotency>;

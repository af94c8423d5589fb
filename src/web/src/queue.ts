/**
 * The offline outbox: deliveries and evidence files recorded in the field are written to
 * IndexedDB first and sent when there is a connection, each with its own idempotency key so a
 * retry after a lost answer is applied once by the server. Items leave the outbox only when the
 * server has accepted them; rejected ones stay visible with the server's reason.
 */
import { ApiClient, ApiError, NetworkError } from './api.ts';

export interface OutboxItem {
  /** Also the Idempotency-Key sent to the server. */
  id: string;
  seq: number;
  kind: 'delivery' | 'evidence';
  planId: string;
  clues: string;
  createdAt: string;
  attempts: number;
  status: 'pending' | 'rejected';
  lastError?: string;
  body?: unknown;
  file?: Blob;
  fileName?: string;
}

const DB_NAME = 'rutas-offline';
const STORE = 'outbox';
export const outboxEvents = new EventTarget();

let dbPromise: Promise<IDBDatabase> | undefined;
function db(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB unavailable'));
  });
  return dbPromise;
}

function tx<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (database) =>
      new Promise<T>((resolve, reject) => {
        const transaction = database.transaction(STORE, mode);
        const request = run(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
}

export async function listOutbox(): Promise<OutboxItem[]> {
  const items = await tx<OutboxItem[]>('readonly', (store) => store.getAll() as IDBRequest<OutboxItem[]>);
  return items.sort((a, b) => a.seq - b.seq);
}

async function put(item: OutboxItem): Promise<void> {
  await tx('readwrite', (store) => store.put(item));
  outboxEvents.dispatchEvent(new Event('change'));
}

async function remove(id: string): Promise<void> {
  await tx('readwrite', (store) => store.delete(id));
  outboxEvents.dispatchEvent(new Event('change'));
}

let seqCounter = 0;
export async function enqueue(item: Omit<OutboxItem, 'seq' | 'createdAt' | 'attempts' | 'status'>): Promise<OutboxItem> {
  const full: OutboxItem = { ...item, seq: Date.now() * 1000 + (seqCounter++ % 1000), createdAt: new Date().toISOString(), attempts: 0, status: 'pending' };
  await put(full);
  return full;
}

export async function pendingCount(): Promise<number> {
  return (await listOutbox()).filter((i) => i.status === 'pending').length;
}

function send(api: ApiClient, item: OutboxItem): Promise<Response> {
  const base = `/api/v1/plans/${encodeURIComponent(item.planId)}/stops/${encodeURIComponent(item.clues)}`;
  const headers = { 'idempotency-key': item.id };
  if (item.kind === 'delivery') return api.raw(`${base}/delivery`, { method: 'POST', json: item.body, headers });
  const form = new FormData();
  form.append('file', item.file ?? new Blob(), item.fileName ?? 'evidence');
  return api.raw(`${base}/evidence`, { method: 'POST', body: form, headers });
}

let flushing: Promise<number> | undefined;

/** Sends what is pending, oldest first; stops at the first network failure. Returns items sent. */
export function flushOutbox(api: ApiClient): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const item of await listOutbox()) {
        if (item.status !== 'pending') continue;
        try {
          await send(api, item);
          await remove(item.id);
          sent++;
        } catch (error) {
          if (error instanceof NetworkError) {
            await put({ ...item, attempts: item.attempts + 1, lastError: error.message });
            break;
          }
          if (error instanceof ApiError && (error.status >= 500 || error.status === 408 || error.status === 429 || error.status === 401)) {
            // Temporary, or the person must sign in again: keep it pending and try later.
            await put({ ...item, attempts: item.attempts + 1, lastError: error.message });
            break;
          }
          await put({ ...item, attempts: item.attempts + 1, status: 'rejected', lastError: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      flushing = undefined;
    }
    return sent;
  })();
  return flushing;
}

export async function discard(id: string): Promise<void> {
  await remove(id);
}

/** Flushes when the browser comes back online and every 15 s while something is pending. */
export function startOutboxSync(api: ApiClient): void {
  const tryFlush = (): void => {
    if (navigator.onLine) flushOutbox(api).catch(() => undefined);
  };
  window.addEventListener('online', tryFlush);
  window.setInterval(() => {
    pendingCount().then((n) => n > 0 && tryFlush(), () => undefined);
  }, 15_000);
  tryFlush();
}

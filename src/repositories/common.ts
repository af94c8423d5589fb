import { ConflictError, ValidationError, type FieldError } from '../errors.ts';

/** A page of a list: `next` is an opaque cursor for the following page, null on the last one. */
export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

export interface PageRequest {
  /** 1..500. */
  limit: number;
  /** Opaque cursor returned as `next` by the previous page. */
  cursor?: string;
}

export const MAX_PAGE_LIMIT = 500;

/** Cursors are the last `_id` of the previous page, base64url-encoded (opaque to clients). */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`k:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('k:')) throw new ValidationError('The cursor is not valid.', [{ pointer: '/query/cursor', detail: 'not a cursor returned by this API' }], 400);
  return text.slice(2);
}

/** Slices a list already sorted by key into a page after the cursor. */
export function pageOf<T>(sorted: T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const after = decodeCursor(request.cursor);
  const start = after === undefined ? 0 : firstIndexAfter(sorted, keyOf, after);
  const items = sorted.slice(start, start + request.limit);
  const hasMore = start + request.limit < sorted.length;
  return { items, total: sorted.length, next: hasMore && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

function firstIndexAfter<T>(sorted: T[], keyOf: (item: T) => string, after: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(keyOf(sorted[mid]), after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Binary (code-unit) order, the order MongoDB sorts string `_id`s in. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** Runs an insert and turns a duplicate key into a 409 naming what already exists. */
export async function insertOrConflict<T>(what: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError(`${what} already exists.`);
    throw toValidation(error);
  }
}

interface MongooseValidationError {
  name: string;
  errors: Record<string, { path: string; message: string }>;
}

/** Mongoose schema validation errors → 422 with JSON pointers into the body. */
export function toValidation(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && (error as { name?: string }).name === 'ValidationError' && 'errors' in error) {
    const errors: FieldError[] = Object.values((error as MongooseValidationError).errors).map((e) => ({
      pointer: `/body/${e.path.split('.').join('/')}`,
      detail: e.message,
    }));
    return new ValidationError('The resource is not valid.', errors);
  }
  return error;
}

/** Drops `undefined` values so they never overwrite stored fields in a `$set`. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

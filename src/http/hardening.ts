import type { RequestHandler } from 'express';
import { BadRequestError, UnsupportedMediaTypeError, type FieldError } from '../errors.ts';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_JSON_DEPTH = 32;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Finds keys that could smuggle MongoDB operators ($gt, a.b paths) or pollute prototypes, and
 * JSON nested deeper than any legitimate payload. Returns the offending pointers.
 */
export function findUnsafeKeys(value: unknown, pointer = '', depth = 0, found: FieldError[] = []): FieldError[] {
  if (found.length >= 20) return found;
  if (depth > MAX_JSON_DEPTH) {
    found.push({ pointer: pointer || '/', detail: `nested deeper than ${MAX_JSON_DEPTH} levels` });
    return found;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => findUnsafeKeys(item, `${pointer}/${index}`, depth + 1, found));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const child = `${pointer}/${escapePointer(key)}`;
      if (key.startsWith('$') || key.includes('.') || FORBIDDEN_KEYS.has(key) || key.includes('\u0000')) {
        found.push({ pointer: child, detail: `key "${key}" is not allowed (no "$" prefix, ".", or prototype keys)` });
      } else {
        findUnsafeKeys((value as Record<string, unknown>)[key], child, depth + 1, found);
      }
    }
  }
  return found;
}

/** Rejects unsafe keys in the JSON body and in the query string. */
export const rejectUnsafeKeys: RequestHandler = (req, _res, next) => {
  const problems = [
    ...findUnsafeKeys(req.body, '/body'),
    ...findUnsafeKeys(req.query, '/query'),
  ];
  if (problems.length > 0) {
    next(new BadRequestError('The request contains keys that are not allowed.', problems));
    return;
  }
  next();
};

/** Requests with a body must declare a JSON (or multipart, where accepted) content type. */
export function requireContentType(allowMultipart: (path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') {
      next();
      return;
    }
    if (req.is('application/json') || req.is('application/*+json')) {
      next();
      return;
    }
    if (req.is('multipart/form-data') && allowMultipart(req.path)) {
      next();
      return;
    }
    next(new UnsupportedMediaTypeError(`Content-Type must be application/json${allowMultipart(req.path) ? ' or multipart/form-data' : ''}.`));
  };
}

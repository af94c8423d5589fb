import type { Request } from 'express';
import { BadRequestError, ValidationError } from '../../errors.ts';

/** Request helpers for the routers. Requests were validated and coerced against openapi.yaml. */

export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

export function queryString(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function queryNumber(req: Request, name: string): number | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new BadRequestError(`${name} must be a number.`, [{ pointer: `/query/${name}`, detail: 'must be a number' }]);
  return number;
}

export function queryBoolean(req: Request, name: string): boolean | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new BadRequestError(`${name} must be true or false.`, [{ pointer: `/query/${name}`, detail: 'must be true or false' }]);
}

/** `limit` (1..500, default 100) and the opaque `cursor`. */
export function pageOf(req: Request): { limit: number; cursor?: string } {
  const limit = queryNumber(req, 'limit') ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequestError('limit must be an integer from 1 to 500.', [{ pointer: '/query/limit', detail: 'must be 1..500' }]);
  return { limit, cursor: queryString(req, 'cursor') };
}

/** `bbox=minLng,minLat,maxLng,maxLat`. */
export function bboxOf(req: Request): [number, number, number, number] | undefined {
  const raw = queryString(req, 'bbox');
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => Number(p.trim()));
  const valid = parts.length === 4 && parts.every(Number.isFinite) && parts[0] <= parts[2] && parts[1] <= parts[3] && parts[1] >= -90 && parts[3] <= 90 && parts[0] >= -180 && parts[2] <= 180;
  // The format is checked by openapi.yaml (400); well-formed but impossible boxes are 422.
  if (!valid) throw new ValidationError('bbox must be minLng,minLat,maxLng,maxLat.', [{ pointer: '/query/bbox', detail: 'must be four numbers minLng,minLat,maxLng,maxLat with min ≤ max' }], 422);
  return [parts[0], parts[1], parts[2], parts[3]];
}

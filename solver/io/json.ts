import type { ProblemInput } from '../model/types.ts';
import { FormatError } from './errors.ts';

/**
 * Our JSON format is the {@link ProblemInput} object itself (see docs/solver.md), optionally
 * wrapped with `"format": "rutas-vrp/1"`. Matrices are flat row-major arrays over nodes
 * (depots first, then clients).
 */
export function readJsonProblem(text: string): ProblemInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FormatError('json', error instanceof Error ? error.message : String(error));
  }
  if (typeof value !== 'object' || value === null) throw new FormatError('json', 'top level must be an object');
  const v = value as Record<string, unknown>;
  if (v.format !== undefined && v.format !== 'rutas-vrp/1') throw new FormatError('json', `unknown format ${JSON.stringify(v.format)}`);
  for (const key of ['depots', 'clients', 'vehicleTypes']) {
    if (!Array.isArray(v[key])) throw new FormatError('json', `"${key}" must be an array`);
  }
  const clients = v.clients as unknown[];
  clients.forEach((c, i) => {
    const client = c as Record<string, unknown>;
    if (typeof client.id !== 'string') throw new FormatError('json', `clients[${i}].id must be a string`);
    if (!Array.isArray(client.demand)) throw new FormatError('json', `clients[${i}].demand must be an array`);
  });
  (v.vehicleTypes as unknown[]).forEach((t, i) => {
    const type = t as Record<string, unknown>;
    if (typeof type.count !== 'number') throw new FormatError('json', `vehicleTypes[${i}].count must be a number`);
    if (!Array.isArray(type.capacity)) throw new FormatError('json', `vehicleTypes[${i}].capacity must be an array`);
  });
  // JSON has no Infinity: a null matrix entry means "no road" (unreachable).
  for (const key of ['distance', 'duration']) {
    const matrix = v[key];
    if (matrix === undefined) continue;
    if (!Array.isArray(matrix)) throw new FormatError('json', `"${key}" must be a flat array`);
    v[key] = matrix.map((x: unknown) => (x === null ? Number.POSITIVE_INFINITY : x));
  }
  return value as ProblemInput;
}

/** Serialises a problem to our JSON format (typed arrays become plain arrays). */
export function writeJsonProblem(problem: ProblemInput): string {
  const plain = {
    format: 'rutas-vrp/1',
    ...problem,
    ...(problem.distance ? { distance: Array.from(problem.distance, finiteOrNull) } : {}),
    ...(problem.duration ? { duration: Array.from(problem.duration, finiteOrNull) } : {}),
  };
  return JSON.stringify(plain);
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

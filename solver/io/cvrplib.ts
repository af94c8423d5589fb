import type { ClientInput, DepotInput, ProblemInput } from '../model/types.ts';
import { FormatError } from './errors.ts';

/** A parsed CVRPLIB / TSPLIB instance, plus the mapping back to the file's node numbers. */
export interface CvrplibInstance {
  problem: ProblemInput;
  /** The file's node number of each problem node (depots first, then clients). */
  fileIds: number[];
  /** Capacity, as declared. */
  capacity: number;
  edgeWeightType: string;
}

const SECTION = /^[A-Z_]+_SECTION$/;

function nint(value: number): number {
  return Math.floor(value + 0.5);
}

/**
 * Reads a CVRPLIB/TSPLIB `.vrp` file. Supports EUC_2D (TSPLIB nint rounding), CEIL_2D,
 * EXACT_2D / FLOAT_2D (unrounded), ATT, and EXPLICIT matrices in FULL_MATRIX, LOWER_ROW,
 * UPPER_ROW, LOWER_DIAG_ROW, UPPER_DIAG_ROW, LOWER_COL, UPPER_COL, LOWER_DIAG_COL and
 * UPPER_DIAG_COL layouts; DEMAND_SECTION, DEPOT_SECTION, optional SERVICE_TIME, DISTANCE
 * (route length limit) and VEHICLES. The fleet is unbounded (one vehicle per client) unless
 * VEHICLES is given.
 */
export function readCvrplib(text: string): CvrplibInstance {
  const lines = text.split(/\r?\n/);
  const header = new Map<string, string>();
  const sections = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' ) continue;
    if (line === 'EOF') break;
    const colon = line.indexOf(':');
    const word = line.split(/\s+/)[0];
    if (SECTION.test(word)) {
      current = [];
      sections.set(word, current);
      continue;
    }
    if (colon > 0 && /^[A-Z_]+\s*$/.test(line.slice(0, colon))) {
      header.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      current = undefined;
      continue;
    }
    if (!current) throw new FormatError('cvrplib', `unexpected line "${line.slice(0, 40)}"`);
    current.push(line.split(/\s+/));
  }
  const dimension = Number(header.get('DIMENSION'));
  if (!Number.isInteger(dimension) || dimension < 2) throw new FormatError('cvrplib', 'missing or invalid DIMENSION');
  const capacity = Number(header.get('CAPACITY') ?? Number.POSITIVE_INFINITY);
  if (Number.isNaN(capacity)) throw new FormatError('cvrplib', 'invalid CAPACITY');
  const edgeWeightType = (header.get('EDGE_WEIGHT_TYPE') ?? 'EUC_2D').toUpperCase();

  const coords = new Map<number, [number, number]>();
  for (const row of sections.get('NODE_COORD_SECTION') ?? []) coords.set(Number(row[0]), [Number(row[1]), Number(row[2])]);
  const demands = new Map<number, number>();
  for (const row of sections.get('DEMAND_SECTION') ?? []) demands.set(Number(row[0]), Number(row[1]));
  const depotIds: number[] = [];
  for (const row of sections.get('DEPOT_SECTION') ?? []) {
    for (const token of row) {
      const id = Number(token);
      if (id === -1) break;
      depotIds.push(id);
    }
  }
  if (depotIds.length === 0) depotIds.push(1);
  const fileNodes = Array.from({ length: dimension }, (_, i) => i + 1);
  const clientIds = fileNodes.filter((id) => !depotIds.includes(id));
  const fileIds = [...depotIds, ...clientIds];

  const full = fileMatrix(edgeWeightType, header, sections, coords, dimension);
  const n = fileIds.length;
  const distance = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) distance[a * n + b] = a === b ? 0 : full[(fileIds[a] - 1) * dimension + (fileIds[b] - 1)];
  }
  const service = Number(header.get('SERVICE_TIME') ?? 0);
  const maxDistance = header.has('DISTANCE') ? Number(header.get('DISTANCE')) : undefined;
  const vehicles = header.has('VEHICLES') ? Number(header.get('VEHICLES')) : clientIds.length;
  const depots: DepotInput[] = depotIds.map((id) => ({ id: String(id), x: coords.get(id)?.[0], y: coords.get(id)?.[1] }));
  const clients: ClientInput[] = clientIds.map((id) => {
    const demand = demands.get(id);
    if (demand === undefined) throw new FormatError('cvrplib', `node ${id} has no DEMAND_SECTION entry`);
    return { id: String(id), x: coords.get(id)?.[0], y: coords.get(id)?.[1], demand: [demand], serviceMin: service };
  });
  const problem: ProblemInput = {
    name: header.get('NAME') ?? 'cvrplib',
    dimensions: ['demand'],
    depots,
    clients,
    vehicleTypes: [
      {
        id: 'vehicle',
        count: Math.max(1, vehicles),
        capacity: [capacity],
        ...(maxDistance !== undefined ? { maxDistance } : {}),
      },
    ],
    distance,
    duration: distance,
  };
  return { problem, fileIds, capacity, edgeWeightType };
}

function fileMatrix(
  type: string,
  header: Map<string, string>,
  sections: Map<string, string[][]>,
  coords: Map<number, [number, number]>,
  dim: number,
): Float64Array {
  const m = new Float64Array(dim * dim);
  if (type === 'EXPLICIT') {
    const format = (header.get('EDGE_WEIGHT_FORMAT') ?? 'FULL_MATRIX').toUpperCase();
    const values = (sections.get('EDGE_WEIGHT_SECTION') ?? []).flat().map(Number);
    fillExplicit(m, dim, format, values);
    return m;
  }
  const point = (id: number): [number, number] => {
    const p = coords.get(id);
    if (!p) throw new FormatError('cvrplib', `node ${id} has no coordinates`);
    return p;
  };
  for (let i = 0; i < dim; i++) {
    const [xi, yi] = point(i + 1);
    for (let j = 0; j < dim; j++) {
      if (i === j) continue;
      const [xj, yj] = point(j + 1);
      const dx = xi - xj;
      const dy = yi - yj;
      const e = Math.sqrt(dx * dx + dy * dy);
      let w: number;
      switch (type) {
        case 'EUC_2D':
          w = nint(e);
          break;
        case 'CEIL_2D':
          w = Math.ceil(e);
          break;
        case 'EXACT_2D':
        case 'FLOAT_2D':
          w = e;
          break;
        case 'ATT': {
          const r = Math.sqrt((dx * dx + dy * dy) / 10);
          const t = nint(r);
          w = t < r ? t + 1 : t;
          break;
        }
        default:
          throw new FormatError('cvrplib', `EDGE_WEIGHT_TYPE ${type} is not supported`);
      }
      m[i * dim + j] = w;
    }
  }
  return m;
}

/** Fills a full matrix from the TSPLIB explicit layouts (row/column, lower/upper, with/without diagonal). */
function fillExplicit(m: Float64Array, n: number, format: string, values: number[]): void {
  let k = 0;
  const take = (): number => {
    if (k >= values.length) throw new FormatError('cvrplib', `EDGE_WEIGHT_SECTION too short for ${format}`);
    return values[k++];
  };
  const set = (i: number, j: number, v: number): void => {
    m[i * n + j] = v;
    m[j * n + i] = v;
  };
  switch (format) {
    case 'FULL_MATRIX':
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = take();
      return;
    case 'LOWER_ROW':
    case 'UPPER_COL':
      for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) set(i, j, take());
      return;
    case 'UPPER_ROW':
    case 'LOWER_COL':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) set(i, j, take());
      return;
    case 'LOWER_DIAG_ROW':
    case 'UPPER_DIAG_COL':
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, take());
      return;
    case 'UPPER_DIAG_ROW':
    case 'LOWER_DIAG_COL':
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j, take());
      return;
    default:
      throw new FormatError('cvrplib', `EDGE_WEIGHT_FORMAT ${format} is not supported`);
  }
}

/** A CVRPLIB `.sol` file: routes of customer numbers as written in the file, and the Cost line. */
export interface CvrplibSolution {
  routes: number[][];
  cost: number | undefined;
}

export function readCvrplibSolution(text: string): CvrplibSolution {
  const routes: number[][] = [];
  let cost: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const route = /^Route\s*#?\s*\d+\s*:(.*)$/i.exec(line);
    if (route) {
      const ids = route[1].trim();
      routes.push(ids === '' ? [] : ids.split(/\s+/).map(Number));
      continue;
    }
    const c = /^Cost\s+([-\d.eE+]+)/i.exec(line);
    if (c) cost = Number(c[1]);
  }
  if (routes.some((r) => r.some((id) => !Number.isInteger(id)))) throw new FormatError('cvrplib-sol', 'route with a non-integer customer');
  return { routes, cost };
}

/**
 * Road distances and driving times between points. Without a routing engine the estimate is
 * haversine × circuity factor (1.3 by default: an assumption, see README) at an average speed;
 * with OSRM_URL set, the OSRM table service gives real road figures.
 */

export interface LngLat {
  lng: number;
  lat: number;
}

/** Dense row-major n × n matrices; a non-finite entry means there is no road. */
export interface TravelMatrix {
  size: number;
  distanceKm: Float64Array;
  durationMin: Float64Array;
}

export interface DistanceProvider {
  readonly name: string;
  matrix(points: readonly LngLat[], signal?: AbortSignal): Promise<TravelMatrix>;
}

const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(a: LngLat, b: LngLat): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export class HaversineDistanceProvider implements DistanceProvider {
  readonly name = 'haversine';
  constructor(
    private readonly circuityFactor: number,
    private readonly averageSpeedKmh: number,
  ) {
    if (!(circuityFactor >= 1)) throw new RangeError(`circuityFactor must be >= 1, got ${circuityFactor}`);
    if (!(averageSpeedKmh > 0)) throw new RangeError(`averageSpeedKmh must be > 0, got ${averageSpeedKmh}`);
  }

  matrix(points: readonly LngLat[]): Promise<TravelMatrix> {
    const n = points.length;
    const distanceKm = new Float64Array(n * n);
    const durationMin = new Float64Array(n * n);
    const minutesPerKm = 60 / this.averageSpeedKmh;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const km = haversineKm(points[i], points[j]) * this.circuityFactor;
        distanceKm[i * n + j] = km;
        distanceKm[j * n + i] = km;
        durationMin[i * n + j] = km * minutesPerKm;
        durationMin[j * n + i] = km * minutesPerKm;
      }
    }
    return Promise.resolve({ size: n, distanceKm, durationMin });
  }
}

export class DistanceServiceError extends Error {
  override name = 'DistanceServiceError';
}

type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

interface OsrmTable {
  code: string;
  message?: string;
  distances?: (number | null)[][];
  durations?: (number | null)[][];
}

/**
 * OSRM `table` service (`/table/v1/driving/...?annotations=distance,duration`). Large matrices
 * are requested in blocks of `blockSize` sources × `blockSize` destinations, because OSRM limits
 * the table size (`--max-table-size`, 100 by default).
 */
export class OsrmDistanceProvider implements DistanceProvider {
  readonly name = 'osrm';
  constructor(
    private readonly baseUrl: string,
    private readonly options: { blockSize?: number; profile?: string; fetch?: FetchLike } = {},
  ) {}

  async matrix(points: readonly LngLat[], signal?: AbortSignal): Promise<TravelMatrix> {
    const n = points.length;
    const block = this.options.blockSize ?? 50;
    const distanceKm = new Float64Array(n * n);
    const durationMin = new Float64Array(n * n);
    const doFetch: FetchLike = this.options.fetch ?? ((url, init) => fetch(url, init));
    const base = this.baseUrl.replace(/\/+$/, '');
    for (let s0 = 0; s0 < n; s0 += block) {
      for (let d0 = 0; d0 < n; d0 += block) {
        const sources = range(s0, Math.min(n, s0 + block));
        const destinations = range(d0, Math.min(n, d0 + block));
        const indices = [...new Set([...sources, ...destinations])];
        const position = new Map(indices.map((node, k) => [node, k]));
        const coordinates = indices.map((i) => `${points[i].lng.toFixed(6)},${points[i].lat.toFixed(6)}`).join(';');
        const url =
          `${base}/table/v1/${this.options.profile ?? 'driving'}/${coordinates}?annotations=distance,duration` +
          `&sources=${sources.map((i) => position.get(i)).join(';')}&destinations=${destinations.map((i) => position.get(i)).join(';')}`;
        const response = await doFetch(url, { signal });
        if (!response.ok) throw new DistanceServiceError(`OSRM table request failed with HTTP ${response.status}`);
        const table = (await response.json()) as OsrmTable;
        if (table.code !== 'Ok' || !table.distances || !table.durations) {
          throw new DistanceServiceError(`OSRM table request failed: ${table.code} ${table.message ?? ''}`.trim());
        }
        sources.forEach((i, a) => {
          destinations.forEach((j, b) => {
            const meters = table.distances![a][b];
            const seconds = table.durations![a][b];
            distanceKm[i * n + j] = meters === null ? Number.POSITIVE_INFINITY : meters / 1000;
            durationMin[i * n + j] = seconds === null ? Number.POSITIVE_INFINITY : seconds / 60;
          });
        });
      }
    }
    return { size: n, distanceKm, durationMin };
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** The provider chosen by configuration. */
export function distanceProviderFor(config: { circuityFactor: number; averageSpeedKmh: number; osrmUrl: string | undefined }): DistanceProvider {
  return config.osrmUrl ? new OsrmDistanceProvider(config.osrmUrl) : new HaversineDistanceProvider(config.circuityFactor, config.averageSpeedKmh);
}

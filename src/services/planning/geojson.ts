/** Routes as GeoJSON: one LineString per route (warehouse → stops → warehouse) and one Point per stop. */
import type { PlannedRoute } from './types.ts';

export interface GeoJsonFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string | number | boolean | null>;
}

export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
}

export function routesGeoJson(routes: readonly PlannedRoute[], depots: ReadonlyMap<string, { lng: number; lat: number }>): GeoJsonFeatureCollection {
  const features: GeoJsonFeature[] = [];
  for (const route of routes) {
    const depot = depots.get(route.warehouseId);
    const path: [number, number][] = route.stops.map((s) => [s.lng, s.lat]);
    if (depot) {
      path.unshift([depot.lng, depot.lat]);
      path.push([depot.lng, depot.lat]);
    }
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: path },
      properties: {
        kind: 'route',
        routeKey: route.routeKey,
        number: route.number,
        state: route.state.name,
        warehouseId: route.warehouseId,
        vehicleId: route.vehicleId,
        startDate: route.startDate,
        tripDays: route.tripDays,
        stops: route.stops.length,
        distanceKm: route.distanceKm,
        weightKg: route.load.weightKg,
      },
    });
    for (const stop of route.stops) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [stop.lng, stop.lat] },
        properties: { kind: 'stop', routeKey: route.routeKey, seq: stop.seq, clues: stop.clues, name: stop.name, date: stop.date, eta: stop.eta },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

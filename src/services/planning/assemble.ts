/**
 * Turns a warehouse's solver result into dated routes: each route is given a physical vehicle
 * and a start day so that no vehicle is on two trips the same day (a multi-day trip holds its
 * vehicle for all its days), spreading routes evenly over the delivery days. A route that finds
 * no free vehicle-day leaves its units unassigned with reason `fleet_days`.
 */
import type { RouteResult, SolveResult } from '../../../solver/index.ts';
import { clock } from './calendar.ts';
import { physicalTypeId } from './problem.ts';
import type { KitTotalsOut, PlannedRoute, PlannedStop, PlanningUnit, PlanningVehicleType, PlanningWarehouse, UnassignedReason } from './types.ts';

export interface PackedRoute {
  route: RouteResult;
  vehicle: number;
  dayIndex: number;
  span: number;
}

/** Trip length in days: the day of its last event (minutes from the trip's start day). */
export function tripSpan(route: RouteResult): number {
  return Math.max(1, route.days.length, Math.floor(Math.max(0, route.endMin - 1) / 1440) + 1);
}

/** Assigns (vehicle, start day) to every route it can; returns the ones that did not fit. */
export function packRoutes(
  routes: readonly RouteResult[],
  vehiclesOfType: (vehicleTypeId: string) => number,
  days: number,
): { packed: PackedRoute[]; overflow: RouteResult[] } {
  const order = [...routes].sort((a, b) => tripSpan(b) - tripSpan(a) || b.durationMin - a.durationMin || a.clients[0] - b.clients[0]);
  const busy = new Map<string, boolean[][]>();
  const perDay = new Array<number>(days).fill(0);
  const packed: PackedRoute[] = [];
  const overflow: RouteResult[] = [];
  for (const route of order) {
    const span = tripSpan(route);
    const typeId = physicalTypeId(route.vehicleTypeId);
    let grid = busy.get(typeId);
    if (!grid) {
      grid = Array.from({ length: vehiclesOfType(typeId) }, () => new Array<boolean>(days).fill(false));
      busy.set(typeId, grid);
    }
    let best: { vehicle: number; day: number; score: number } | undefined;
    for (let day = 0; day + span <= days; day++) {
      let score = 0;
      for (let d = day; d < day + span; d++) score += perDay[d];
      if (best && score >= best.score) continue;
      const vehicle = grid.findIndex((free) => free.slice(day, day + span).every((b) => !b));
      if (vehicle >= 0) best = { vehicle, day, score };
    }
    if (!best) {
      overflow.push(route);
      continue;
    }
    for (let d = best.day; d < best.day + span; d++) {
      grid[best.vehicle][d] = true;
      perDay[d] += 1;
    }
    packed.push({ route, vehicle: best.vehicle, dayIndex: best.day, span });
  }
  return { packed, overflow };
}

export interface AssembledWarehouse {
  routes: PlannedRoute[];
  unassigned: { clues: string; reason: UnassignedReason }[];
}

/** Dated, numbered routes of one warehouse from the solver result. */
export function assembleWarehouseRoutes(input: {
  warehouse: PlanningWarehouse;
  result: SolveResult;
  vehicleTypes: readonly PlanningVehicleType[];
  deliveryDates: readonly string[];
  units: ReadonlyMap<string, PlanningUnit>;
  totals: ReadonlyMap<string, KitTotalsOut>;
}): AssembledWarehouse {
  const { warehouse, result, deliveryDates } = input;
  const typeById = new Map(input.vehicleTypes.map((t) => [t.id, t]));
  const { packed, overflow } = packRoutes(result.routes, (id) => typeById.get(id)?.count ?? 0, deliveryDates.length);
  const unassigned: AssembledWarehouse['unassigned'] = result.unassigned.map((u) => ({ clues: u.clientId, reason: u.reason }));
  for (const route of overflow) for (const clues of route.clientIds) unassigned.push({ clues, reason: 'fleet_days' });

  packed.sort((a, b) => a.dayIndex - b.dayIndex || physicalTypeId(a.route.vehicleTypeId).localeCompare(physicalTypeId(b.route.vehicleTypeId)) || a.vehicle - b.vehicle);
  const routes = packed.map((p, index): PlannedRoute => {
    const type = typeById.get(physicalTypeId(p.route.vehicleTypeId))!;
    const number = index + 1;
    const overnightClients = new Set(p.route.days.map((d) => d.overnightAfterClient).filter((c): c is number => c !== undefined));
    const stops = p.route.stops.map((stop, seq): PlannedStop => {
      const unit = input.units.get(stop.clientId)!;
      const totals = input.totals.get(stop.clientId)!;
      const tripDay = Math.floor(stop.startMin / 1440);
      const planned: PlannedStop = {
        seq: seq + 1,
        clues: unit.clues,
        name: unit.name,
        unitType: unit.type,
        state: unit.state,
        lng: unit.lng ?? 0,
        lat: unit.lat ?? 0,
        date: deliveryDates[Math.min(deliveryDates.length - 1, p.dayIndex + tripDay)],
        tripDay,
        arrivalMin: round1(stop.arrivalMin),
        startMin: round1(stop.startMin),
        departureMin: round1(stop.departureMin),
        eta: clock(stop.startMin),
        overnightAfter: overnightClients.has(stop.client),
        totals,
      };
      // Absent contact fields stay absent (a stored undefined would come back as null).
      if (unit.contact?.receiverName) planned.receiverName = unit.contact.receiverName;
      if (unit.contact?.phone) planned.phone = unit.contact.phone;
      if (unit.contact?.email) planned.email = unit.contact.email;
      return planned;
    });
    return {
      routeKey: `${warehouse.id}-${String(number).padStart(3, '0')}`,
      number,
      warehouseId: warehouse.id,
      state: warehouse.state,
      vehicleId: `${warehouse.id}.${type.id}.${p.vehicle + 1}`,
      vehicleTypeId: type.id,
      vehicleName: type.name,
      startDate: deliveryDates[p.dayIndex],
      dayIndex: p.dayIndex,
      tripDays: p.span,
      startMin: round1(p.route.startMin),
      endMin: round1(p.route.endMin),
      distanceKm: round3(p.route.distance),
      durationMin: round1(p.route.durationMin),
      drivingMin: round1(p.route.drivingMin),
      cost: round3(p.route.cost),
      load: { weightKg: round3(p.route.load[0]), volumeM3: round3(p.route.load[1]), coldBoxes: p.route.load[2] },
      capacity: { weightKg: type.capacityKg, volumeM3: type.capacityM3, coldBoxes: type.coldBoxes },
      stops,
    };
  });
  return { routes, unassigned };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

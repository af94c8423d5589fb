import { registerModels } from '../../../models/index.ts';
import { createPlanRepository } from '../../../src/repositories/plans.ts';
import { createRoundRepository } from '../../../src/repositories/rounds.ts';
import type { RunningService } from '../../../src/main.ts';
import { computeKpis } from '../../../src/services/planning/kpi.ts';
import type { PlannedRoute, PlannedStop, RationedItem, UnitKit } from '../../../src/services/planning/types.ts';
import { localDay } from '../../../src/services/execution/time.ts';
import { CHIS_1, ITEMS, OAX_1, OAX_2, seedNetwork } from '../../http/fixtures.ts';

/**
 * A dispatched plan of a round in two states, written through the plans module's repositories
 * (the shape its generation writes: header + one document per route and per stop kit).
 */
export const OAX_3 = 'OCSSA000013';
export const OAX_4 = 'OCSSA000014';
export const OAX_5 = 'OCSSA000015';
export const ROUND_ID = 'rnd-exec-test';
export const PLAN_ID = 'plan-exec-test';
export const GENERATION = 'gen-exec-1';
export const VAN_1 = 'ALM-20.ALM-20-T01.1';
export const VAN_2 = 'ALM-20.ALM-20-T01.2';
export const CHIS_VAN = 'ALM-07.ALM-07-T01.1';

const OAX = { code: '20', name: 'Oaxaca' };
const CHIS = { code: '07', name: 'Chiapas' };

const COORDS: Record<string, [number, number]> = {
  [OAX_1]: [-96.06, 17.1],
  [OAX_2]: [-96.72, 17.06],
  [OAX_3]: [-96.5, 16.9],
  [OAX_4]: [-96.4, 16.8],
  [OAX_5]: [-96.9, 17.3],
  [CHIS_1]: [-93.11, 16.75],
};

export function days(now = new Date()): { today: string; tomorrow: string } {
  const today = localDay(now);
  const t = new Date(`${today}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return { today, tomorrow: t.toISOString().slice(0, 10) };
}

function stop(clues: string, seq: number, date: string, state = OAX): PlannedStop {
  const [lng, lat] = COORDS[clues];
  return {
    seq,
    clues,
    name: `Centro de Salud ${clues}`,
    unitType: 'centro de salud',
    state,
    lng,
    lat,
    date,
    tripDay: 0,
    arrivalMin: 540 + seq * 60,
    startMin: 540 + seq * 60,
    departureMin: 560 + seq * 60,
    eta: `${9 + seq}:00`,
    overnightAfter: false,
    totals: { claves: 2, medicinePieces: 90, supplyPieces: 0, weightKg: 6, volumeM3: 0.05, coldBoxes: 0 },
    receiverName: 'Responsable',
  };
}

function route(routeKey: string, number: number, vehicleId: string, date: string, stops: PlannedStop[], warehouseId = 'ALM-20', state = OAX): PlannedRoute {
  const { today } = days();
  return {
    routeKey,
    number,
    warehouseId,
    state,
    vehicleId,
    vehicleTypeId: vehicleId.split('.')[1],
    vehicleName: vehicleId,
    startDate: date,
    dayIndex: date === today ? 0 : 1,
    tripDays: 1,
    startMin: 480,
    endMin: 900,
    distanceKm: 120,
    durationMin: 420,
    drivingMin: 180,
    cost: 1000,
    load: { weightKg: 6 * stops.length, volumeM3: 0.05 * stops.length, coldBoxes: 0 },
    capacity: { weightKg: 3500, volumeM3: 18, coldBoxes: 0 },
    stops,
  };
}

function kit(clues: string): UnitKit {
  return {
    clues,
    totals: { claves: 2, medicinePieces: 90, supplyPieces: 0, weightKg: 6, volumeM3: 0.05, coldBoxes: 0 },
    lines: [
      { code: ITEMS[0], name: 'Paracetamol 500 mg', category: 'medicine', quantity: 60, coldChain: false, controlled: false, lots: [{ lotCode: 'L-PARA-1', expiryDate: '2027-12-31', quantity: 60 }], short: 0 },
      { code: ITEMS[1], name: 'Ácido acetilsalicílico 500 mg', category: 'medicine', quantity: 30, coldChain: false, controlled: false, lots: [{ lotCode: 'L-ASA-1', expiryDate: '2027-06-30', quantity: 30 }], short: 0 },
    ],
  };
}

export interface PlanFixture {
  today: string;
  tomorrow: string;
  routes: PlannedRoute[];
  rationing: RationedItem[];
}

export async function seedDispatchedPlan(service: Pick<RunningService, 'repositories' | 'connection'>): Promise<PlanFixture> {
  await seedNetwork(service);
  const unit = (clues: string) => ({
    set: {
      clues,
      name: `Centro de Salud ${clues}`,
      state: OAX,
      municipality: { name: 'Oaxaca de Juárez' },
      type: 'centro de salud',
      sizeClass: 'nb-1',
      location: { type: 'Point' as const, coordinates: COORDS[clues] },
      warehouseId: 'ALM-20',
    },
  });
  await service.repositories.units.upsertMany([unit(OAX_3), unit(OAX_4), unit(OAX_5)]);
  const { today, tomorrow } = days();
  const routes = [
    route('ALM-20-1', 1, VAN_1, today, [stop(OAX_1, 1, today), stop(OAX_2, 2, today)]),
    route('ALM-20-2', 2, VAN_1, tomorrow, [stop(OAX_3, 1, tomorrow), stop(OAX_4, 2, tomorrow)]),
    route('ALM-20-3', 3, VAN_2, today, [stop(OAX_5, 1, today)]),
    route('ALM-07-1', 1, CHIS_VAN, today, [stop(CHIS_1, 1, today, CHIS)], 'ALM-07', CHIS),
  ];
  const models = registerModels(service.connection);
  const plans = createPlanRepository(models);
  const rounds = createRoundRepository(models);
  await rounds.insert({
    id: ROUND_ID,
    name: 'Jornada de prueba',
    type: 'ordinary',
    level: 'first',
    deliveryStart: today,
    deliveryEnd: tomorrow,
    month: today.slice(0, 7),
    states: ['20', '07'],
    units: [],
    coordinators: [],
    status: 'in-progress',
    source: 'api',
    currentPlanId: PLAN_ID,
    approvedPlanId: PLAN_ID,
    createdBy: 'test',
  });
  await plans.insertRoutes(routes.map((r) => ({ _id: `${GENERATION}:${r.routeKey}`, planId: PLAN_ID, generation: GENERATION, routeKey: r.routeKey, route: r })));
  await plans.insertKits(routes.flatMap((r) => r.stops.map((s) => ({ _id: `${GENERATION}:${s.clues}`, planId: PLAN_ID, generation: GENERATION, clues: s.clues, routeKey: r.routeKey, kit: kit(s.clues) }))));
  const vehicles = new Map<string, { vehicleId: string; warehouseId: string; stateCode: string; routeIds: string[] }>();
  for (const r of routes) {
    const entry = vehicles.get(r.vehicleId) ?? { vehicleId: r.vehicleId, warehouseId: r.warehouseId, stateCode: r.state.code, routeIds: [] };
    entry.routeIds.push(`${GENERATION}:${r.routeKey}`);
    vehicles.set(r.vehicleId, entry);
  }
  // One item rationed at the Oaxaca warehouse; KPIs as the generation computes them.
  const rationing: RationedItem[] = [{ warehouseId: 'ALM-20', code: ITEMS[1], requested: 200, allocated: 150, shortfall: 50, unitsShort: 2 }];
  const dueByState = new Map([
    ['20', { ...OAX, due: 5 }],
    ['07', { ...CHIS, due: 1 }],
  ]);
  const kpis = computeKpis({ routes, unassigned: [], dueByState, rationing, warehouseState: new Map([['ALM-20', '20'], ['ALM-07', '07']]), days: 2 });
  await plans.create({
    id: PLAN_ID,
    roundId: ROUND_ID,
    status: 'dispatched',
    stage: 'done',
    percent: 100,
    generation: GENERATION,
    options: { seed: 1 },
    deliveryDates: [today, tomorrow],
    kpis,
    unassigned: [],
    rationing,
    warehouses: [],
    routeIds: routes.map((r) => `${GENERATION}:${r.routeKey}`),
    vehicles: [...vehicles.values()],
    createdBy: 'test',
  });
  return { today, tomorrow, routes, rationing };
}

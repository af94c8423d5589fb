/**
 * The execution side's view of a plan: what it needs from the rounds/plans module, whatever
 * the shape of that module's documents. `PlanSource` is the port; the composition root plugs in
 * an adapter over the plans repository.
 */

export interface StateInfo {
  /** INEGI 2-digit code, e.g. "20". */
  code: string;
  name: string;
}

export interface ExecLine {
  itemCode: string;
  /** Planned pieces of this item for the stop (all lots). */
  quantity: number;
  lots: { lotNumber: string; quantity: number }[];
  /** Planned pieces no lot could fill (not shipped). */
  short?: number;
}

export interface ExecStop {
  clues: string;
  name: string;
  state: StateInfo;
  /** Position in the route, 1-based. */
  seq: number;
  /** ISO date of the planned visit. */
  date: string;
  lng?: number;
  lat?: number;
  serviceTimeMin?: number;
  timeWindows?: { startMin: number; endMin: number }[];
  medicinePieces: number;
  supplyPieces: number;
  weightKg?: number;
  volumeM3?: number;
  coldBoxes?: number;
  /** Minutes after local midnight, when known (replanning sets them on moved stops). */
  arrivalMin?: number;
  startMin?: number;
  departureMin?: number;
}

export interface ExecRoute {
  routeKey: string;
  number?: number;
  warehouseId: string;
  state: StateInfo;
  vehicleId: string;
  vehicleTypeId?: string;
  /** ISO date the trip starts. */
  startDate: string;
  tripDays?: number;
  distanceKm?: number;
  /** The day's schedule, set by replanning on the routes it builds (minutes of the day). */
  startMin?: number;
  endMin?: number;
  durationMin?: number;
  drivingMin?: number;
  /** Where the trip starts and ends (the warehouse). */
  depot?: { lng: number; lat: number };
  /** The vehicle's capacity and working hours (replanning reuses them). */
  capacity?: { weightKg: number; volumeM3: number; coldBoxes: number };
  skills?: string[];
  shiftStartMin?: number;
  shiftEndMin?: number;
  stops: ExecStop[];
}

export interface ExecUnassigned {
  clues: string;
  name: string;
  state: StateInfo;
  reason: string;
}

export interface ExecPlan {
  id: string;
  roundId: string;
  /** e.g. draft, approved, dispatched, superseded… */
  status: string;
  deliveryDates?: string[];
  routes: ExecRoute[];
  unassigned: ExecUnassigned[];
}

export interface ExecRound {
  id: string;
  name: string;
  status?: string;
}

/** Vehicles of a warehouse, for replanning. */
export interface ExecVehicleType {
  id: string;
  warehouseId: string;
  count: number;
  capacityKg: number;
  capacityM3: number;
  coldBoxes: number;
  skills: string[];
  shiftStartMin: number;
  shiftEndMin: number;
  costPerKm?: number;
  fixedCost?: number;
}

export interface ExecWarehouse {
  id: string;
  lng: number;
  lat: number;
  openMin: number;
  closeMin: number;
}

export type ExecPlanHeader = Omit<ExecPlan, 'routes'>;

export interface PlanSource {
  getRound(roundId: string): Promise<ExecRound | undefined>;
  /** Status and unassigned units, without routes (cheap). */
  getPlanHeader(planId: string): Promise<ExecPlanHeader | undefined>;
  /** The whole plan: every route with its stops (no kit lines); `fresh` skips any cache. */
  getPlan(planId: string, options?: { fresh?: boolean }): Promise<ExecPlan | undefined>;
  /** One stop and its route, found by key (no scan of the plan). */
  getStop(planId: string, clues: string): Promise<{ route: ExecRoute; stop: ExecStop } | undefined>;
  /** The kit planned for a stop, by item and lot. */
  stopLines(planId: string, clues: string): Promise<ExecLine[] | undefined>;
  /** The plans of a round being executed (the approved one, else the current draft). */
  plansOfRound(roundId: string): Promise<ExecPlan[]>;
  /** Marks the stop closed in the plan's own documents (what the routes API shows). */
  closeStop?(planId: string, routeKey: string, clues: string, outcome: { delivered: boolean; at: Date; reason?: string }): Promise<void>;
  /** Fills what the solver needs and plan documents may lack (depots, shifts, unit windows). */
  prepareForReplan?(plan: ExecPlan): Promise<void>;
  /** Replaces the routes of a plan (replanning) — must keep everything else. */
  saveRoutes?(planId: string, routes: ExecRoute[], unassigned: ExecUnassigned[], note: string): Promise<void>;
}

/** Who is acting: what the auth layer puts on the request. */
export interface Actor {
  tokenId?: string;
  name?: string;
  role: string;
  /** INEGI state code the token is limited to. */
  state?: string;
  unitClues?: string;
}

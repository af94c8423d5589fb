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
  /** Kit lines, when the plan carries them (else delivery falls back to totals). */
  lines?: ExecLine[];
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

export interface PlanSource {
  getRound(roundId: string): Promise<ExecRound | undefined>;
  getPlan(planId: string): Promise<ExecPlan | undefined>;
  /** The plans of a round that are live (not drafts replaced, not cancelled). */
  plansOfRound(roundId: string): Promise<ExecPlan[]>;
  /** Replaces the routes of a plan (replanning) — must keep everything else. */
  saveRoutes?(planId: string, routes: ExecRoute[], unassigned: ExecUnassigned[], note: string): Promise<void>;
  /** Marks a stop closed in the plan document when the plans module tracks it. */
  closeStop?(planId: string, clues: string, outcome: { delivered: boolean; at: Date }): Promise<void>;
  warehouse?(warehouseId: string): Promise<ExecWarehouse | undefined>;
  vehicleTypes?(warehouseId: string): Promise<ExecVehicleType[]>;
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

/**
 * Input shapes of a rich VRP problem. Plain data (JSON friendly, structured-clone friendly) so
 * a problem can be read from a file, sent to a worker thread, or built by a service.
 *
 * Node numbering: every matrix is indexed by *nodes*, depots first (0..depots-1), then clients
 * (depots..depots+clients-1), in the order of the arrays below.
 */

/** A time window in minutes from the plan start (may exceed 1440 for multi-day plans). */
export interface TimeWindowInput {
  startMin: number;
  endMin: number;
}

export interface DepotInput {
  id: string;
  x?: number;
  y?: number;
  /** Opening hours of the depot; vehicles leave and return inside it. */
  timeWindow?: TimeWindowInput;
}

export interface ClientInput {
  id: string;
  x?: number;
  y?: number;
  /** One entry per capacity dimension (e.g. [weightKg, volumeM3, coldBoxes]). */
  demand: number[];
  serviceMin?: number;
  /** Service must *start* inside one of these windows. Empty or absent: any time. */
  timeWindows?: TimeWindowInput[];
  /** Skills the vehicle must have (e.g. 'cold'). */
  skills?: string[];
  /** Required clients must be served; optional ones may be skipped at cost `penalty`. Default true. */
  required?: boolean;
  /** Cost of not serving an optional client (the prize of serving it). Ignored when required. */
  penalty?: number;
}

export interface VehicleTypeInput {
  id: string;
  /** Number of vehicles of this type available. */
  count: number;
  /** One entry per capacity dimension. */
  capacity: number[];
  /** Cost charged once per used vehicle. Default 0. */
  fixedCost?: number;
  /** Cost per distance unit (km in our data). Default 1. */
  costPerDistance?: number;
  /** Cost per hour of route duration (travel + service + waiting + overnight rests). Default 0. */
  costPerHour?: number;
  /** Earliest departure from the start depot, minutes. Default 0. */
  shiftStartMin?: number;
  /** Latest return to the end depot, minutes. Default: unbounded. */
  shiftEndMin?: number;
  /** Longest route duration, minutes. Default: unbounded. */
  maxDurationMin?: number;
  /** Longest route distance. Default: unbounded. */
  maxDistance?: number;
  skills?: string[];
  /** Index of the start depot (default 0) and of the end depot (default: the start depot). */
  startDepot?: number;
  endDepot?: number;
  /**
   * Multi-day trips: most driving minutes per day. When set, a route may last `maxDays` days;
   * when the next leg would exceed the day's driving, the crew takes an overnight rest of
   * `overnightRestMin` at the current stop (a wait of at least that long also counts as rest).
   */
  maxDrivingMinPerDay?: number;
  maxDays?: number;
  overnightRestMin?: number;
}

export interface ProblemInput {
  name?: string;
  /** Names of the capacity dimensions, e.g. ['weightKg', 'volumeM3', 'coldBoxes']. */
  dimensions?: string[];
  depots: DepotInput[];
  clients: ClientInput[];
  vehicleTypes: VehicleTypeInput[];
  /** Dense row-major node × node matrices. When absent, Euclidean distances from x/y are used. */
  distance?: ArrayLike<number>;
  duration?: ArrayLike<number>;
  /** How to round computed Euclidean distances: 'none' (default) or 'nint' (TSPLIB). */
  rounding?: 'none' | 'nint';
  /** Minutes per distance unit when the duration matrix is computed from distances. Default 1. */
  minutesPerDistance?: number;
}

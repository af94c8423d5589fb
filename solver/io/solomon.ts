import type { ClientInput, ProblemInput } from '../model/types.ts';
import { FormatError } from './errors.ts';

export interface SolomonOptions {
  /**
   * Cost per used vehicle. The Solomon objective is hierarchical (vehicles first, then
   * distance); a fixed cost larger than any distance saving a vehicle could buy encodes it.
   */
  vehicleFixedCost?: number;
}

export interface SolomonInstance {
  problem: ProblemInput;
  /** The file's customer number of each problem node (depot first). */
  fileIds: number[];
  vehicles: number;
  capacity: number;
}

/** Default fixed cost per vehicle used to make the objective "vehicles first, then distance". */
export const SOLOMON_VEHICLE_COST = 10_000;

/**
 * Reads the Solomon / Gehring-Homberger text format. Distances and travel times are unrounded
 * Euclidean; service must start by the due date; the depot's due date closes every route.
 */
export function readSolomon(text: string, options: SolomonOptions = {}): SolomonInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l !== '') ?? 'solomon';
  const vehicleIndex = lines.findIndex((l) => /^VEHICLE/i.test(l));
  if (vehicleIndex < 0) throw new FormatError('solomon', 'no VEHICLE section');
  let fleet: number[] | undefined;
  for (let i = vehicleIndex + 1; i < lines.length; i++) {
    const values = lines[i].split(/\s+/).map(Number);
    if (values.length >= 2 && values.every(Number.isFinite)) {
      fleet = values;
      break;
    }
  }
  if (!fleet) throw new FormatError('solomon', 'no "NUMBER CAPACITY" line');
  const [vehicles, capacity] = fleet;
  const customerIndex = lines.findIndex((l) => /^CUSTOMER/i.test(l));
  if (customerIndex < 0) throw new FormatError('solomon', 'no CUSTOMER section');
  const rows: number[][] = [];
  for (let i = customerIndex + 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const values = lines[i].split(/\s+/).map(Number);
    if (values.length < 7 || !values.every(Number.isFinite)) continue;
    rows.push(values);
  }
  if (rows.length < 2) throw new FormatError('solomon', 'fewer than two node rows');
  const [depotRow, ...clientRows] = rows;
  const clients: ClientInput[] = clientRows.map(([id, x, y, demand, ready, due, service]) => ({
    id: String(id),
    x,
    y,
    demand: [demand],
    serviceMin: service,
    timeWindows: [{ startMin: ready, endMin: due }],
  }));
  const problem: ProblemInput = {
    name,
    dimensions: ['demand'],
    depots: [{ id: String(depotRow[0]), x: depotRow[1], y: depotRow[2], timeWindow: { startMin: depotRow[4], endMin: depotRow[5] } }],
    clients,
    vehicleTypes: [
      {
        id: 'vehicle',
        count: vehicles,
        capacity: [capacity],
        fixedCost: options.vehicleFixedCost ?? SOLOMON_VEHICLE_COST,
        shiftStartMin: depotRow[4],
        shiftEndMin: depotRow[5],
      },
    ],
    rounding: 'none',
  };
  return { problem, fileIds: rows.map((r) => r[0]), vehicles, capacity };
}

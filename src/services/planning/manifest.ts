/**
 * Vehicle manifests: for each vehicle, its trips in date order with the stops in visit order and
 * ETA, the load order (last stop loaded first), the pick list by item and lot with expiry, and
 * totals in kg, m³ and cold boxes. JSON, CSV and a printable HTML page.
 */
import type { KitTotalsOut, PlannedRoute, UnitKit } from './types.ts';

export interface ManifestStop {
  seq: number;
  date: string;
  eta: string;
  clues: string;
  name: string;
  unitType: string;
  overnightAfter: boolean;
  totals: KitTotalsOut;
  receiverName?: string;
  phone?: string;
}

export interface ManifestLoad {
  /** 1 = loaded first (deepest in the truck) = visited last. */
  position: number;
  seq: number;
  clues: string;
  name: string;
  weightKg: number;
  volumeM3: number;
  coldBoxes: number;
}

export interface ManifestPick {
  code: string;
  name: string;
  category: 'medicine' | 'supply';
  coldChain: boolean;
  controlled: boolean;
  /** null when the warehouse does not track lots. */
  lotCode: string | null;
  expiryDate: string | null;
  quantity: number;
}

export interface ManifestTrip {
  routeKey: string;
  number: number;
  startDate: string;
  tripDays: number;
  distanceKm: number;
  durationMin: number;
  stops: ManifestStop[];
  loadOrder: ManifestLoad[];
  pickList: ManifestPick[];
  totals: KitTotalsOut & { units: number };
  capacity: PlannedRoute['capacity'];
}

export interface Manifest {
  vehicleId: string;
  warehouseId: string;
  state: PlannedRoute['state'];
  vehicleTypeId: string;
  vehicleName: string;
  trips: ManifestTrip[];
  totals: KitTotalsOut & { units: number; distanceKm: number };
}

function addTotals(into: KitTotalsOut, add: KitTotalsOut): void {
  into.claves = Math.max(into.claves, add.claves);
  into.medicinePieces += add.medicinePieces;
  into.supplyPieces += add.supplyPieces;
  into.weightKg = Math.round((into.weightKg + add.weightKg) * 1000) / 1000;
  into.volumeM3 = Math.round((into.volumeM3 + add.volumeM3) * 100000) / 100000;
  into.coldBoxes += add.coldBoxes;
}

const zero = (): KitTotalsOut => ({ claves: 0, medicinePieces: 0, supplyPieces: 0, weightKg: 0, volumeM3: 0, coldBoxes: 0 });

export function buildTrip(route: PlannedRoute, kits: ReadonlyMap<string, UnitKit>): ManifestTrip {
  const totals = { ...zero(), units: route.stops.length };
  const picks = new Map<string, ManifestPick>();
  const codes = new Set<string>();
  for (const stop of route.stops) {
    addTotals(totals, stop.totals);
    const kit = kits.get(stop.clues);
    for (const line of kit?.lines ?? []) {
      if (line.quantity > 0) codes.add(line.code);
      const lots = line.lots.length > 0 ? line.lots : line.quantity > 0 ? [{ lotCode: null, expiryDate: null, quantity: line.quantity }] : [];
      for (const lot of lots) {
        const key = `${line.code}\u0000${lot.lotCode ?? ''}`;
        const pick = picks.get(key);
        if (pick) pick.quantity += lot.quantity;
        else
          picks.set(key, {
            code: line.code,
            name: line.name,
            category: line.category,
            coldChain: line.coldChain,
            controlled: line.controlled,
            lotCode: lot.lotCode,
            expiryDate: lot.expiryDate,
            quantity: lot.quantity,
          });
      }
    }
  }
  totals.claves = codes.size;
  return {
    routeKey: route.routeKey,
    number: route.number,
    startDate: route.startDate,
    tripDays: route.tripDays,
    distanceKm: route.distanceKm,
    durationMin: route.durationMin,
    stops: route.stops.map((s) => {
      const stop: ManifestStop = { seq: s.seq, date: s.date, eta: s.eta, clues: s.clues, name: s.name, unitType: s.unitType, overnightAfter: s.overnightAfter, totals: s.totals };
      if (s.receiverName) stop.receiverName = s.receiverName;
      if (s.phone) stop.phone = s.phone;
      return stop;
    }),
    loadOrder: [...route.stops].reverse().map((s, k) => ({
      position: k + 1,
      seq: s.seq,
      clues: s.clues,
      name: s.name,
      weightKg: s.totals.weightKg,
      volumeM3: s.totals.volumeM3,
      coldBoxes: s.totals.coldBoxes,
    })),
    pickList: [...picks.values()].sort((a, b) => a.code.localeCompare(b.code) || (a.expiryDate ?? '').localeCompare(b.expiryDate ?? '') || (a.lotCode ?? '').localeCompare(b.lotCode ?? '')),
    totals,
    capacity: route.capacity,
  };
}

/** The manifest of one vehicle from its routes (any order) and the kits of their stops. */
export function buildManifest(routes: readonly PlannedRoute[], kits: ReadonlyMap<string, UnitKit>): Manifest {
  if (routes.length === 0) throw new RangeError('a manifest needs at least one route');
  const ordered = [...routes].sort((a, b) => a.dayIndex - b.dayIndex);
  const trips = ordered.map((r) => buildTrip(r, kits));
  const totals = { ...zero(), units: 0, distanceKm: 0 };
  for (const trip of trips) {
    addTotals(totals, trip.totals);
    totals.units += trip.totals.units;
    totals.distanceKm = Math.round((totals.distanceKm + trip.distanceKm) * 1000) / 1000;
  }
  totals.claves = Math.max(0, ...trips.map((t) => t.totals.claves));
  const first = ordered[0];
  return { vehicleId: first.vehicleId, warehouseId: first.warehouseId, state: first.state, vehicleTypeId: first.vehicleTypeId, vehicleName: first.vehicleName, trips, totals };
}

export type CellValue = string | number | boolean | null | undefined;

export function csvCell(value: CellValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Spreadsheet formula injection: a leading =, +, - or @ is neutralised.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly CellValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** One row per delivered item and lot: what to pick, for which stop, in which load position. */
export function manifestCsv(manifest: Manifest, kits: ReadonlyMap<string, UnitKit>): string {
  let out = csvRow(['vehicle_id', 'route', 'date', 'seq', 'eta', 'load_position', 'clues', 'unit', 'code', 'item', 'lot', 'expiry', 'quantity', 'cold_chain']);
  for (const trip of manifest.trips) {
    const position = new Map(trip.loadOrder.map((l) => [l.seq, l.position]));
    for (const stop of trip.stops) {
      for (const line of kits.get(stop.clues)?.lines ?? []) {
        const lots = line.lots.length > 0 ? line.lots : [{ lotCode: '', expiryDate: '', quantity: line.quantity }];
        for (const lot of lots) {
          if (lot.quantity <= 0) continue;
          out += csvRow([manifest.vehicleId, trip.routeKey, stop.date, stop.seq, stop.eta, position.get(stop.seq), stop.clues, stop.name, line.code, line.name, lot.lotCode, lot.expiryDate, lot.quantity, line.coldChain]);
        }
      }
    }
  }
  return out;
}

/** One row per stop of every route (the plan-wide manifest table). */
export function stopsCsv(routes: readonly PlannedRoute[]): string {
  let out = csvRow(['state', 'warehouse_id', 'vehicle_id', 'route', 'date', 'seq', 'eta', 'load_position', 'clues', 'unit', 'claves', 'medicine_pieces', 'supply_pieces', 'weight_kg', 'volume_m3', 'cold_boxes']);
  for (const route of routes) {
    for (const stop of route.stops) {
      out += csvRow([
        route.state.name,
        route.warehouseId,
        route.vehicleId,
        route.routeKey,
        stop.date,
        stop.seq,
        stop.eta,
        route.stops.length - stop.seq + 1,
        stop.clues,
        stop.name,
        stop.totals.claves,
        stop.totals.medicinePieces,
        stop.totals.supplyPieces,
        stop.totals.weightKg,
        stop.totals.volumeM3,
        stop.totals.coldBoxes,
      ]);
    }
  }
  return out;
}

export function escapeHtml(value: CellValue): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A printable page (Spanish labels: it travels with the driver). */
export function manifestHtml(manifest: Manifest, roundName: string): string {
  const e = escapeHtml;
  const trips = manifest.trips
    .map(
      (trip) => `
<section class="trip">
  <h2>Ruta ${e(trip.number)} · ${e(trip.startDate)}${trip.tripDays > 1 ? ` (${trip.tripDays} días)` : ''} · ${e(trip.distanceKm.toFixed(1))} km</h2>
  <p>Carga: ${e(trip.totals.weightKg.toFixed(1))} kg de ${e(trip.capacity.weightKg)} · ${e(trip.totals.volumeM3.toFixed(2))} m³ de ${e(trip.capacity.volumeM3)} · ${e(trip.totals.coldBoxes)} cajas frías de ${e(trip.capacity.coldBoxes)}</p>
  <h3>Paradas</h3>
  <table><thead><tr><th>#</th><th>Fecha</th><th>Hora</th><th>CLUES</th><th>Unidad</th><th>Claves</th><th>Piezas</th><th>kg</th><th>Recibe</th><th>Teléfono</th><th>Firma</th></tr></thead><tbody>
  ${trip.stops
    .map(
      (s) =>
        `<tr><td>${e(s.seq)}</td><td>${e(s.date)}</td><td>${e(s.eta)}</td><td>${e(s.clues)}</td><td>${e(s.name)}${s.overnightAfter ? ' <em>(pernocta)</em>' : ''}</td><td>${e(s.totals.claves)}</td><td>${e(s.totals.medicinePieces + s.totals.supplyPieces)}</td><td>${e(s.totals.weightKg.toFixed(1))}</td><td>${e(s.receiverName ?? '')}</td><td>${e(s.phone ?? '')}</td><td class="sign"></td></tr>`,
    )
    .join('\n  ')}
  </tbody></table>
  <h3>Orden de carga (la última parada se carga primero)</h3>
  <ol>${trip.loadOrder.map((l) => `<li>${e(l.clues)} — ${e(l.name)} (${e(l.weightKg.toFixed(1))} kg${l.coldBoxes > 0 ? `, ${e(l.coldBoxes)} cajas frías` : ''})</li>`).join('')}</ol>
  <h3>Lista de surtido</h3>
  <table><thead><tr><th>Clave</th><th>Descripción</th><th>Lote</th><th>Caducidad</th><th>Piezas</th><th></th></tr></thead><tbody>
  ${trip.pickList
    .map(
      (p) =>
        `<tr><td>${e(p.code)}</td><td>${e(p.name)}</td><td>${e(p.lotCode ?? '—')}</td><td>${e(p.expiryDate ?? '—')}</td><td>${e(p.quantity)}</td><td>${p.coldChain ? 'RED FRÍA' : ''}${p.controlled ? ' CONTROLADO' : ''}</td></tr>`,
    )
    .join('\n  ')}
  </tbody></table>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Manifiesto ${e(manifest.vehicleId)}</title>
<style>
body{font-family:system-ui,sans-serif;font-size:11pt;margin:1.5cm}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #999;padding:3px 5px;text-align:left}
th{background:#eee}.sign{min-width:6em}.trip{page-break-after:always}
@media print{body{margin:0}}
</style></head><body>
<h1>Manifiesto de carga — ${e(roundName)}</h1>
<p>Vehículo ${e(manifest.vehicleId)} (${e(manifest.vehicleName)}) · Almacén ${e(manifest.warehouseId)} · ${e(manifest.state.name)}</p>
<p>Total: ${e(manifest.totals.units)} unidades · ${e(manifest.totals.weightKg.toFixed(1))} kg · ${e(manifest.totals.volumeM3.toFixed(2))} m³ · ${e(manifest.totals.coldBoxes)} cajas frías · ${e(manifest.totals.distanceKm.toFixed(1))} km</p>
${trips}
</body></html>
`;
}

import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { DeliveryRepository, Delivery } from '../../repositories/deliveries.ts';
import type { RunOnce } from '../idempotency.ts';
import { deliveryId } from '../../repositories/deliveries.ts';
import type { DeliveryDiscrepancy, NotDeliveredReason } from '../../../models/delivery.ts';
import { requireAction, requireScope } from './access.ts';
import type { ExecutionEvents } from './events.ts';
import { canonicalJson, sha256Hex } from './hashing.ts';
import { locateStop, requireExecutable } from './plan-lookup.ts';
import { regionOf, type RegionMap } from './regions.ts';
import { localDay, localMonth } from './time.ts';
import type { Actor, ExecLine, ExecStop, PlanSource } from './types.ts';

/** Body of POST /plans/{id}/stops/{clues}/delivery (validated by openapi.yaml first). */
export interface DeliveryInput {
  delivered: boolean;
  reason?: NotDeliveredReason;
  reasonNote?: string;
  receivedBy?: string;
  deliveredAt?: string;
  lines?: { itemCode: string; lotNumber?: string; quantityReceived: number; discrepancies?: DeliveryDiscrepancy[] }[];
  notes?: string;
}

export interface DeliveryView {
  planId: string;
  roundId: string;
  clues: string;
  unitName: string;
  state: { code: string; name: string };
  region: string | null;
  routeKey: string | null;
  vehicleId: string | null;
  plannedDate: string | null;
  delivered: boolean;
  reason: string | null;
  reasonNote: string | null;
  receivedBy: string | null;
  deliveredAt: string;
  day: string;
  lines: { itemCode: string; lotNumber: string | null; quantityReceived: number; discrepancies: DeliveryDiscrepancy[] }[];
  piecesDelivered: number;
  discrepancyPieces: number;
  notes: string | null;
  recordedBy: { name: string | null; role: string | null };
  recordedAt: string;
  stockUpdated: boolean;
}

export interface DeliveryOutcome {
  status: 200 | 201;
  body: DeliveryView;
  replayed: boolean;
}

/** A clock skew allowance for deliveredAt values a device sends. */
const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

export function toDeliveryView(doc: Delivery): DeliveryView {
  return {
    planId: doc.planId,
    roundId: doc.roundId,
    clues: doc.clues,
    unitName: doc.unitName,
    state: { code: doc.state.code, name: doc.state.name },
    region: doc.region ?? null,
    routeKey: doc.routeKey ?? null,
    vehicleId: doc.vehicleId ?? null,
    plannedDate: doc.plannedDate ?? null,
    delivered: doc.delivered,
    reason: doc.reason ?? null,
    reasonNote: doc.reasonNote ?? null,
    receivedBy: doc.receivedBy ?? null,
    deliveredAt: new Date(doc.deliveredAt).toISOString(),
    day: doc.day,
    lines: doc.lines.map((line) => ({
      itemCode: line.itemCode,
      lotNumber: line.lotNumber ?? null,
      quantityReceived: line.quantityReceived,
      discrepancies: (line.discrepancies ?? []).map((d) => ({ kind: d.kind, quantity: d.quantity, ...(d.note ? { note: d.note } : {}) })),
    })),
    piecesDelivered: doc.piecesDelivered,
    discrepancyPieces: doc.discrepancyPieces,
    notes: doc.notes ?? null,
    recordedBy: { name: doc.recordedBy.name ?? null, role: doc.recordedBy.role ?? null },
    recordedAt: new Date(doc.recordedAt).toISOString(),
    stockUpdated: doc.stockAppliedAt !== undefined && doc.stockAppliedAt !== null,
  };
}

/** Checks the body against the stop; returns the lines to record (planned kit when none given). */
export function resolveLines(input: DeliveryInput, stop: ExecStop, plannedLines: readonly ExecLine[]): Delivery['lines'] {
  const errors: FieldError[] = [];
  if (!input.delivered) {
    if (!input.reason) errors.push({ pointer: '/body/reason', detail: 'is required when delivered is false' });
    if (input.lines && input.lines.length > 0) errors.push({ pointer: '/body/lines', detail: 'must be empty when delivered is false' });
  } else {
    if (!input.receivedBy || input.receivedBy.trim() === '') errors.push({ pointer: '/body/receivedBy', detail: 'the name of who received is required when delivered is true' });
    if (input.reason) errors.push({ pointer: '/body/reason', detail: 'only for a stop that was not delivered' });
  }
  const planned = new Map(plannedLines.map((line) => [line.itemCode, line]));
  const seen = new Set<string>();
  (input.lines ?? []).forEach((line, index) => {
    if (planned.size > 0 && !planned.has(line.itemCode)) {
      errors.push({ pointer: `/body/lines/${index}/itemCode`, detail: `item ${line.itemCode} is not in the kit planned for ${stop.clues}` });
    }
    const key = `${line.itemCode}|${line.lotNumber ?? ''}`;
    if (seen.has(key)) errors.push({ pointer: `/body/lines/${index}`, detail: 'the same item and lot appear twice' });
    seen.add(key);
  });
  if (errors.length > 0) throw new ValidationError('The proof of delivery is not valid.', errors);
  if (!input.delivered) return [];
  if (input.lines && input.lines.length > 0) {
    return input.lines.map((line) => ({
      itemCode: line.itemCode,
      lotNumber: line.lotNumber,
      quantityReceived: line.quantityReceived,
      discrepancies: line.discrepancies ?? [],
    }));
  }
  // "Delivered" without lines: the planned kit was received as shipped — the picked lots, or
  // the planned quantity less what no lot could fill when the warehouse does not track lots.
  return plannedLines.flatMap((line) =>
    line.lots.length > 0
      ? line.lots.filter((lot) => lot.quantity > 0).map((lot) => ({ itemCode: line.itemCode, lotNumber: lot.lotNumber, quantityReceived: lot.quantity, discrepancies: [] }))
      : line.quantity - (line.short ?? 0) > 0
        ? [{ itemCode: line.itemCode, quantityReceived: line.quantity - (line.short ?? 0), discrepancies: [] }]
        : [],
  );
}

export interface DeliveryServiceDeps {
  plans: PlanSource;
  deliveries: DeliveryRepository;
  /** The shared Idempotency-Key runner (src/services/idempotency.ts). */
  runOnce: RunOnce;
  events: ExecutionEvents;
  regions: RegionMap;
  now?: () => Date;
}

export function createDeliveryService(deps: DeliveryServiceDeps) {
  const now = deps.now ?? (() => new Date());

  /** Effects after the record exists; each is idempotent, so a retry re-drives them safely. */
  async function applyEffects(doc: Delivery): Promise<Delivery> {
    if (!doc.stockAppliedAt && doc.delivered) {
      const increments = doc.lines.map((line) => ({ itemCode: line.itemCode, quantity: line.quantityReceived }));
      await deps.deliveries.applyToStock(doc.clues, doc._id, increments, new Date(doc.deliveredAt), localMonth(new Date(doc.deliveredAt)));
      const at = now();
      await deps.deliveries.markStockApplied(doc._id, at);
      doc = { ...doc, stockAppliedAt: at };
    }
    if (doc.routeKey) await deps.plans.closeStop?.(doc.planId, doc.routeKey, doc.clues, { delivered: doc.delivered, at: new Date(doc.deliveredAt), reason: doc.reason });
    return doc;
  }

  return {
    async get(actor: Actor, planId: string, clues: string): Promise<DeliveryView> {
      requireAction(actor, 'read-delivery');
      const { stop } = await locateStop(deps.plans, planId, clues);
      requireScope(actor, { state: stop.state.code, clues });
      const doc = await deps.deliveries.find(planId, clues);
      if (!doc) throw new NotFoundError(`No delivery recorded yet for ${clues} in plan ${planId}.`);
      return toDeliveryView(doc);
    },

    async record(actor: Actor, planId: string, clues: string, input: DeliveryInput, idempotencyKey: string): Promise<DeliveryOutcome> {
      requireAction(actor, 'record-delivery');
      const { plan, route, stop } = await locateStop(deps.plans, planId, clues);
      requireScope(actor, { state: stop.state.code, clues });
      requireExecutable(plan);

      const bodyHash = sha256Hex(canonicalJson({ planId, clues, input }));
      const result = await deps.runOnce<DeliveryView>('delivery', idempotencyKey, bodyHash, async () => {
        const lines = resolveLines(input, stop, (await deps.plans.stopLines(planId, clues)) ?? []);
        const deliveredAt = input.deliveredAt ? new Date(input.deliveredAt) : now();
        if (deliveredAt.getTime() > now().getTime() + FUTURE_TOLERANCE_MS) {
          throw new ValidationError('The delivery time is in the future.', [{ pointer: '/body/deliveredAt', detail: 'must not be in the future' }]);
        }
        const pieces = lines.reduce((sum, line) => sum + line.quantityReceived, 0);
        const doc: Delivery = {
          _id: deliveryId(planId, clues),
          planId,
          roundId: plan.roundId,
          clues,
          unitName: stop.name,
          state: stop.state,
          region: regionOf(deps.regions, stop.state.code),
          warehouseId: route.warehouseId,
          routeKey: route.routeKey,
          vehicleId: route.vehicleId,
          plannedDate: stop.date,
          delivered: input.delivered,
          reason: input.delivered ? undefined : input.reason,
          reasonNote: input.reasonNote,
          receivedBy: input.receivedBy?.trim(),
          deliveredAt,
          day: localDay(deliveredAt),
          lines,
          // Without kit lines in the plan, "delivered" means the planned totals were handed over.
          piecesDelivered: !input.delivered ? 0 : lines.length > 0 ? pieces : stop.medicinePieces + stop.supplyPieces,
          discrepancyPieces: lines.reduce((sum, line) => sum + line.discrepancies.reduce((s, d) => s + d.quantity, 0), 0),
          notes: input.notes,
          recordedBy: { tokenId: actor.tokenId, name: actor.name, role: actor.role },
          recordedAt: now(),
        };
        const { created, delivery } = await deps.deliveries.insertOnce(doc);
        if (!created && !sameDelivery(delivery, doc)) {
          throw new ConflictError(
            `A ${delivery.delivered ? 'delivery' : 'failed visit'} of ${clues} in plan ${planId} was already recorded at ${new Date(delivery.recordedAt).toISOString()}${delivery.recordedBy.name ? ` by ${delivery.recordedBy.name}` : ''}; a stop is closed once.`,
          );
        }
        // Effects are idempotent: a retry after a crash re-drives them without double counting.
        const finished = await applyEffects(delivery);
        deps.events.publish({ kind: 'delivery', roundId: plan.roundId, planId, clues, at: now() });
        return { status: created ? 201 : 200, body: toDeliveryView(finished), resourceId: doc._id };
      });
      return { status: result.status as 200 | 201, body: result.body, replayed: result.replayed };
    },
  };
}

/** The same facts as an already stored record (a reordered retry under a new key). */
function sameDelivery(stored: Delivery, incoming: Delivery): boolean {
  const facts = (d: Delivery): string =>
    canonicalJson({
      delivered: d.delivered,
      reason: d.reason ?? null,
      receivedBy: d.receivedBy ?? null,
      lines: d.lines.map((l) => ({ itemCode: l.itemCode, lotNumber: l.lotNumber ?? null, q: l.quantityReceived, d: (l.discrepancies ?? []).map((x) => [x.kind, x.quantity]) })),
    });
  return facts(stored) === facts(incoming);
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;

import { REGIONS, regionOf, type RegionMap } from './regions.ts';
import type { ExecPlan, StateInfo } from './types.ts';

/**
 * Planned vs delivered, computed in TypeScript from the plan's stops, the delivery records and
 * the evidence index (the embedded server is slow at aggregation; a round is ~9,460 stops).
 */

export interface ProgressDelivery {
  planId: string;
  clues: string;
  delivered: boolean;
  reason?: string;
  piecesDelivered: number;
  day: string;
}

export interface ProgressBlock {
  unitsPlanned: number;
  unitsDelivered: number;
  unitsNotDelivered: number;
  /** Planned stops with no delivery record yet. */
  unitsPending: number;
  /** Due units the plan could not route (with the plan's reason). */
  unitsUnassigned: number;
  unitsWithEvidence: number;
  piecesPlanned: number;
  piecesDelivered: number;
  /** unitsDelivered / unitsPlanned × 100, rounded to one decimal (0 when nothing is planned). */
  percentDelivered: number;
  notDeliveredReasons: Record<string, number>;
}

export interface RoundProgress {
  roundId: string;
  generatedAt: string;
  totals: ProgressBlock;
  byRegion: (ProgressBlock & { region: string })[];
  byState: (ProgressBlock & { state: StateInfo; region: string | null })[];
  byDay: { day: string; unitsDelivered: number; unitsNotDelivered: number; piecesDelivered: number }[];
}

function emptyBlock(): ProgressBlock {
  return {
    unitsPlanned: 0,
    unitsDelivered: 0,
    unitsNotDelivered: 0,
    unitsPending: 0,
    unitsUnassigned: 0,
    unitsWithEvidence: 0,
    piecesPlanned: 0,
    piecesDelivered: 0,
    percentDelivered: 0,
    notDeliveredReasons: {},
  };
}

function addInto(target: ProgressBlock, source: ProgressBlock): void {
  target.unitsPlanned += source.unitsPlanned;
  target.unitsDelivered += source.unitsDelivered;
  target.unitsNotDelivered += source.unitsNotDelivered;
  target.unitsPending += source.unitsPending;
  target.unitsUnassigned += source.unitsUnassigned;
  target.unitsWithEvidence += source.unitsWithEvidence;
  target.piecesPlanned += source.piecesPlanned;
  target.piecesDelivered += source.piecesDelivered;
  for (const [reason, count] of Object.entries(source.notDeliveredReasons)) {
    target.notDeliveredReasons[reason] = (target.notDeliveredReasons[reason] ?? 0) + count;
  }
}

function finish<T extends ProgressBlock>(block: T): T {
  block.percentDelivered = block.unitsPlanned === 0 ? 0 : Math.round((block.unitsDelivered / block.unitsPlanned) * 1000) / 10;
  return block;
}

export interface ProgressInput {
  roundId: string;
  plans: ExecPlan[];
  deliveries: ProgressDelivery[];
  /** "<planId>|<CLUES>" of stops with at least one evidence file. */
  evidenceStops: ReadonlySet<string>;
  regions: RegionMap;
  /** Limit to these states (state-scoped tokens); undefined = all. */
  states?: readonly string[];
  now: Date;
}

export function computeProgress(input: ProgressInput): RoundProgress {
  const deliveries = new Map(input.deliveries.map((d) => [`${d.planId}|${d.clues}`, d]));
  const visible = (code: string): boolean => input.states === undefined || input.states.includes(code);
  const byState = new Map<string, ProgressBlock & { state: StateInfo; region: string | null }>();
  const stateBlock = (state: StateInfo) => {
    let block = byState.get(state.code);
    if (!block) {
      block = { ...emptyBlock(), state: { code: state.code, name: state.name }, region: regionOf(input.regions, state.code) ?? null };
      byState.set(state.code, block);
    }
    return block;
  };
  const byDay = new Map<string, { day: string; unitsDelivered: number; unitsNotDelivered: number; piecesDelivered: number }>();

  for (const plan of input.plans) {
    for (const route of plan.routes) {
      for (const stop of route.stops) {
        if (!visible(stop.state.code)) continue;
        const block = stateBlock(stop.state);
        const key = `${plan.id}|${stop.clues}`;
        block.unitsPlanned += 1;
        block.piecesPlanned += stop.medicinePieces + stop.supplyPieces;
        if (input.evidenceStops.has(key)) block.unitsWithEvidence += 1;
        const delivery = deliveries.get(key);
        if (!delivery) {
          block.unitsPending += 1;
          continue;
        }
        const day = byDay.get(delivery.day) ?? { day: delivery.day, unitsDelivered: 0, unitsNotDelivered: 0, piecesDelivered: 0 };
        byDay.set(delivery.day, day);
        if (delivery.delivered) {
          block.unitsDelivered += 1;
          block.piecesDelivered += delivery.piecesDelivered;
          day.unitsDelivered += 1;
          day.piecesDelivered += delivery.piecesDelivered;
        } else {
          block.unitsNotDelivered += 1;
          const reason = delivery.reason ?? 'other';
          block.notDeliveredReasons[reason] = (block.notDeliveredReasons[reason] ?? 0) + 1;
          day.unitsNotDelivered += 1;
        }
      }
    }
    for (const unit of plan.unassigned) {
      if (!visible(unit.state.code)) continue;
      stateBlock(unit.state).unitsUnassigned += 1;
    }
  }

  const states = [...byState.values()].sort((a, b) => (a.state.code < b.state.code ? -1 : 1)).map(finish);
  const totals = emptyBlock();
  const regions = new Map<string, ProgressBlock & { region: string }>();
  for (const state of states) {
    addInto(totals, state);
    const name = state.region ?? 'Sin región';
    const region = regions.get(name) ?? { ...emptyBlock(), region: name };
    regions.set(name, region);
    addInto(region, state);
  }
  const order = (name: string): number => {
    const index = (REGIONS as readonly string[]).indexOf(name);
    return index === -1 ? REGIONS.length : index;
  };
  return {
    roundId: input.roundId,
    generatedAt: input.now.toISOString(),
    totals: finish(totals),
    byRegion: [...regions.values()].sort((a, b) => order(a.region) - order(b.region)).map(finish),
    byState: states,
    byDay: [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
  };
}

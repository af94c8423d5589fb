/**
 * The coverage guarantee: every active unit with its planned (or actual) delivery date in a
 * month's 30-day cycle, or the reason it is not covered, with a summary per state.
 */
import { ValidationError } from '../errors.ts';
import type { PlanHeader, PlanRepository } from '../repositories/plans.ts';
import type { PlanInputRepository } from '../repositories/plans-inputs.ts';
import type { Round, RoundRepository } from '../repositories/rounds.ts';
import { authorize, type Principal } from './auth.ts';
import type { PlannedRoute, UnassignedUnit } from './planning/types.ts';
import type { Actor } from './rounds.ts';

/** What the execution side recorded for a stop (optional port). */
export interface DeliveryFact {
  planId: string;
  clues: string;
  delivered: boolean;
  /** Local ISO date of the visit. */
  day: string;
  reason?: string;
}

export type CoverageStatus = 'delivered' | 'planned' | 'not-delivered' | 'uncovered';

export type UncoveredReason = 'no_round' | 'not_in_round' | 'no_plan' | 'plan_in_progress' | UnassignedUnit['reason'];

export interface CoverageUnit {
  clues: string;
  name: string;
  state: { code: string; name: string };
  level: number;
  status: CoverageStatus;
  /** Planned date, or the actual one when delivered. */
  date: string | null;
  roundId: string | null;
  planId: string | null;
  planStatus: string | null;
  routeKey: string | null;
  reason: string | null;
  detail: string | null;
}

export interface CoverageReport {
  month: string;
  summary: CoverageSummary;
  states: (CoverageSummary & { state: { code: string; name: string } })[];
  units: CoverageUnit[];
}

export interface CoverageSummary {
  units: number;
  covered: number;
  delivered: number;
  planned: number;
  notDelivered: number;
  uncovered: number;
}

const REASON_TEXT: Record<string, string> = {
  no_round: 'no round of the month serves this unit\u2019s level and state',
  not_in_round: 'the month\u2019s rounds list other units (extraordinary or emergency subset)',
  no_plan: 'the round has no generated plan yet',
  plan_in_progress: 'the round\u2019s plan is still being generated',
};

/** Plan priority: what is on the road beats what is only approved, which beats a draft. */
const PLAN_RANK: Record<string, number> = { dispatched: 3, approved: 2, draft: 1 };

export class CoverageService {
  constructor(
    private readonly deps: {
      rounds: RoundRepository;
      plans: PlanRepository;
      inputs: PlanInputRepository;
      deliveries?: (planIds: string[]) => Promise<DeliveryFact[]>;
    },
  ) {}

  async report(month: string, actor: Actor, filter: { state?: string; status?: CoverageStatus } = {}): Promise<CoverageReport> {
    authorize(actor as Principal, 'plans:read');
    const match = /^(\d{4})-(\d{2})$/.exec(month);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new ValidationError('month must be YYYY-MM.', [{ pointer: '/query/month', detail: 'must be YYYY-MM' }], 400);
    const state = actor.state ?? filter.state;
    const first = `${month}-01`;
    const last = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).toISOString().slice(0, 10);
    const rounds = (await this.deps.rounds.list({})).filter((r) => r.status !== 'cancelled' && r.deliveryStart <= last && r.deliveryEnd >= first);

    // Each round's plan that counts, with its stops and unassigned units.
    type Entry = { round: Round; plan?: PlanHeader; stops: Map<string, { date: string; routeKey: string }>; unassigned: Map<string, UnassignedUnit> };
    const entries: Entry[] = [];
    for (const round of rounds) {
      const entry: Entry = { round, stops: new Map(), unassigned: new Map() };
      const plans = await this.deps.plans.list({ roundId: round.id, status: ['draft', 'approved', 'dispatched', 'queued', 'running'] });
      const best = plans.filter((p) => PLAN_RANK[p.status]).sort((a, b) => PLAN_RANK[b.status] - PLAN_RANK[a.status] || b.createdAt.getTime() - a.createdAt.getTime())[0];
      const header = best ? await this.deps.plans.get(best.id) : undefined;
      if (header?.generation) {
        entry.plan = header;
        const ids = state === undefined ? header.routeIds : header.vehicles.filter((v) => v.stateCode === state).flatMap((v) => v.routeIds);
        for (const doc of await this.deps.plans.routes(ids)) {
          const route = doc.route as PlannedRoute;
          for (const stop of route.stops) entry.stops.set(stop.clues, { date: stop.date, routeKey: route.routeKey });
        }
        for (const u of header.unassigned as UnassignedUnit[]) entry.unassigned.set(u.clues, u);
      } else if (plans.some((p) => p.status === 'queued' || p.status === 'running')) {
        entry.plan = plans.find((p) => p.status === 'queued' || p.status === 'running');
      }
      entries.push(entry);
    }
    const planIds = entries.filter((e) => e.plan?.generation && e.plan.status !== 'draft').map((e) => e.plan!.id);
    const facts = new Map<string, DeliveryFact>();
    if (this.deps.deliveries && planIds.length > 0) for (const fact of await this.deps.deliveries(planIds)) facts.set(`${fact.planId}|${fact.clues}`, fact);

    const units = (await this.deps.inputs.activeUnits()).filter((u) => state === undefined || u.state.code === state).sort((a, b) => a.state.code.localeCompare(b.state.code) || a._id.localeCompare(b._id));
    const out: CoverageUnit[] = [];
    for (const unit of units) {
      const row: CoverageUnit = {
        clues: unit._id,
        name: unit.name,
        state: { code: unit.state.code, name: unit.state.name },
        level: unit.level,
        status: 'uncovered',
        date: null,
        roundId: null,
        planId: null,
        planStatus: null,
        routeKey: null,
        reason: 'no_round',
        detail: REASON_TEXT.no_round,
      };
      const applicable = entries.filter((e) => (e.round.level === 'first' ? unit.level === 1 : unit.level !== 1) && (e.round.states.length === 0 || e.round.states.includes(unit.state.code)));
      let best = -1;
      for (const e of applicable) {
        const due = e.round.units.length === 0 || e.round.units.includes(unit._id);
        const stop = e.stops.get(unit._id);
        let rank: number;
        let next: Partial<CoverageUnit>;
        if (!due) {
          rank = 0;
          next = { status: 'uncovered', reason: 'not_in_round', detail: REASON_TEXT.not_in_round, roundId: e.round.id };
        } else if (stop && e.plan) {
          const fact = facts.get(`${e.plan.id}|${unit._id}`);
          if (fact?.delivered) {
            rank = 10;
            next = { status: 'delivered', date: fact.day, reason: null, detail: null };
          } else if (fact) {
            rank = 6;
            next = { status: 'not-delivered', date: fact.day, reason: fact.reason ?? 'not_delivered', detail: 'the visit was recorded without a delivery' };
          } else {
            rank = 5 + (PLAN_RANK[e.plan.status] ?? 0) / 10;
            next = { status: 'planned', date: stop.date, reason: null, detail: null };
          }
          next = { ...next, roundId: e.round.id, planId: e.plan.id, planStatus: e.plan.status, routeKey: stop.routeKey };
        } else if (e.plan?.generation) {
          const miss = e.unassigned.get(unit._id);
          rank = 2;
          next = { status: 'uncovered', reason: miss?.reason ?? 'not_in_round', detail: miss?.detail ?? REASON_TEXT.not_in_round, roundId: e.round.id, planId: e.plan.id, planStatus: e.plan.status };
        } else {
          rank = 1;
          const running = e.plan !== undefined;
          next = { status: 'uncovered', reason: running ? 'plan_in_progress' : 'no_plan', detail: REASON_TEXT[running ? 'plan_in_progress' : 'no_plan'], roundId: e.round.id, planId: e.plan?.id ?? null, planStatus: e.plan?.status ?? null };
        }
        if (rank > best) {
          best = rank;
          Object.assign(row, { date: null, planId: null, planStatus: null, routeKey: null }, next);
        }
      }
      out.push(row);
    }
    const summarise = (rows: CoverageUnit[]): CoverageSummary => ({
      units: rows.length,
      covered: rows.filter((r) => r.status === 'planned' || r.status === 'delivered').length,
      delivered: rows.filter((r) => r.status === 'delivered').length,
      planned: rows.filter((r) => r.status === 'planned').length,
      notDelivered: rows.filter((r) => r.status === 'not-delivered').length,
      uncovered: rows.filter((r) => r.status === 'uncovered').length,
    });
    const byState = new Map<string, CoverageUnit[]>();
    for (const row of out) {
      const list = byState.get(row.state.code);
      if (list) list.push(row);
      else byState.set(row.state.code, [row]);
    }
    return {
      month,
      summary: summarise(out),
      states: [...byState.entries()].map(([, rows]) => ({ state: rows[0].state, ...summarise(rows) })),
      units: filter.status ? out.filter((r) => r.status === filter.status) : out,
    };
  }
}

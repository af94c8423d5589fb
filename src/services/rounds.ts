/**
 * Distribution rounds ("jornadas"): create, list, show, cancel, close, and the default calendar
 * that proposes each month's ordinary round in the penultimate week. Status: planned →
 * in-progress (a plan was dispatched) → closed, or cancelled before dispatch.
 */
import { randomBytes } from 'node:crypto';
import type { RoundLevel, RoundType } from '../../models/round.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import type { PlanRepository } from '../repositories/plans.ts';
import type { PlanInputRepository } from '../repositories/plans-inputs.ts';
import type { PlanLotRepository } from '../repositories/plans-lots.ts';
import type { Round, RoundRepository } from '../repositories/rounds.ts';
import { authorize, type Principal } from './auth.ts';
import { isIsoDate, ordinaryRoundWindow, toDayNumber } from './planning/calendar.ts';
import { reservationLines } from './planning/lots.ts';

export type Actor = Pick<Principal, 'role' | 'state'> & { tokenId?: string; name?: string };

export interface CreateRoundRequest {
  name: string;
  type: RoundType;
  level: RoundLevel;
  deliveryStart: string;
  deliveryEnd: string;
  states?: string[];
  units?: string[];
  coordinators?: Record<string, string>;
}

export interface RoundView {
  id: string;
  name: string;
  type: RoundType;
  level: RoundLevel;
  deliveryStart: string;
  deliveryEnd: string;
  month: string;
  states: string[];
  units: string[];
  coordinators: Record<string, string>;
  status: Round['status'];
  source: Round['source'];
  currentPlanId: string | null;
  approvedPlanId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  cancelledBy?: string;
  cancelledAt?: string;
  cancelReason?: string;
  closedBy?: string;
  closedAt?: string;
}

export function roundView(round: Round): RoundView {
  const view: RoundView = {
    id: round.id,
    name: round.name,
    type: round.type,
    level: round.level,
    deliveryStart: round.deliveryStart,
    deliveryEnd: round.deliveryEnd,
    month: round.month,
    states: round.states,
    units: round.units,
    coordinators: Object.fromEntries(round.coordinators.map((c) => [c.state, c.name])),
    status: round.status,
    source: round.source,
    currentPlanId: round.currentPlanId ?? null,
    approvedPlanId: round.approvedPlanId ?? null,
    createdBy: round.createdBy,
    createdAt: round.createdAt.toISOString(),
    updatedAt: round.updatedAt.toISOString(),
  };
  if (round.cancelledBy) view.cancelledBy = round.cancelledBy;
  if (round.cancelledAt) view.cancelledAt = round.cancelledAt.toISOString();
  if (round.cancelReason) view.cancelReason = round.cancelReason;
  if (round.closedBy) view.closedBy = round.closedBy;
  if (round.closedAt) view.closedAt = round.closedAt.toISOString();
  return view;
}

export function actorName(actor: Actor): string {
  return actor.name ?? actor.tokenId ?? actor.role;
}

const TYPE_LABEL: Record<RoundType, string> = { ordinary: 'ORDINARIA', extraordinary: 'EXTRAORDINARIA', emergency: 'EMERGENCIA' };
const MONTH_LABEL = ['ENERO', 'FEBRERO', 'MARZO', 'ABRIL', 'MAYO', 'JUNIO', 'JULIO', 'AGOSTO', 'SEPTIEMBRE', 'OCTUBRE', 'NOVIEMBRE', 'DICIEMBRE'];

export interface RoundServiceDeps {
  rounds: RoundRepository;
  plans: PlanRepository;
  inputs: PlanInputRepository;
  lots: PlanLotRepository;
  calendar: { weekFromEnd: number; deliveryDays: number };
  /** Longest round, days (a typo like 2026 → 2062 must not create a 36-year round). */
  maxRoundDays?: number;
}

export class RoundService {
  constructor(private readonly deps: RoundServiceDeps) {}

  /** A round visible to the actor (state-scoped tokens see national rounds and their own state's). */
  async get(id: string, actor: Actor): Promise<Round> {
    authorize(actor as Principal, 'rounds:read');
    const round = await this.deps.rounds.get(id);
    if (!round || !this.visible(round, actor)) throw new NotFoundError(`No round ${id}.`);
    return round;
  }

  visible(round: Round, actor: Actor): boolean {
    return actor.state === undefined || round.states.length === 0 || round.states.includes(actor.state);
  }

  async list(filter: { status?: Round['status']; month?: string; type?: string }, actor: Actor): Promise<Round[]> {
    authorize(actor as Principal, 'rounds:read');
    return (await this.deps.rounds.list(filter)).filter((r) => this.visible(r, actor));
  }

  async create(body: CreateRoundRequest, actor: Actor, source: Round['source'] = 'api', id?: string): Promise<Round> {
    authorize(actor as Principal, 'rounds:write');
    const errors: FieldError[] = [];
    if (!isIsoDate(body.deliveryStart)) errors.push({ pointer: '/body/deliveryStart', detail: 'must be a real date YYYY-MM-DD' });
    if (!isIsoDate(body.deliveryEnd)) errors.push({ pointer: '/body/deliveryEnd', detail: 'must be a real date YYYY-MM-DD' });
    if (errors.length === 0) {
      const days = toDayNumber(body.deliveryEnd) - toDayNumber(body.deliveryStart) + 1;
      if (days < 1) errors.push({ pointer: '/body/deliveryEnd', detail: 'must not be before deliveryStart' });
      else if (days > (this.deps.maxRoundDays ?? 31)) errors.push({ pointer: '/body/deliveryEnd', detail: `a round lasts at most ${this.deps.maxRoundDays ?? 31} days` });
    }
    const states = [...new Set(body.states ?? [])].sort();
    const units = [...new Set(body.units ?? [])].sort();
    if (actor.state !== undefined) {
      if (states.length !== 1 || states[0] !== actor.state) {
        throw new ForbiddenError(`This token is limited to state ${actor.state}: its rounds must set "states": ["${actor.state}"].`);
      }
    }
    if (body.type === 'ordinary' && units.length > 0) errors.push({ pointer: '/body/units', detail: 'an ordinary round serves every unit of its states; list units only for extraordinary or emergency rounds' });
    if (units.length > 0) {
      const found = await this.deps.inputs.units({ levels: [], states: [], clues: units });
      const known = new Map(found.map((u) => [u._id, u]));
      units.forEach((clues, k) => {
        const unit = known.get(clues);
        if (!unit) errors.push({ pointer: `/body/units/${k}`, detail: `unknown CLUES ${clues}` });
        else if (states.length > 0 && !states.includes(unit.state.code)) errors.push({ pointer: `/body/units/${k}`, detail: `${clues} is in state ${unit.state.code}, outside the round's states` });
        else if (actor.state !== undefined && unit.state.code !== actor.state) errors.push({ pointer: `/body/units/${k}`, detail: `${clues} is outside your state` });
      });
    }
    for (const code of Object.keys(body.coordinators ?? {})) {
      if (!/^\d{2}$/.test(code)) errors.push({ pointer: `/body/coordinators/${code}`, detail: 'keys are INEGI state codes (2 digits)' });
    }
    if (errors.length > 0) throw new ValidationError('The round is not valid.', errors);
    const roundId = id ?? `rnd-${randomBytes(6).toString('hex')}`;
    const inserted = await this.deps.rounds.insert({
      id: roundId,
      name: body.name.trim(),
      type: body.type,
      level: body.level,
      deliveryStart: body.deliveryStart,
      deliveryEnd: body.deliveryEnd,
      month: body.deliveryStart.slice(0, 7),
      states,
      units,
      coordinators: Object.entries(body.coordinators ?? {}).map(([state, name]) => ({ state, name })),
      status: 'planned',
      source,
      createdBy: actorName(actor),
    });
    if (!inserted) throw new ConflictError(`Round ${roundId} already exists.`);
    return (await this.deps.rounds.get(roundId))!;
  }

  /**
   * The default calendar's ordinary round for a month, created once: its id is derived from the
   * month and level, so concurrent callers (two scheduler instances) cannot create it twice.
   */
  async ensureOrdinaryRound(month: string, actor: Actor, level: RoundLevel = 'first'): Promise<{ round: Round; created: boolean }> {
    const id = `cal-${level}-${month}`;
    const existing = await this.deps.rounds.get(id);
    if (existing) return { round: existing, created: false };
    const window = ordinaryRoundWindow(month, this.deps.calendar);
    const [year, mm] = month.split('-');
    const inserted = await this.deps.rounds.insert({
      id,
      name: `JORNADA ORDINARIA ${MONTH_LABEL[Number(mm) - 1]} ${year}${level === 'first' ? '' : ' (2o Y 3er NIVEL)'}`,
      type: 'ordinary',
      level,
      deliveryStart: window.deliveryStart,
      deliveryEnd: window.deliveryEnd,
      month,
      states: [],
      units: [],
      coordinators: [],
      status: 'planned',
      source: 'scheduler',
      createdBy: actorName(actor),
    });
    return { round: (await this.deps.rounds.get(id))!, created: inserted };
  }

  /** The default calendar's proposal for a month (not stored). */
  propose(month: string): { name: string; type: RoundType; level: RoundLevel; deliveryStart: string; deliveryEnd: string } {
    const window = ordinaryRoundWindow(month, this.deps.calendar);
    const [year, mm] = month.split('-');
    return { name: `JORNADA ${TYPE_LABEL.ordinary} ${MONTH_LABEL[Number(mm) - 1]} ${year}`, type: 'ordinary', level: 'first', ...window };
  }

  async cancel(id: string, reason: string | undefined, actor: Actor): Promise<Round> {
    authorize(actor as Principal, 'rounds:write');
    const round = await this.get(id, actor);
    if (actor.state !== undefined && (round.states.length !== 1 || round.states[0] !== actor.state)) {
      throw new ForbiddenError('A state-scoped token can only cancel its own state\u2019s rounds.');
    }
    if (round.status === 'cancelled') return round;
    if (round.status !== 'planned') throw new ConflictError(`Round ${id} is ${round.status}; only a planned round (nothing dispatched) can be cancelled.`);
    const updated = await this.deps.rounds.update(id, { status: 'planned' }, { status: 'cancelled', cancelledBy: actorName(actor), cancelledAt: new Date(), cancelReason: reason });
    if (!updated) throw new ConflictError(`Round ${id} changed while cancelling it; retry.`);
    // Plans of a cancelled round: drafts and queued runs stop counting; approved ones give their lots back.
    for (const plan of await this.deps.plans.list({ roundId: id })) {
      if (plan.status === 'approved') {
        const full = await this.deps.plans.get(plan.id);
        if (full?.generation) {
          const kits = await this.deps.plans.kits(await this.kitIds(full.id, full.generation, full.routeIds));
          await this.deps.lots.releaseAll(reservationLines(kits), `plan:${plan.id}`, actor.tokenId);
        }
      }
      if (['draft', 'approved', 'queued', 'running'].includes(plan.status)) {
        await this.deps.plans.update(plan.id, { status: plan.status }, { status: 'cancelled', stage: 'cancelled' });
      }
    }
    return updated;
  }

  private async kitIds(_planId: string, generation: string, routeIds: string[]): Promise<string[]> {
    const routes = await this.deps.plans.routes(routeIds);
    return routes.flatMap((r) => (r.route as { stops: { clues: string }[] }).stops.map((s) => `${generation}:${s.clues}`));
  }

  async close(id: string, actor: Actor): Promise<Round> {
    authorize(actor as Principal, 'rounds:write');
    const round = await this.get(id, actor);
    if (round.status === 'closed') return round;
    if (round.status !== 'in-progress') throw new ConflictError(`Round ${id} is ${round.status}; only a round in progress (plan dispatched) can be closed.`);
    const updated = await this.deps.rounds.update(id, { status: 'in-progress' }, { status: 'closed', closedBy: actorName(actor), closedAt: new Date() });
    if (!updated) throw new ConflictError(`Round ${id} changed while closing it; retry.`);
    return updated;
  }
}

/** Months whose ordinary round the calendar would create from `now`: this month's if its delivery is still ahead, else the next. */
export function nextOrdinaryMonth(today: string, calendar: { weekFromEnd: number; deliveryDays: number }): string {
  const month = today.slice(0, 7);
  const window = ordinaryRoundWindow(month, calendar);
  if (window.deliveryStart > today) return month;
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Scheduled jobs, all in one place (node-cron, America/Mexico_City by default):
 * - on `scheduler.cron` (default the 1st of each month, 06:00): create the next ordinary round
 *   of the default calendar and generate its draft plan;
 * - every minute: mark plan generations whose instance died as failed (no partial plan stays);
 * - every day at 03:15: forget Idempotency-Keys older than the retention (`housekeeping`;
 *   idempotent, so instances need no lease for it).
 * A lease document in the database makes sure one instance among several does each run; the
 * holder renews it while it works and releases it at the end.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging.ts';
import type { LeaseRepository } from '../repositories/plans-lease.ts';
import type { PlanningService } from '../services/planning/service.ts';
import { nextOrdinaryMonth, type Actor, type RoundService } from '../services/rounds.ts';

export const ORDINARY_ROUND_LEASE = 'scheduler:ordinary-round';

export interface SchedulerDeps {
  lease: LeaseRepository;
  rounds: RoundService;
  planning: PlanningService;
  logger: Logger;
  cron: string;
  timezone: string;
  calendar: { weekFromEnd: number; deliveryDays: number };
  /** Who holds the lease (unique per process). */
  instanceId: string;
  leaseTtlMs?: number;
  now?: () => Date;
  /** Daily housekeeping (retention of idempotency records); returns what it removed. */
  housekeeping?: () => Promise<Record<string, number>>;
}

export interface OrdinaryRunOutcome {
  /** False when another instance holds the lease (it does the work). */
  ran: boolean;
  month?: string;
  roundId?: string;
  roundCreated?: boolean;
  planId?: string;
  planStatus?: string;
  skipped?: string;
}

const SYSTEM: Actor = { role: 'admin', tokenId: 'scheduler', name: 'scheduler' };

/** Today's date (YYYY-MM-DD) in a time zone. */
export function localDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private current: Promise<unknown> | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    if (!cron.validate(deps.cron)) throw new RangeError(`scheduler cron "${deps.cron}" is not a valid cron expression`);
  }

  start(): void {
    const ordinary = cron.schedule(this.deps.cron, () => this.track(this.runOrdinaryRound()), { timezone: this.deps.timezone, name: 'ordinary-round', noOverlap: true });
    const stale = cron.schedule('* * * * *', () => this.track(this.deps.planning.recoverStale()), { timezone: this.deps.timezone, name: 'stale-plans', noOverlap: true });
    this.tasks = [ordinary, stale];
    const housekeeping = this.deps.housekeeping;
    if (housekeeping) {
      const daily = cron.schedule(
        '15 3 * * *',
        () =>
          this.track(
            housekeeping().then((removed) => this.deps.logger.info({ removed }, 'housekeeping done')),
          ),
        { timezone: this.deps.timezone, name: 'housekeeping', noOverlap: true },
      );
      this.tasks.push(daily);
    }
    this.deps.logger.info({ cron: this.deps.cron, timezone: this.deps.timezone, next: ordinary.getNextRun()?.toISOString() }, 'scheduler started');
  }

  private track(work: Promise<unknown>): Promise<unknown> {
    const guarded = work.catch((error: unknown) => this.deps.logger.error({ err: error }, 'scheduled job failed'));
    this.current = guarded;
    return guarded;
  }

  /** Stops the schedules and waits for a run in progress (graceful shutdown). */
  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    await this.current;
  }

  /**
   * One run: take the lease or leave; ensure the next ordinary round exists; generate its draft
   * plan unless it has one (complete, approved or under way).
   */
  async runOrdinaryRound(): Promise<OrdinaryRunOutcome> {
    const ttl = this.deps.leaseTtlMs ?? 120_000;
    const now = this.deps.now?.() ?? new Date();
    if (!(await this.deps.lease.acquire(ORDINARY_ROUND_LEASE, this.deps.instanceId, ttl, now))) {
      this.deps.logger.info('ordinary round: another instance holds the lease');
      return { ran: false };
    }
    const renew = setInterval(() => {
      this.deps.lease.renew(ORDINARY_ROUND_LEASE, this.deps.instanceId, ttl).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'lease renewal failed'));
    }, Math.max(50, Math.floor(ttl / 3)));
    renew.unref();
    try {
      const month = nextOrdinaryMonth(localDate(now, this.deps.timezone), this.deps.calendar);
      const { round, created } = await this.deps.rounds.ensureOrdinaryRound(month, SYSTEM);
      const outcome: OrdinaryRunOutcome = { ran: true, month, roundId: round.id, roundCreated: created };
      if (round.status !== 'planned' || round.approvedPlanId) return { ...outcome, skipped: `round is ${round.status}${round.approvedPlanId ? ' with an approved plan' : ''}` };
      await this.deps.planning.recoverStale();
      const plans = await this.deps.planning.list(round.id, SYSTEM);
      const existing = plans.find((p) => ['queued', 'running', 'draft', 'approved', 'dispatched'].includes(p.status));
      if (existing) return { ...outcome, planId: existing.id, planStatus: existing.status, skipped: 'the round already has a plan' };
      const plan = await this.deps.planning.requestPlan(round.id, {}, SYSTEM);
      const done = await this.deps.planning.generate(plan.id);
      this.deps.logger.info({ roundId: round.id, planId: plan.id }, 'ordinary round planned');
      return { ...outcome, planId: plan.id, planStatus: done.status };
    } finally {
      clearInterval(renew);
      await this.deps.lease.release(ORDINARY_ROUND_LEASE, this.deps.instanceId);
    }
  }
}

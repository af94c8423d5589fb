import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { loadConfig } from '../../src/config.ts';
import { localDate, ORDINARY_ROUND_LEASE, Scheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/logging.ts';
import { createRepositories, type Repositories } from '../../src/repositories/index.ts';
import { createPlanningRepositories, type PlanningRepositories } from '../../src/repositories/plans-repositories.ts';
import { createPlanningModule, type PlanningModule } from '../../src/services/planning/module.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';
import { seedSmallNetwork, type SmallNetwork } from '../services/planning/network.ts';

const ADMIN = { role: 'admin' as const, name: 'test admin' };

function planningModule(repos: PlanningRepositories, instanceId: string, overrides: Record<string, string> = {}): PlanningModule {
  const config = loadConfig({ PLAN_TIME_BUDGET_MS: '200', PLAN_MIN_JOB_MS: '100', PLAN_MAX_ITERATIONS: '200', PLAN_CONCURRENCY: '2', ...overrides });
  return createPlanningModule({ repositories: repos, config, logger: createLogger('silent'), instanceId });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('scheduler and plan generation resilience', function () {
  this.timeout(120_000);
  let connection: Connection;
  let repositories: Repositories;
  let repos: PlanningRepositories;
  let network: SmallNetwork;

  before(async () => {
    connection = await freshConnection('jobs');
    repositories = createRepositories(connection);
    await repositories.ensureIndexes();
    repos = createPlanningRepositories(repositories.models);
    network = await seedSmallNetwork(repositories, { hidalgo: 8, tlaxcala: 4 });
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('lets exactly one of two competing runners create the month\u2019s round and its draft plan', async () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const make = (id: string) => {
      const module = planningModule(repos, id);
      return new Scheduler({ lease: repos.lease, rounds: module.rounds, planning: module.planning, logger: createLogger('silent'), cron: '0 6 1 * *', timezone: 'America/Mexico_City', calendar: { weekFromEnd: 2, deliveryDays: 5 }, instanceId: id, now: () => now });
    };
    const [a, b] = [make('instance-a'), make('instance-b')];
    const outcomes = await Promise.all([a.runOrdinaryRound(), b.runOrdinaryRound()]);
    const ran = outcomes.filter((o) => o.ran && o.planId);
    expect(ran, JSON.stringify(outcomes)).to.have.length(1);
    expect(ran[0]).to.deep.include({ month: '2026-12', roundId: 'cal-first-2026-12', roundCreated: true, planStatus: 'draft' });
    const rounds = await repos.rounds.list({ month: '2026-12' });
    expect(rounds.map((r) => [r.id, r.deliveryStart, r.deliveryEnd])).to.deep.equal([['cal-first-2026-12', '2026-12-21', '2026-12-25']]);
    const plans = await repos.plans.list({ roundId: 'cal-first-2026-12' });
    expect(plans.map((p) => p.status)).to.deep.equal(['draft']);
    const plan = (await repos.plans.get(plans[0].id))!;
    const unassigned = plan.unassigned as { clues: string }[];
    const routes = await repos.plans.routes(plan.routeIds);
    const served = routes.flatMap((r) => (r.route as { stops: { clues: string }[] }).stops.map((s) => s.clues));
    expect([...served, ...unassigned.map((u) => u.clues)].sort()).to.deep.equal([...network.due].sort());
    expect(await repos.lease.get(ORDINARY_ROUND_LEASE)).to.equal(undefined);

    // A later run finds the round planned and does nothing.
    const again = await a.runOrdinaryRound();
    expect(again).to.deep.include({ ran: true, roundCreated: false, planId: plans[0].id, skipped: 'the round already has a plan' });
  });

  it('does not run while another instance holds a live lease, and takes over an expired one', async () => {
    const module = planningModule(repos, 'instance-c');
    const scheduler = new Scheduler({ lease: repos.lease, rounds: module.rounds, planning: module.planning, logger: createLogger('silent'), cron: '0 6 1 * *', timezone: 'America/Mexico_City', calendar: { weekFromEnd: 2, deliveryDays: 5 }, instanceId: 'instance-c', now: () => new Date('2027-01-02T12:00:00Z') });
    expect(await repos.lease.acquire(ORDINARY_ROUND_LEASE, 'someone-else', 60_000, new Date('2027-01-02T12:00:00Z'))).to.equal(true);
    expect(await scheduler.runOrdinaryRound()).to.deep.equal({ ran: false });
    expect(await repos.rounds.get('cal-first-2027-01')).to.equal(undefined);
    await repos.lease.release(ORDINARY_ROUND_LEASE, 'someone-else');
    expect(await repos.lease.acquire(ORDINARY_ROUND_LEASE, 'crashed', 1, new Date('2020-01-01T00:00:00Z'))).to.equal(true);
    const outcome = await scheduler.runOrdinaryRound();
    expect(outcome).to.deep.include({ ran: true, roundId: 'cal-first-2027-01', planStatus: 'draft' });
    expect(localDate(new Date('2027-01-01T03:00:00Z'), 'America/Mexico_City')).to.equal('2026-12-31');
  });

  it('leaves no partial plan when a generation is aborted between its writes', async () => {
    const module = planningModule(repos, 'instance-d');
    const round = await module.rounds.create({ name: 'ABORTADA', type: 'ordinary', level: 'first', deliveryStart: '2027-02-15', deliveryEnd: '2027-02-19' }, ADMIN);
    const plan = await module.planning.requestPlan(round.id, {}, ADMIN);
    const controller = new AbortController();
    let generation = '';
    const run = module.planning.generate(plan.id, {
      signal: controller.signal,
      hooks: {
        afterRoutesWritten: async () => {
          generation = (await repos.plans.get(plan.id))!.runGeneration!;
          const written = await repos.plans.countGeneration(generation);
          expect(written.routes).to.be.greaterThan(0);
          controller.abort(new Error('operator aborted'));
        },
      },
    });
    let failure: unknown;
    await run.catch((error: unknown) => {
      failure = error;
    });
    expect(failure).to.be.instanceOf(Error);
    const header = (await repos.plans.get(plan.id))!;
    expect(header.status).to.equal('failed');
    expect(header.error?.code).to.equal('aborted');
    expect(header.generation).to.equal(undefined);
    expect(header.routeIds).to.deep.equal([]);
    expect(await repos.plans.countGeneration(generation)).to.deep.equal({ routes: 0, kits: 0 });
    const rereadRound = await repos.rounds.get(round.id);
    expect(rereadRound?.currentPlanId).to.equal(undefined);
    // The round can be planned again after the failed run.
    const retry = await module.planning.requestPlan(round.id, {}, ADMIN);
    expect((await module.planning.generate(retry.id)).status).to.equal('draft');
  });

  it('marks a generation whose instance died as failed and deletes what it had written', async () => {
    // Instance E "dies" after writing its routes: it never beats again and never finishes.
    const dying = planningModule(repos, 'instance-e', { PLAN_HEARTBEAT_MS: '600000' });
    const survivor = planningModule(repos, 'instance-f', { PLAN_STALE_AFTER_MS: '200' });
    const round = await dying.rounds.create({ name: 'CAIDA', type: 'ordinary', level: 'first', deliveryStart: '2027-03-15', deliveryEnd: '2027-03-19' }, ADMIN);
    const plan = await dying.planning.requestPlan(round.id, {}, ADMIN);
    const frozen = new AbortController();
    let reached!: () => void;
    const atCrash = new Promise<void>((resolve) => (reached = resolve));
    const run = dying.planning
      .generate(plan.id, {
        signal: frozen.signal,
        hooks: {
          afterRoutesWritten: () =>
            new Promise<void>((_, reject) => {
              reached();
              frozen.signal.addEventListener('abort', () => reject(new Error('process gone')));
            }),
        },
      })
      .catch(() => undefined);
    await atCrash;
    const generation = (await repos.plans.get(plan.id))!.runGeneration!;
    expect((await repos.plans.countGeneration(generation)).routes).to.be.greaterThan(0);
    // Readers never see the half-written generation.
    expect((await repos.plans.get(plan.id))!.status).to.equal('running');
    const recovered = await until('the stale run to be recovered', async () => ((await survivor.planning.recoverStale()) > 0 ? true : undefined));
    expect(recovered).to.equal(true);
    const header = (await repos.plans.get(plan.id))!;
    expect(header.status).to.equal('failed');
    expect(header.error?.code).to.equal('interrupted');
    expect(await repos.plans.countGeneration(generation)).to.deep.equal({ routes: 0, kits: 0 });
    frozen.abort();
    await run;
    expect((await repos.plans.get(plan.id))!.status).to.equal('failed');
    expect(await repos.plans.countGeneration(generation)).to.deep.equal({ routes: 0, kits: 0 });
  });
});

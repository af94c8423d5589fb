import { expect } from 'chai';
import { ReplenishmentError } from '../../../solver/replenishment/index.ts';
import { inProcessPlanner, WorkerPlanner } from '../../../src/services/replenishment/planner.ts';
import { SYNTHETIC_POLICY, syntheticWarehouse } from './synthetic.ts';

describe('replenishment planner on worker threads', () => {
  let workers: WorkerPlanner;
  const local = inProcessPlanner();

  before(() => {
    workers = new WorkerPlanner({ threads: 1 });
  });
  after(async () => {
    await workers.close();
  });

  it('plans exactly what the in-process planner plans, with HiGHS and with water-filling', async () => {
    const input = syntheticWarehouse(40, 20);
    for (const method of ['highs', 'water-filling'] as const) {
      const policy = { ...SYNTHETIC_POLICY, method };
      const [threaded, inline] = [await workers.plan(input, policy), await local.plan(input, policy)];
      expect(threaded.items.filter((i) => i.shortfall > 0), method).to.have.length(10);
      expect(threaded, method).to.deep.equal(inline);
    }
  });

  it('brings a ReplenishmentError of the core back with its code, field and message', async () => {
    const input = syntheticWarehouse(3, 4);
    const bad = { ...input, catalogue: input.catalogue.map((item, k) => (k === 2 ? { ...item, packSize: 0 } : item)) };
    const caught = async (run: Promise<unknown>) => run.then(() => expect.fail('the plan should have failed'), (error: unknown) => error);
    const [threaded, inline] = [await caught(workers.plan(bad, SYNTHETIC_POLICY)), await caught(local.plan(bad, SYNTHETIC_POLICY))];
    expect(inline).to.be.instanceOf(ReplenishmentError);
    expect((inline as ReplenishmentError).field).to.be.a('string');
    expect(threaded).to.be.instanceOf(ReplenishmentError);
    const fields = (e: ReplenishmentError) => ({ name: e.name, code: e.code, field: e.field, message: e.message });
    expect(fields(threaded as ReplenishmentError)).to.deep.equal(fields(inline as ReplenishmentError));
  });

  it('queues computations beyond its thread count instead of starting more threads', async () => {
    const input = syntheticWarehouse(20, 10);
    const plans = await Promise.all([1, 2, 3].map((i) => workers.plan(input, { ...SYNTHETIC_POLICY, horizonDays: 20 + i })));
    expect(workers.size).to.equal(1);
    expect(plans.map((p) => p.units.length)).to.deep.equal([20, 20, 20]);
    expect(plans[0]).to.deep.equal(await local.plan(input, { ...SYNTHETIC_POLICY, horizonDays: 21 }));
  });

  it('starts a new thread after close, so a closed planner can be used again', async () => {
    await workers.close();
    expect(workers.size).to.equal(0);
    const plan = await workers.plan(syntheticWarehouse(2, 3), SYNTHETIC_POLICY);
    expect(plan.units).to.have.length(2);
  });
});

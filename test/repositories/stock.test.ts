import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { createRepositories } from '../../src/repositories/index.ts';
import { createIdempotency } from '../../src/services/idempotency.ts';
import { applyReport } from '../../src/services/stock-reports.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';

describe('stock, lots and idempotency repositories', () => {
  let connection: Connection;
  let repositories: ReturnType<typeof createRepositories>;

  before(async () => {
    connection = await freshConnection('repo_stock');
    repositories = createRepositories(connection);
    await repositories.ensureIndexes();
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('loses no update when reports of different periods of one unit race on its current stock', async () => {
    const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
    await Promise.all(
      months.map(async (period, i) => {
        const report = await repositories.stockReports.upsert({
          unitClues: 'U1',
          period,
          reportedAt: new Date(),
          lines: [{ code: 'A', soh: i, consumed: 30, received: 0, adjustments: 0, stockoutDays: 0 }],
          idempotencyKey: period,
          bodyHash: period,
          tokenId: 't',
        });
        await repositories.stockReports.updateCurrent('U1', (current) => applyReport(current, report));
      }),
    );
    const current = await repositories.stockReports.getCurrent('U1');
    expect(current?.items.A.history.map((h) => h.period)).to.deep.equal(months);
    expect(current?.items.A).to.include({ soh: 5, period: '2025-06', amc: 30 });
    expect(current?.version).to.equal(6);
  });

  it('replaces the report of a period and counts its revisions', async () => {
    const base = { unitClues: 'U2', period: '2025-01', reportedAt: new Date(), lines: [], bodyHash: 'h', tokenId: 't' };
    await repositories.stockReports.upsert({ ...base, idempotencyKey: 'k1' });
    const second = await repositories.stockReports.upsert({ ...base, idempotencyKey: 'k2' });
    expect(second).to.include({ id: 'U2|2025-01', revision: 2, idempotencyKey: 'k2' });
  });

  it('runs the work once for concurrent callers with one key and frees the key when the work fails', async () => {
    const runOnce = createIdempotency(repositories.idempotency, { pollMs: 5 });
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        runOnce('test', 'key-1', 'hash', async () => {
          runs += 1;
          await new Promise((resolve) => setTimeout(resolve, 30));
          return { status: 201, body: { n: runs } };
        }),
      ),
    );
    expect(runs).to.equal(1);
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).to.equal(1);

    const failing = await runOnce('test', 'key-2', 'hash', () => Promise.reject(new Error('boom'))).then(
      () => 'ok',
      (error: Error) => error.message,
    );
    expect(failing).to.equal('boom');
    const retried = await runOnce('test', 'key-2', 'hash', () => Promise.resolve({ status: 201, body: 'second try' }));
    expect(retried).to.include({ replayed: false, body: 'second try' });
  });

  it('takes over a key left pending by a crashed worker once it is stale', async () => {
    await repositories.idempotency.claim('test', 'key-3', 'hash', new Date(Date.now() - 120_000));
    const runOnce = createIdempotency(repositories.idempotency, { staleAfterMs: 60_000 });
    const result = await runOnce('test', 'key-3', 'hash', () => Promise.resolve({ status: 201, body: 'recovered' }));
    expect(result).to.include({ replayed: false, body: 'recovered' });
  });

  it('keeps lot quantities non-negative and records every movement', async () => {
    const change = { warehouseId: 'W', itemCode: 'A', lotNumber: 'L1', tokenId: 't' };
    const expiry = new Date('2030-01-01T00:00:00Z');
    await Promise.all(Array.from({ length: 10 }, () => repositories.lots.receive(change, expiry, 3, new Date())));
    expect((await repositories.lots.get('W', 'A', 'L1'))?.quantity).to.equal(30);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => repositories.lots.adjust({ ...change, reason: 'x' }, -2, new Date())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(15);
    expect((await repositories.lots.get('W', 'A', 'L1'))?.quantity).to.equal(0);
    expect(await repositories.lots.movements({ warehouseId: 'W' }, 100)).to.have.length(25);
  });
});

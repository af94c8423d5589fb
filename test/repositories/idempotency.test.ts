import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { registerModels } from '../../models/index.ts';
import { createIdempotencyRepository } from '../../src/repositories/idempotency.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';

describe('idempotency records on the real database (batched claims and completions)', function () {
  this.timeout(30_000);
  let connection: Connection;

  before(async () => {
    connection = await freshConnection('idem_batch');
    await registerModels(connection).IdempotencyRecord.init();
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('grants one claim per key when many arrive together, mixed with other keys', async () => {
    const repo = createIdempotencyRepository(registerModels(connection));
    const now = new Date();
    const requests = [
      ...Array.from({ length: 12 }, () => ({ key: 'same', scope: 's:A' })),
      ...Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, scope: 's:A' })),
      { key: 'same', scope: 's:B' },
    ];
    const results = await Promise.all(requests.map((r) => repo.claim(r.scope, r.key, 'h', now)));
    expect(results.slice(0, 12).filter(Boolean)).to.have.length(1);
    expect(results.slice(12)).to.deep.equal([true, true, true, true, true, true, true]);
    expect(await connection.db!.collection('idempotency_records').countDocuments()).to.equal(8);
  });

  it('completes every record of a batch with its own response', async () => {
    const repo = createIdempotencyRepository(registerModels(connection));
    const now = new Date();
    const keys = Array.from({ length: 10 }, (_, i) => `c${i}`);
    await Promise.all(keys.map((key) => repo.claim('s:C', key, 'h', now)));
    await Promise.all(keys.map((key, i) => repo.complete('s:C', key, { status: 201, resourceId: `R${i}`, body: { n: i } }, now)));
    for (const [i, key] of keys.entries()) {
      const record = await repo.get('s:C', key);
      expect(record).to.deep.include({ status: 'done', response: { status: 201, resourceId: `R${i}`, body: { n: i } } });
    }
  });

  it('forgets answered keys past the retention and abandoned pending ones, and keeps the rest', async () => {
    const repo = createIdempotencyRepository(registerModels(connection));
    const day = 86_400_000;
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * day);
    await repo.claim('s:R', 'done-old', 'h', at(40));
    await repo.complete('s:R', 'done-old', { status: 201 }, at(40));
    await repo.claim('s:R', 'done-recent', 'h', at(40));
    await repo.complete('s:R', 'done-recent', { status: 201 }, at(2));
    await repo.claim('s:R', 'pending-old', 'h', at(3));
    await repo.claim('s:R', 'pending-recent', 'h', new Date(now - 60_000));
    expect(await repo.purge(at(30), at(1))).to.equal(2);
    expect(await repo.get('s:R', 'done-old')).to.equal(undefined);
    expect(await repo.get('s:R', 'pending-old')).to.equal(undefined);
    expect((await repo.get('s:R', 'done-recent'))?.status).to.equal('done');
    expect((await repo.get('s:R', 'pending-recent'))?.status).to.equal('pending');
  });
});

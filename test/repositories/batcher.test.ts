import { expect } from 'chai';
import { createBatcher } from '../../src/repositories/batcher.ts';

describe('group-commit batcher', () => {
  it('writes the first item at once and groups the items that arrive while a write is running', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = createBatcher<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = batcher.add(1);
    const rest = [2, 3, 4].map((n) => batcher.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).to.deep.equal([[1]]);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).to.deep.equal([[1], [2, 3, 4]]);
  });

  it('caps the batch size and keeps the order', async () => {
    const batches: number[][] = [];
    const batcher = createBatcher<number>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setImmediate(resolve));
    }, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches.flat()).to.deep.equal([1, 2, 3, 4, 5]);
    expect(Math.max(...batches.map((b) => b.length))).to.equal(2);
  });

  it('rejects the callers of a failed batch only, and goes on with the next', async () => {
    let calls = 0;
    const batcher = createBatcher<string>((items) => {
      calls += 1;
      return items.includes('bad') ? Promise.reject(new Error('write failed')) : Promise.resolve();
    });
    const bad = batcher.add('bad').then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const good = batcher.add('good').then(() => 'resolved');
    expect(await Promise.all([bad, good])).to.deep.equal(['write failed', 'resolved']);
    expect(calls).to.equal(2);
  });

  it('flush waits for everything queued so far', async () => {
    const written: number[] = [];
    const batcher = createBatcher<number>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(...items);
    });
    for (let n = 0; n < 10; n++) void batcher.add(n);
    await batcher.flush();
    expect(written).to.have.length(10);
  });
});

/**
 * Group commit for small independent writes (audit entries, idempotency records): while one
 * batch is being written, new items queue up and go together in the next one. At low load each
 * item is written at once; under load many items share one round trip, which is what the
 * embedded database rewards (its cost is per operation far more than per document). Each
 * caller's promise settles when the batch holding its item is written, with that item's result
 * (`write` returns one result per item, in order); a failed batch rejects its callers only.
 */
export function createBatcher<T, R = void>(write: (items: T[]) => Promise<R[] | void>, options: { maxBatch?: number } = {}) {
  const maxBatch = options.maxBatch ?? 500;
  let queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await write(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve((results ? results[i] : undefined) as R));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
  }

  function start(): Promise<void> {
    running ??= drain().finally(() => {
      running = undefined;
      // Items queued between the last check and the end of the loop start the next round.
      if (queue.length > 0) void start();
    });
    return running;
  }

  return {
    add(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        void start();
      });
    },
    /** Resolves once everything queued so far is written (or has failed). */
    async flush(): Promise<void> {
      while (running || queue.length > 0) await (running ?? start());
    },
  };
}

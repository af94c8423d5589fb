/**
 * Warehouse jobs: independent, serialisable routing problems. The local runner solves each in a
 * worker thread (the solver's own `workers` option) and runs `concurrency` of them at once; a
 * distributed runner would send the same {@link WarehouseJob} JSON to another machine and get a
 * {@link WarehouseJobResult} back.
 */
import { solve, type SolveResult } from '../../../solver/index.ts';
import { clarkeWright, nearestNeighbour, type BaselineResult } from './baseline.ts';
import type { WarehouseJob } from './problem.ts';

export interface WarehouseJobResult {
  warehouseId: string;
  result: SolveResult;
  baseline?: { clarkeWright: BaselineResult; nearestNeighbour: BaselineResult };
}

export interface JobRunner {
  run(job: WarehouseJob, signal?: AbortSignal): Promise<WarehouseJobResult>;
}

export class LocalJobRunner implements JobRunner {
  /** @param threadsPerJob worker threads per solve (0 = solve in this thread; tests). */
  constructor(private readonly threadsPerJob = 1) {}

  async run(job: WarehouseJob, signal?: AbortSignal): Promise<WarehouseJobResult> {
    const result = await solve(job.problem, {
      timeLimitMs: job.timeLimitMs,
      maxIterations: job.maxIterations,
      seed: job.seed,
      workers: this.threadsPerJob,
      signal,
    });
    const out: WarehouseJobResult = { warehouseId: job.warehouseId, result };
    if (job.baseline) out.baseline = { clarkeWright: clarkeWright(job.problem), nearestNeighbour: nearestNeighbour(job.problem) };
    return out;
  }
}

/** Runs async tasks with at most `limit` in flight, largest first as given; fails fast. */
export async function runPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && failed === undefined) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failed ??= error;
      }
    }
  });
  await Promise.all(lanes);
  if (failed !== undefined) throw failed instanceof Error ? failed : new Error('a pooled task failed', { cause: failed });
  return results;
}

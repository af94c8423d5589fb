/**
 * Warehouse jobs: independent, serialisable routing problems. The local runner solves each in a
 * worker thread (the solver's own `workers` option) and runs `concurrency` of them at once; a
 * distributed runner would send the same {@link WarehouseJob} JSON to another machine and get a
 * {@link WarehouseJobResult} back.
 */
import type { Worker } from 'node:worker_threads';
import { solveSync, type SolveResult } from '../../../solver/index.ts';
import { baselineAsSolveResult, clarkeWright, nearestNeighbour, type BaselineResult } from './baseline.ts';
import type { WarehouseJob } from './problem.ts';
import { siblingEntry, startWorker } from '../worker-thread.ts';

export interface WarehouseJobResult {
  warehouseId: string;
  result: SolveResult;
  /** Which construction the plan uses: the search, or Clarke–Wright where it did better. */
  method?: 'hgs' | 'clarke-wright';
  baseline?: { clarkeWright: BaselineResult; nearestNeighbour: BaselineResult };
}

/**
 * Completes a job after the search: Clarke–Wright savings is built on the same problem and used
 * instead when it serves at least as many units at a lower cost (a time-limited search on a
 * large warehouse may not get there); baselines are attached when the job asks for them.
 */
export function finishJob(job: WarehouseJob, searched: SolveResult): WarehouseJobResult {
  const cw = clarkeWright(job.problem);
  let result = searched;
  let method: WarehouseJobResult['method'] = 'hgs';
  const served = (r: { unassigned: unknown[] }) => job.problem.clients.length - r.unassigned.length;
  if (cw.violations === 0 && served(cw) >= served(searched) && cw.cost < searched.cost - 1e-6) {
    const reasons = new Map(searched.unassigned.map((u) => [u.client, u.reason]));
    result = { ...baselineAsSolveResult(job.problem, cw, reasons), runtimeMs: searched.runtimeMs, iterations: searched.iterations };
    method = 'clarke-wright';
  }
  const out: WarehouseJobResult = { warehouseId: job.warehouseId, result, method };
  if (job.baseline) out.baseline = { clarkeWright: cw, nearestNeighbour: nearestNeighbour(job.problem) };
  return out;
}

export interface JobRunner {
  run(job: WarehouseJob, signal?: AbortSignal): Promise<WarehouseJobResult>;
  /** Releases threads held between jobs (called when a plan generation ends). */
  close?(): Promise<void>;
}

type WorkerReply = { kind: 'ready' } | { kind: 'result'; result: WarehouseJobResult } | { kind: 'error'; message: string };

/**
 * Solves warehouse jobs on a pool of persistent worker threads (one job per thread at a time).
 * The threads load the solver once per generation, so a job's time limit is all search time.
 * With `threads: 0` jobs run in this thread (tests).
 */
export class LocalJobRunner implements JobRunner {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private starting: Promise<void> | undefined;

  constructor(private readonly threads = 1) {}

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const url = siblingEntry('job-worker', import.meta.url);
      const workers = Array.from({ length: this.threads }, () => startWorker(url));
      this.all = workers;
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (message: WorkerReply) => {
                if (message.kind === 'ready') {
                  worker.off('message', onMessage);
                  worker.off('error', reject);
                  resolve();
                }
              };
              worker.on('message', onMessage);
              worker.once('error', reject);
            }),
        ),
      );
      this.idle = [...workers];
    })();
    return this.starting;
  }

  async run(job: WarehouseJob, signal?: AbortSignal): Promise<WarehouseJobResult> {
    if (this.threads === 0) {
      const result = solveSync(job.problem, { timeLimitMs: job.timeLimitMs, maxIterations: job.maxIterations, seed: job.seed, params: job.params, signal });
      return finishJob(job, result);
    }
    await this.start();
    const worker = this.idle.pop();
    if (!worker) throw new Error('no idle planning worker: run at most `threads` jobs at once');
    const abort = new SharedArrayBuffer(4);
    const flag = new Int32Array(abort);
    const onAbort = () => Atomics.store(flag, 0, 1);
    signal?.addEventListener('abort', onAbort);
    try {
      return await new Promise<WarehouseJobResult>((resolve, reject) => {
        const onMessage = (message: WorkerReply) => {
          if (message.kind === 'ready') return;
          cleanup();
          if (message.kind === 'result') resolve(message.result);
          else reject(new Error(message.message));
        };
        const onError = (error: Error) => {
          cleanup();
          reject(error);
        };
        const onExit = (code: number) => {
          cleanup();
          reject(new Error(`planning worker exited (code ${code}) without a result`));
        };
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ job, abort });
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    const workers = this.all;
    this.all = [];
    this.idle = [];
    this.starting = undefined;
    await Promise.all(workers.map((w) => w.terminate()));
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

/**
 * Worker-thread entry of the planning job pool: loads the solver once, then solves one
 * warehouse job per message. The job's time limit starts when the search starts here, so the
 * worker's start-up (module loading) is not taken from the search.
 */
import { parentPort } from 'node:worker_threads';
import { solveSync } from '../../../solver/index.ts';
import { finishJob } from './jobs.ts';
import type { WarehouseJob } from './problem.ts';

interface JobMessage {
  job: WarehouseJob;
  /** Shared flag: 1 = abort (checked by the search between iterations). */
  abort: SharedArrayBuffer;
}

parentPort?.on('message', (message: JobMessage) => {
  const flag = new Int32Array(message.abort);
  // solveSync only reads `signal.aborted` between iterations; a blocked thread cannot receive
  // an AbortSignal's event, so the caller's abort arrives through shared memory instead.
  const signal = { get aborted() { return Atomics.load(flag, 0) === 1; }, addEventListener() {}, removeEventListener() {} } as unknown as AbortSignal;
  try {
    const { job } = message;
    const result = solveSync(job.problem, { timeLimitMs: job.timeLimitMs, maxIterations: job.maxIterations, seed: job.seed, params: job.params, signal });
    parentPort?.postMessage({ kind: 'result', result: finishJob(job, result) });
  } catch (error) {
    parentPort?.postMessage({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
parentPort?.postMessage({ kind: 'ready' });

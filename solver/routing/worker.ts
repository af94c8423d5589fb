/**
 * Worker-thread entry: runs one independent search and posts its best solution back.
 * Started by `solve()`; the shared abort flag lets the caller stop it between iterations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSearch, type WorkerMessage, type WorkerRequest } from './solve.ts';

const request = workerData as WorkerRequest;
const flag = new Int32Array(request.abort);
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);
try {
  const result = runSearch(
    request.input,
    request.seed,
    { ...request.stop, shouldStop: () => Atomics.load(flag, 0) === 1 },
    request.params,
    (progress) => post({ kind: 'progress', progress }),
  );
  post({ kind: 'result', result });
} catch (error) {
  post({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

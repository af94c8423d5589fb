/**
 * Where the CPU-heavy part of a replenishment run happens: `planWarehouse` (indicators, reorder,
 * fair rationing with the HiGHS LP, kits, FEFO) is pure and synchronous for seconds on a large
 * warehouse, so the service runs it on worker threads and its event loop keeps answering other
 * requests meanwhile. Inputs and results are plain, structured-clone-able data; the LP solver is
 * loaded inside the worker. Tests may plan in this thread with {@link inProcessPlanner}.
 */
import type { Worker } from 'node:worker_threads';
import { loadHighsSolver, ReplenishmentError, type LpTextSolver, type ReplenishmentErrorCode } from '../../../solver/replenishment/index.ts';
import { siblingEntry, startWorker } from '../worker-thread.ts';
import { planWarehouse, type PlanWarehouseInput, type PlanningPolicy, type WarehousePlan } from './planning.ts';

export interface WarehousePlanner {
  /** Plans one warehouse; rejects with the core's {@link ReplenishmentError} on bad data. */
  plan(input: PlanWarehouseInput, policy: PlanningPolicy): Promise<WarehousePlan>;
  /** Stops the threads (graceful shutdown); a later `plan` starts them again. */
  close(): Promise<void>;
}

/** One message to the worker, and its answer. */
export interface PlanRequestMessage {
  input: PlanWarehouseInput;
  policy: PlanningPolicy;
}
export type PlanReplyMessage =
  | { kind: 'ready' }
  | { kind: 'result'; plan: WarehousePlan }
  | { kind: 'error'; error: SerializedPlanError };

/** An error crossing the thread boundary: ReplenishmentErrors keep their code and field. */
export type SerializedPlanError =
  | { name: 'ReplenishmentError'; code: ReplenishmentErrorCode; message: string; field?: string }
  | { name: string; message: string; stack?: string };

export function serializePlanError(error: unknown): SerializedPlanError {
  if (error instanceof ReplenishmentError) {
    // The core prefixes its message with the field; keep the bare message to rebuild it exactly.
    const prefix = error.field === undefined ? '' : `${error.field}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { name: 'ReplenishmentError', code: error.code, message, field: error.field };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

export function deserializePlanError(error: SerializedPlanError): Error {
  if (error.name === 'ReplenishmentError' && 'code' in error) return new ReplenishmentError(error.code, error.message, error.field);
  const rebuilt = new Error(`replenishment worker: ${error.message}`);
  if ('stack' in error && error.stack) rebuilt.stack = `${rebuilt.message}\n(worker) ${error.stack}`;
  return rebuilt;
}

/**
 * Plans in the calling thread (tests, scripts): blocks the event loop while it computes. Like the
 * worker, it loads a fresh LP solver per warehouse.
 */
export function inProcessPlanner(loadSolver: () => Promise<LpTextSolver> = loadHighsSolver): WarehousePlanner {
  return {
    async plan(input, policy) {
      return planWarehouse(input, policy, policy.method === 'highs' ? await loadSolver() : undefined);
    },
    async close() {},
  };
}

/**
 * Plans on at most `threads` persistent worker threads (default 1): one computation per thread
 * at a time, further requests wait in arrival order, so two national runs cannot take every core
 * of the machine from the requests the service is answering. Threads start on first use, do not
 * keep the process alive while idle, and are replaced if one dies.
 */
export class WorkerPlanner implements WarehousePlanner {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  private starting = 0;
  private readonly waiting: ((worker: Worker | Error) => void)[] = [];
  private readonly threads: number;

  constructor(options: { threads?: number } = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? 1));
  }

  /** Threads started and alive (never more than `threads`). */
  get size(): number {
    return this.live.size;
  }

  async plan(input: PlanWarehouseInput, policy: PlanningPolicy): Promise<WarehousePlan> {
    const worker = await this.acquire();
    let healthy = true;
    try {
      return await new Promise<WarehousePlan>((resolve, reject) => {
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onMessage = (message: PlanReplyMessage) => {
          if (message.kind === 'ready') return;
          cleanup();
          if (message.kind === 'result') resolve(message.plan);
          else reject(deserializePlanError(message.error));
        };
        const onError = (error: Error) => {
          healthy = false;
          cleanup();
          reject(error);
        };
        const onExit = (code: number) => {
          healthy = false;
          cleanup();
          reject(new Error(`replenishment worker exited (code ${code}) without a result`));
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ input, policy } satisfies PlanRequestMessage);
      });
    } finally {
      this.release(worker, healthy);
    }
  }

  async close(): Promise<void> {
    const workers = [...this.live];
    this.live.clear();
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake(new Error('the replenishment planner was closed'));
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private async acquire(): Promise<Worker> {
    const idle = this.idle.pop();
    if (idle) {
      idle.ref();
      return idle;
    }
    if (this.live.size + this.starting < this.threads) return this.spawn();
    const next = await new Promise<Worker | Error>((resolve) => this.waiting.push(resolve));
    if (next instanceof Error) throw next;
    return next;
  }

  private release(worker: Worker, healthy: boolean): void {
    if (!healthy || !this.live.has(worker)) {
      this.live.delete(worker);
      void worker.terminate();
      const wake = this.waiting.shift();
      if (wake) this.spawn().then(wake, wake);
      return;
    }
    const wake = this.waiting.shift();
    if (wake) {
      wake(worker);
      return;
    }
    worker.unref();
    this.idle.push(worker);
  }

  private async spawn(): Promise<Worker> {
    this.starting += 1;
    try {
      const worker = startWorker(siblingEntry('plan-worker', import.meta.url));
      await new Promise<void>((resolve, reject) => {
        const onMessage = (message: PlanReplyMessage) => {
          if (message.kind !== 'ready') return;
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve();
        };
        const onError = (error: Error) => reject(error);
        const onExit = (code: number) => reject(new Error(`replenishment worker exited (code ${code}) while starting`));
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
      });
      this.live.add(worker);
      return worker;
    } finally {
      this.starting -= 1;
    }
  }
}

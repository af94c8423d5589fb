/**
 * Worker-thread entry of the replenishment planner (planner.ts): plans one warehouse per
 * message with the pure core. HiGHS is loaded here, a fresh instance per message (~35 ms): a
 * long-lived thread never reuses one WebAssembly instance across thousands of solves.
 */
import { parentPort } from 'node:worker_threads';
import { loadHighsSolver } from '../../../solver/replenishment/index.ts';
import { serializePlanError, type PlanReplyMessage, type PlanRequestMessage } from './planner.ts';
import { planWarehouse } from './planning.ts';

async function answer(message: PlanRequestMessage): Promise<PlanReplyMessage> {
  try {
    const solver = message.policy.method === 'highs' ? await loadHighsSolver() : undefined;
    return { kind: 'result', plan: await planWarehouse(message.input, message.policy, solver) };
  } catch (error) {
    return { kind: 'error', error: serializePlanError(error) };
  }
}

function reply(message: PlanReplyMessage): void {
  try {
    parentPort?.postMessage(message);
  } catch (error) {
    // A result that cannot be cloned must still answer, or the caller would wait forever.
    parentPort?.postMessage({ kind: 'error', error: serializePlanError(error) } satisfies PlanReplyMessage);
  }
}

parentPort?.on('message', (message: PlanRequestMessage) => {
  void answer(message).then(reply);
});
reply({ kind: 'ready' });

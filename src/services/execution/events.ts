import { EventEmitter } from 'node:events';

/**
 * In-process bus of execution changes, keyed by round. It wakes the progress streams of this
 * instance at once; other instances notice the same change on their next poll (see
 * docs/execution.md, "Several instances").
 */
export interface ExecutionChange {
  kind: 'delivery' | 'evidence' | 'replan';
  roundId: string;
  planId: string;
  clues?: string;
  at: Date;
}

export class ExecutionEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open progress stream: ~64 coordinators plus national viewers.
    this.emitter.setMaxListeners(0);
  }

  publish(change: ExecutionChange): void {
    // Caches first, so a stream woken by this change reads fresh data.
    this.emitter.emit('change', change);
    this.emitter.emit(`round:${change.roundId}`, change);
  }

  /** Every change of every round (cache invalidation). */
  subscribeAll(listener: (change: ExecutionChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => {
      this.emitter.off('change', listener);
    };
  }

  /** Tells open streams the service is stopping, so they end and shutdown is not held up. */
  shutdown(): void {
    this.emitter.emit('shutdown');
  }

  onShutdown(listener: () => void): () => void {
    this.emitter.once('shutdown', listener);
    return () => {
      this.emitter.off('shutdown', listener);
    };
  }

  subscribe(roundId: string, listener: (change: ExecutionChange) => void): () => void {
    const name = `round:${roundId}`;
    this.emitter.on(name, listener);
    return () => {
      this.emitter.off(name, listener);
    };
  }
}

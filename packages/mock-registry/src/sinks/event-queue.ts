import type { EndpointMetrics } from '../delivery.js';
import type { Delivery } from './sink.js';

/**
 * distribution's eventQueue (notifications/sinks.go): an unbounded FIFO in front of one sender,
 * so deliveries to an endpoint go one at a time, in order, and a failing head blocks the rest.
 * Counts `Events` and `Pending` as the registry's queue listener does.
 */
export class EventQueue {
  readonly #queue: Delivery[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  readonly #send: (delivery: Delivery) => Promise<boolean>;
  readonly #metrics: EndpointMetrics;
  #running = false;
  #stopped = false;

  /** `send` resolves false when the registry stopped before the delivery went out. */
  constructor(send: (delivery: Delivery) => Promise<boolean>, metrics: EndpointMetrics) {
    this.#send = send;
    this.#metrics = metrics;
  }

  enqueue(delivery: Delivery): void {
    this.#queue.push(delivery);
    this.#metrics.Events += 1;
    this.#metrics.Pending += 1;
    if (!this.#running && !this.#stopped) void this.#run();
  }

  /** Resolves when the queue is empty. */
  idle(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops what is queued, as the registry does on shutdown. */
  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#metrics.Pending = 0;
    this.#wakeIdle();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      for (let next = this.#queue[0]; next && !this.#stopped; next = this.#queue[0]) {
        const sent = await this.#send(next);
        if (!sent || this.#stopped) return;
        this.#queue.shift();
        this.#metrics.Pending -= 1;
      }
    } finally {
      this.#running = false;
      if (this.#queue.length === 0) this.#wakeIdle();
    }
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

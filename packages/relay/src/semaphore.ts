import { keepShape } from './keep-shape.js';

/**
 * Runs at most `limit` tasks at once. A class, not a closure per consumer: its methods are one
 * function for every consumer, so the optimized code that inlines them outlives a consumer.
 */
export class Semaphore {
  /** The kept one (keep-shape.ts), a part of other classes' kept ones too. */
  static readonly inert: Semaphore = keepShape(new Semaphore(0));
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Undefined when a slot was free and is now taken, else a wait for one. */
  acquire(): Promise<void> | undefined {
    if (this.#active < this.#limit) {
      this.#active++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}

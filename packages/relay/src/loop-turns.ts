import { keepShape } from './keep-shape.js';

/** The next turn of the event loop: after the I/O callbacks of this one, so whatever they start is gathered first. */
const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
const nextTurn: (run: () => void) => void = immediate ? (run) => void immediate(run) : (run) => void setTimeout(run, 0);

/**
 * A partition's requests of one turn: what they gathered, and the command that sends it. `gathered`
 * is sent as it stands when the turn ends, so a request adds itself in the same synchronous step that
 * got the batch (as `claimNow` and `acknowledge` do): one added after an `await`, or to a batch kept
 * for later, is never sent and nothing says so. Nothing checks this, as the check would cost every request.
 */
export interface TurnBatch<B, R> {
  readonly gathered: B;
  readonly sent: Promise<R>;
}

/**
 * Requests for one partition gathered until the next turn and sent as one command: events
 * starting together (concurrency, several repositories) cost one round trip. `batch(partition)`
 * answers the partition's batch of this turn, made by `gather` on its first request; a request adds
 * itself to `gathered` in place, so it costs no object of its own (an acknowledgement comes with
 * every event). `opened` sees each batch as it is made. A class, not a closure per consumer, as
 * `DeliveryRunner` (run-delivery.ts).
 */
export class TurnBatcher<B, R> {
  static {
    keepShape(new TurnBatcher(() => undefined, () => Promise.resolve()));
  }
  readonly #open = new Map<number, TurnBatch<B, R>>();
  readonly #gather: () => B;
  readonly #send: (partition: number, gathered: B) => Promise<R>;
  readonly #opened: ((batch: TurnBatch<B, R>) => void) | undefined;

  constructor(gather: () => B, send: (partition: number, gathered: B) => Promise<R>, opened?: (batch: TurnBatch<B, R>) => void) {
    this.#gather = gather;
    this.#send = send;
    this.#opened = opened;
  }

  batch(partition: number): TurnBatch<B, R> {
    let batch = this.#open.get(partition);
    if (!batch) {
      const gathered = this.#gather();
      const sent = new Promise<R>((resolve, reject) =>
        nextTurn(() => {
          this.#open.delete(partition);
          this.#send(partition, gathered).then(resolve, reject);
        })
      );
      batch = { gathered, sent };
      this.#open.set(partition, batch);
      this.#opened?.(batch);
    }
    return batch;
  }
}

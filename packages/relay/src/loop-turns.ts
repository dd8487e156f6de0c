/** The next turn of the event loop: after the I/O callbacks of this one, so whatever they start is gathered first. */
const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
export const nextTurn: (run: () => void) => void = immediate ? (run) => void immediate(run) : (run) => void setTimeout(run, 0);

/**
 * Requests for one partition gathered until the next turn and sent as one command: events
 * starting together (concurrency, several repositories) cost one round trip.
 * Answers the batch's `sent` and the request's place in it.
 */
export function createTurnBatcher<T, R>(send: (partition: number, items: T[]) => Promise<R>) {
  const open = new Map<number, { items: T[]; sent: Promise<R> }>();
  return (partition: number, item: T): { sent: Promise<R>; index: number } => {
    let batch = open.get(partition);
    if (!batch) {
      const items: T[] = [];
      const sent = new Promise<R>((resolve, reject) =>
        nextTurn(() => {
          open.delete(partition);
          send(partition, items).then(resolve, reject);
        })
      );
      batch = { items, sent };
      open.set(partition, batch);
    }
    return { sent: batch.sent, index: batch.items.push(item) - 1 };
  };
}

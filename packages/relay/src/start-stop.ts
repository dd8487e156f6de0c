type Transition = 'start' | 'stop';

/**
 * A consumer's start() and stop(), one at a time in the order they were called. A start() while
 * another is under way joins it (one group creation, one lease, one loop: two runs would both pass
 * the loop's `running` check before its first await); a stop() while a start() is under way runs
 * once that start settled, so it releases the leases the start took rather than before they land.
 * Calls of one kind in a row share one run; a run that failed leaves the next call free to try again.
 */
export function oneTransitionAtATime(start: () => Promise<void>, stop: () => Promise<void>): Record<Transition, () => Promise<void>> {
  // settles (never rejects) once the last queued transition did: the next one runs after it
  let queue: Promise<void> = Promise.resolve();
  let last: { kind: Transition; done: Promise<void> } | undefined;

  function enqueue(kind: Transition, run: () => Promise<void>): Promise<void> {
    if (last?.kind === kind) return last.done;
    // forgotten before its caller hears the outcome: a start() right after a refused one runs again
    const entry = {
      kind,
      done: queue.then(run).finally(() => {
        if (last === entry) last = undefined;
      }),
    };
    last = entry;
    queue = entry.done.catch(() => undefined);
    return entry.done;
  }

  return {
    start: () => enqueue('start', start),
    stop: () => enqueue('stop', stop),
  };
}

/**
 * Values that are there now or later. The receiver's common path (bearer auth, memory dedupe,
 * handlers that return nothing) is synchronous once the body is read: every `await` of a value
 * that is already there would still cost a turn of the microtask queue per request.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** `then` for a value that may already be there: `next` runs at once when it is. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value);
}

/** `Promise.all`, answered at once when nothing is pending. */
export function allOf<T>(values: MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some(isPromiseLike) ? Promise.all(values) : (values as T[]);
}

/** Runs `step(0)`, `step(1)`... in order, each after the previous one settled; synchronous until a step returns a promise. */
export function inOrder<T>(count: number, step: (index: number) => MaybePromise<T>): MaybePromise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < count; index++) {
    const result = step(index);
    if (isPromiseLike(result)) return finishInOrder(result, results, index + 1, count, step);
    results.push(result);
  }
  return results;
}

async function finishInOrder<T>(pending: PromiseLike<T>, results: T[], from: number, count: number, step: (index: number) => MaybePromise<T>): Promise<T[]> {
  results.push(await pending);
  for (let index = from; index < count; index++) results.push(await step(index));
  return results;
}

/** One step of shutting down: closes one part a command started, registered once that part is up (`Started.part`). */
export type Close = () => unknown;

/**
 * The closes of a start made of steps, each registered as soon as its step is up: they run last
 * started first, so a start that fails partway closes exactly what it had started.
 */
export class Started {
  /** Last started first: `runThenClose` runs them in this order. */
  readonly closes: Close[] = [];
  add(close: Close): void {
    this.closes.unshift(close);
  }
  /** Waits for a part to be up and registers its `close`. */
  async part<T extends { close(): unknown }>(starting: T | Promise<T>): Promise<T> {
    const part = await starting;
    this.add(() => part.close());
    return part;
  }
}

/** Runs every close in order, whichever of them fail, and returns their failures. */
async function closeEach(closes: readonly Close[]): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const close of closes) {
    try {
      await close();
    } catch (error) {
      failures.push(error);
    }
  }
  return failures;
}

/** Throws the first of the failures; `report` hears the others. */
export function throwFirst(failures: readonly unknown[], report: (error: unknown) => void): void {
  const [first, ...others] = failures;
  others.forEach(report);
  if (first !== undefined) throw first;
}

/** The reasons of the rejected ones. */
export const rejections = (results: readonly PromiseSettledResult<unknown>[]): unknown[] => results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));

/** Runs every close in order even when one fails, then throws the first failure; `report` hears the others. */
export async function closeAll(closes: readonly Close[], report: (error: unknown) => void): Promise<void> {
  throwFirst(await closeEach(closes), report);
}

/** Runs closes that do not depend on each other all at once (consumers stopping gracefully), then as `closeAll`. */
export async function closeTogether(closes: readonly Close[], report: (error: unknown) => void): Promise<void> {
  throwFirst(rejections(await Promise.allSettled(closes.map(async (close) => close()))), report);
}

/**
 * `body`, then every close, whatever happened: the body's error is the one thrown (a port in use
 * says more than the close that failed after it), a close's only when the body succeeded;
 * `report` hears the failures not thrown.
 */
export async function runThenClose<T>(body: () => Promise<T>, closes: readonly Close[], report: (error: unknown) => void): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    (await closeEach(closes)).forEach(report);
    throw error;
  }
  await closeAll(closes, report);
  return result;
}

/** `body`, given where to register what it starts, then those closes as `runThenClose`. */
export function withCloses<T>(body: (started: Started) => Promise<T>, report: (error: unknown) => void): Promise<T> {
  const started = new Started();
  return runThenClose(() => body(started), started.closes, report);
}

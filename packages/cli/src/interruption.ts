import { EXIT } from './cli-error.js';
import { withCloses, type Started } from './closing.js';
import { errorLines, type Io } from './output.js';

/** What a long-running command is given: Ctrl-C (SIGINT) or SIGTERM as heard from its entry on, and where its parts register their closes. */
export interface Serving {
  /** Aborted at the first signal: a start-up step that waits on something outside (a Redis that does not answer) gives up, throwing its reason. */
  readonly signal: AbortSignal;
  /** Resolves at the first signal. */
  readonly stopped: Promise<void>;
  /** Each part registers its close as soon as it is up: they run when the command ends, however it ends, last started first. */
  readonly started: Started;
}

/** Whether `error` is the reason of an aborted `signal`: a step that gave up on Ctrl-C, which is no error. */
export const cutShort = (signal: AbortSignal, error: unknown): boolean => signal.aborted && error === signal.reason;

export interface ServeOptions {
  /**
   * The exit code of a command a signal stopped, whatever its body returned (`demo --once`'s 130: a
   * check cut short has no verdict, even when the signal came during its last step); a close that
   * fails then is reported, not thrown. Without it, the body's own code, 0 when a step gave up.
   */
  interrupted?: number;
}

/**
 * Runs a long-running command, `body` stating what it starts and what it runs, with Ctrl-C and
 * SIGTERM heard until it ends, however it ends (no handler stays behind a failed start). Then every
 * close its parts registered runs, whichever fail (a failing close never replaces the error that
 * stopped the command). At the first signal the command stops and ends with "stopped" and the
 * code `options` says. The first signal also removes the handlers, so a second Ctrl-C is Node's
 * own again and ends a stop that hangs.
 */
export async function serveUntilInterrupted(io: Io, name: string, body: (serving: Serving) => Promise<number>, { interrupted }: ServeOptions = {}): Promise<number> {
  const controller = new AbortController();
  const { signal } = controller;
  const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  function stop(received: NodeJS.Signals) {
    dispose();
    controller.abort(new Error(`interrupted by ${received}`));
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let code: number;
  try {
    code = await withCloses(async (started) => {
      const own = await body({ signal, stopped, started });
      // no code of its own once a signal came: thrown as a step cut short would, so a failing close is only reported
      if (interrupted !== undefined) signal.throwIfAborted();
      return own;
    }, errorLines(io, `${name} while closing`));
  } catch (error) {
    if (!cutShort(signal, error)) throw error;
    code = interrupted ?? EXIT.ok;
  } finally {
    dispose();
  }
  if (signal.aborted) io.err('stopped');
  return code;
}

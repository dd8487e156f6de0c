import { EXIT } from './cli-error.js';
import type { Io } from './output.js';

/** Ctrl-C (SIGINT) or SIGTERM, heard from a long-running command's entry on. */
export interface Interruption {
  /** Aborted at the first signal: a start-up step that waits on something outside (a Redis that does not answer) gives up. */
  readonly signal: AbortSignal;
  /** Resolves at the first signal. */
  readonly stopped: Promise<void>;
}

/**
 * Runs `command` with Ctrl-C and SIGTERM heard from its entry until it ends, however it ends (no
 * handler stays behind a failed start). At the first signal the command stops through its own
 * closes (closing.ts) and ends with "stopped" and exit 0, or `interruptedExit` for a check that
 * a signal leaves without a verdict (`demo --once`: EXIT.interrupted), during its start-up too: a
 * step that gave up on the signal throws its reason, which is no error. The first signal also
 * removes the handlers, so a second Ctrl-C is Node's own again and ends a stop that hangs.
 */
export async function interruptible(io: Io, command: (interruption: Interruption) => Promise<number>, { interruptedExit }: { interruptedExit?: number } = {}): Promise<number> {
  const controller = new AbortController();
  const stopped = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  function stop(signal: NodeJS.Signals) {
    dispose();
    controller.abort(new Error(`interrupted by ${signal}`));
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let code: number;
  try {
    code = await command({ signal: controller.signal, stopped });
  } catch (error) {
    if (!controller.signal.aborted || error !== controller.signal.reason) throw error;
    code = EXIT.ok;
  } finally {
    dispose();
  }
  if (!controller.signal.aborted) return code;
  io.err('stopped');
  return interruptedExit ?? code;
}

import { execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its stderr when it exits non-zero. */
export function run(command: string, args: string[], timeoutMs = 120_000, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** A server's free port, asked of the kernel, was taken by another process before the server bound it. */
export class PortTakenError extends Error {}

const START_ATTEMPTS = 5;

/** Runs `launch` (which asks for its own free ports) again while it fails with PortTakenError, up to 5 times. */
export async function startAgainIfPortTaken<T>(launch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
    }
  }
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `condition`, checking every `everyMs`; fails naming `what` after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Whether `child` has ended, by itself or by a signal. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Stops a child with SIGTERM, then SIGKILL if it is still there after five seconds. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

/**
 * A server's restart: `stop`, then `whileDown`, then `start`, which runs even if `whileDown` throws
 * (a failing step must not leave the server down for whatever runs next on it).
 */
export async function restartAround(stop: () => Promise<void>, whileDown: (() => Promise<unknown>) | undefined, start: () => Promise<void>): Promise<void> {
  await stop();
  try {
    await whileDown?.();
  } finally {
    await start();
  }
}

/** Runs `read` on the first call only and shares its promise: for facts that cannot change while the process runs. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}

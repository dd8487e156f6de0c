import { execFile, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/** A server's free port (freePort) was taken by another process before the server bound it. */
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

/** Listens on `port` of 127.0.0.1 (0: the kernel picks one) and lets it go: the port it had, or undefined if it was taken. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** Where the range begins that Linux hands ports from, to listen(0) and to every outgoing connection; undefined elsewhere. */
async function readEphemeralRangeStart(): Promise<number | undefined> {
  try {
    const low = Number((await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : undefined;
  } catch {
    return undefined;
  }
}

// read once, at the first pick: the range is the machine's, not the call's
let ephemeralRangeStart: Promise<number | undefined> | undefined;

/** Ports below the ephemeral range, above the well-known services' (Redis's 6379, 5000, 8080 ...). */
const PICKED_FROM = 10_000;
const PICK_ATTEMPTS = 20;

/**
 * A free loopback port for a server the test starts (and may restart on it). Picked at random below
 * the kernel's ephemeral range: a port the kernel handed out (listen(0)) may be taken, before the
 * server binds it, by any process's outgoing connection, of which a test run makes thousands; this
 * one only by another server's pick. The kernel's pick where no range is known.
 */
export async function freePort(): Promise<number> {
  const end = await (ephemeralRangeStart ??= readEphemeralRangeStart());
  if (end !== undefined && end > PICKED_FROM) {
    for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
      const port = await tryPort(PICKED_FROM + Math.floor(Math.random() * (end - PICKED_FROM)));
      if (port !== undefined) return port;
    }
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error('the kernel has no free port');
  return port;
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

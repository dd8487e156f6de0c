import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface Background {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** Sends SIGINT and resolves with the exit code. */
  interrupt: () => Promise<number | null>;
  /** Resolves with the exit code once the process ended by itself. */
  exited: Promise<number | null>;
}

/** Starts a long-running `regevents` command (listen, serve, demo) in a subprocess. */
export function startRegevents(args: string[], env: Record<string, string> = {}): Background {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = (stdout + stderr).match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`never printed ${pattern} (exit ${child.exitCode}):\n${stdout}\n${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    interrupt() {
      child.kill('SIGINT');
      return exited;
    },
    exited,
  };
}

/** What `regevents relay` prints once its receiver listens; the first group is the receiver's URL. */
export const RELAY_LISTENING = /relay listening on (http:\/\/127\.0\.0\.1:\d+)\//;

/** Waits until a `regevents relay` started with `startRegevents` listens, and resolves with its receiver's URL. */
export async function relayUrl(relay: Background): Promise<string> {
  const [, url] = await relay.waitFor(RELAY_LISTENING);
  return url as string;
}

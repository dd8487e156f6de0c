import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep, terminate } from './process.js';

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Its data folder (the AOF lives here with `appendfsync`). */
  dir: string;
  /** The running server's process id (a restart changes it): SIGSTOP makes a Redis that accepts connections and never answers. */
  readonly pid: number | undefined;
  /**
   * Stops the server and starts it again on the same port and data: SIGTERM, or SIGKILL with
   * `{ kill: true }` (no final write). `whileDown` runs once the old process has exited and before
   * the new one starts, for what must meet a Redis that is surely gone.
   */
  restart(options?: { kill?: boolean; whileDown?: () => Promise<unknown> }): Promise<void>;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Turns the append-only file on with this fsync policy; default: persistence off. */
  appendfsync?: 'always' | 'everysec' | 'no';
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPong(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
    await sleep(25);
  }
}

/** Starts Debian's `redis-server` on a free loopback port (persistence off unless asked) and waits for PONG. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'regevents-redis-'));
  const persistence = options.appendfsync ? ['--appendonly', 'yes', '--appendfsync', options.appendfsync] : ['--appendonly', 'no'];
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence, '--dir', dir];
  const launch = () => spawn('redis-server', args, { stdio: 'ignore' });
  let child = launch();
  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(child, port);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child.pid;
    },
    async restart({ kill = false, whileDown } = {}) {
      if (kill) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      } else {
        await terminate(child);
      }
      try {
        await whileDown?.();
      } finally {
        // a failing step must not leave the server down for whatever runs next on it
        child = launch();
        await waitForPong(child, port);
      }
    },
    stop,
  };
}

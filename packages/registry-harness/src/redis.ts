import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasExited, PortTakenError, restartAround, sleep, startAgainIfPortTaken, terminate } from './process.js';

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
  /** Starts it as a one-node Redis Cluster (cluster mode on, no slots assigned yet: the caller assigns them). */
  cluster?: boolean;
}

/** The process id of the Redis answering on `port` (its `INFO server`), or undefined while none answers. */
function answeringPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      const pid = /\r\nprocess_id:(\d+)\r\n/.exec(reply)?.[1];
      if (pid === undefined && !reply.startsWith('-') && reply.length < 64 * 1024) return;
      socket.destroy();
      resolve(pid === undefined ? undefined : Number(pid));
    });
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

/**
 * Waits until `child` itself answers on `port`: a PONG alone could come from another test's Redis
 * that took the port first, while `child` exits failing to bind it.
 */
async function waitForAnswer(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await answeringPid(port)) !== child.pid) {
    if (hasExited(child)) // its output is not kept: an exit before it answered is, on a free port, most often that port taken
      throw new PortTakenError(`redis-server exited on start on 127.0.0.1:${port} (${child.exitCode === null ? child.signalCode : `code ${child.exitCode}`})`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
    await sleep(25);
  }
}

/** SIGKILL, no final write: resolves once the process has gone. */
async function killNow(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Starts Debian's `redis-server` on a free loopback port (persistence off unless asked) and waits until it answers; one that exits on start (its port taken meanwhile) is started again on a new port. */
export function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  return startAgainIfPortTaken(async () => launchRedis(options, await freePort()));
}

async function launchRedis(options: StartRedisOptions, port: number): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'regevents-redis-'));
  const persistence = options.appendfsync ? ['--appendonly', 'yes', '--appendfsync', options.appendfsync] : ['--appendonly', 'no'];
  const cluster = options.cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'] : [];
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence, ...cluster, '--dir', dir];
  const launch = () => spawn('redis-server', args, { stdio: 'ignore' });
  let child = launch();
  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForAnswer(child, port);
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
    restart: ({ kill = false, whileDown } = {}) =>
      restartAround(() => (kill ? killNow(child) : terminate(child)), whileDown, async () => {
        child = launch();
        await waitForAnswer(child, port);
      }),
    stop,
  };
}

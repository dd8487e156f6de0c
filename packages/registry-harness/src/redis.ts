import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep, terminate } from './process.js';

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  stop(): Promise<void>;
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

/** Starts Debian's `redis-server` on a free loopback port, with persistence off, and waits for PONG. */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const workDir = await mkdtemp(join(tmpdir(), 'regevents-redis-'));
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', workDir], {
    stdio: 'ignore',
  });
  const stop = async () => {
    await terminate(child);
    await rm(workDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
    }
    await sleep(25);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

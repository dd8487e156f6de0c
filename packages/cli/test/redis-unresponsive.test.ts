import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeers, startRedis, until, type RunningRedis } from '@regevents/registry-harness';
import { createRedisLog } from '@regevents/relay';
import { sampleRecord } from '@regevents/relay/testing';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_DEADLINE_MS } from '../src/redis-connection.js';
import { startRegevents } from './background.js';
import { registryHoldingCatalog } from './holding-registry.js';

const peers = requirePeers('redis-server');
// a command still running this long after it started waits for ever: it is killed, and the test says so
const HUNG_AFTER_MS = CONNECT_DEADLINE_MS * 3;
const PASSWORD = 's3cret-pw';
let dir: string;
let replicationPolicy: string;
let retentionPolicy: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-redis-unresponsive-'));
  replicationPolicy = join(dir, 'replication.yml');
  await writeFile(replicationPolicy, 'policies:\n  - name: dc2\n    source: { registry: http://127.0.0.1:1 }\n    targets: [{ name: far, registry: http://127.0.0.1:2 }]\n');
  retentionPolicy = join(dir, 'retention.yml');
  await writeFile(retentionPolicy, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { olderThan: 24h }\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The server's URL with its credentials, which no output may show. */
const withPassword = (redis: RunningRedis) => redis.url.replace('redis://', `redis://default:${PASSWORD}@`);

/** SIGSTOP: the kernel still accepts connections to its port (the listen backlog), and nothing ever answers them; SIGKILL: it refuses them. */
function signal(redis: RunningRedis, name: 'SIGSTOP' | 'SIGCONT' | 'SIGKILL'): void {
  if (redis.pid === undefined) throw new Error('redis-server has no process');
  process.kill(redis.pid, name);
}

/** Whether process `pid` still exists (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Runs `regevents`, then `meanwhile` while it runs: its exit code once it ended by itself, or `hung`
 * (and killed) if it still ran HUNG_AFTER_MS after it started; and how long it ran after `meanwhile`.
 */
async function exitOrHang(args: string[], meanwhile: () => Promise<void> = async () => undefined): Promise<{ code: number | null | 'hung'; output: string; stderr: string; afterMeanwhileMs: number }> {
  const command = startRegevents(args);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HUNG_AFTER_MS)));
  let meanwhileEnded = 0;
  try {
    await meanwhile();
    meanwhileEnded = performance.now();
  } catch (error) {
    // a step that failed must not leave the command running, nor its timer keeping the run alive
    clearTimeout(timer);
    command.child.kill('SIGKILL');
    throw error;
  }
  const code = await Promise.race([command.exited, hung]);
  clearTimeout(timer);
  if (code === 'hung') command.child.kill('SIGKILL');
  return { code, output: command.stdout() + command.stderr(), stderr: command.stderr(), afterMeanwhileMs: performance.now() - meanwhileEnded };
}

/** Runs `body` with a fresh redis-server that wants PASSWORD, set going again and stopped however it ends. */
async function withRedis(body: (redis: RunningRedis) => Promise<void>): Promise<void> {
  const redis = await startRedis();
  try {
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.configSet('requirepass', PASSWORD);
    await admin.close();
    await body(redis);
  } finally {
    // a killed server has no process left to set going
    if (redis.pid !== undefined && isRunning(redis.pid)) signal(redis, 'SIGCONT');
    await redis.stop();
  }
}

const host = (redis: RunningRedis) => `127\\.0\\.0\\.1:${redis.port}`;

// each case waits out the deadline: they run at once, each with its own server and process
describe.skipIf(!peers.available)('a one-shot command on a Redis that accepts the connection and never answers', () => {
  it.concurrent.for<[string, (redis: string) => string[]]>([
    ['relay dead-letters list', (redis) => ['relay', 'dead-letters', 'list', '--group', 'g', '--redis', redis]],
    ['relay tail --once', (redis) => ['relay', 'tail', '--once', '--redis', redis]],
    ['relay reconcile', (redis) => ['relay', 'reconcile', '--registry', 'http://127.0.0.1:1', '--redis', redis]],
    ['replicate status', (redis) => ['replicate', 'status', '--policy', replicationPolicy, '--redis', redis]],
    ['replicate retry', (redis) => ['replicate', 'retry', 'some-job', '--policy', replicationPolicy, '--redis', redis]],
    ['retention plan', (redis) => ['retention', 'plan', '--policy', retentionPolicy, '--registry', 'http://127.0.0.1:1', '--redis', redis]],
  ])('%s exits 1 by itself with one line naming the host, never the password', { timeout: HUNG_AFTER_MS * 2 }, async ([, args], { expect }) => {
    await withRedis(async (redis) => {
      signal(redis, 'SIGSTOP');
      const ran = await exitOrHang(args(withPassword(redis)));
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(new RegExp(`^regevents: cannot reach Redis at ${host(redis)}: no answer \\(gave up after ${CONNECT_DEADLINE_MS / 1000}s\\)\\n$`));
      expect(ran.output).not.toContain(PASSWORD);
    });
  });

  it.concurrent.for<[string, (registry: string, redis: string) => string[]]>([
    ['relay reconcile', (registry, redis) => ['relay', 'reconcile', '--registry', registry, '--redis', redis]],
    ['retention plan', (registry, redis) => ['retention', 'plan', '--policy', retentionPolicy, '--registry', registry, '--redis', redis]],
  ])('%s, its Redis answering at first, then no more, exits 1 by itself once a command is unanswered for the deadline', { timeout: HUNG_AFTER_MS * 2 }, async ([, args], { expect }) => {
    await withRedis(async (redis) => {
      // the catalog answers once Redis stopped answering: the command's read after it is never answered
      const { registry, server } = await registryHoldingCatalog(async () => signal(redis, 'SIGSTOP'));
      try {
        const ran = await exitOrHang(args(server.url, withPassword(redis)));
        expect(ran.code).toBe(1);
        expect(ran.stderr).toMatch(new RegExp(`^regevents: Redis at ${host(redis)} did not answer within ${CONNECT_DEADLINE_MS / 1000}s\\n$`));
        expect(ran.output).not.toContain(PASSWORD);
      } finally {
        registry.close();
        await server.close();
      }
    });
  });

  // the deadline, then a ping's interval and the stop at most: a wait restarted by each of the
  // consumer's writes (its heartbeat, every 5 s) took two deadlines
  const GIVES_UP_WITHIN_MS = CONNECT_DEADLINE_MS * 1.6;
  it.concurrent.for<[string, 'SIGSTOP' | 'SIGKILL', (redis: RunningRedis) => string]>([
    ['stops answering', 'SIGSTOP', (redis) => `Redis at ${host(redis)} did not answer within ${CONNECT_DEADLINE_MS / 1000}s`],
    // which of node-redis's words depends on whether the consumer's poll was in flight as the socket closed,
    // and on whether the kernel reset the connection (a poll the killed server had not read yet)
    ['goes away', 'SIGKILL', (redis) => `cannot reach Redis at ${host(redis)}: (The client is offline|Socket closed unexpectedly|read ECONNRESET)`],
  ])('relay tail --once --group, its Redis answering at first, then %s, stops its consumer and exits 1 by itself with one line', { timeout: HUNG_AFTER_MS * 2 }, async ([, lost, line], { expect }) => {
    await withRedis(async (redis) => {
      // another member holds the log's one partition, an event waiting in it: the tail's group never catches up, so it polls until Redis is lost
      const client = createClient({ url: withPassword(redis) });
      await client.connect();
      const log = createRedisLog({ client });
      await log.createGroup('g', 'beginning');
      await log.lease('g', 'holder', HUNG_AFTER_MS * 4);
      await log.append(sampleRecord('r', 'never-handled'));
      const ran = await exitOrHang(['relay', 'tail', '--once', '--group', 'g', '--from', 'beginning', '--redis', withPassword(redis)], async () => {
        await until(async () => (await client.zCard('{regevents:relay:leases}:g:members')) === 2, 'the tail joined the group', HUNG_AFTER_MS);
        client.destroy();
        signal(redis, lost);
      });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(new RegExp(`^regevents: ${line(redis)}\\n$`));
      expect(ran.afterMeanwhileMs).toBeLessThan(GIVES_UP_WITHIN_MS);
      expect(ran.output).not.toContain(PASSWORD);
    });
  });
});

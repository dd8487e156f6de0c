import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { relayUrl, startRegevents, type Background } from './background.js';
import { runInProcess } from './cli.js';
import { useRedisServer } from './redis-server.js';
import { useTakenPorts } from './taken-port.js';
import { demoCommand } from '../src/commands/demo.js';
import { bufferedIo } from '../src/output.js';
import { CONNECT_DEADLINE_MS } from '../src/redis-connection.js';

const peers = requirePeers('redis-server');
const pushEnvelope = () => readFile(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));

/** Resolves once nothing listens at `url` any more. */
async function refused(url: string): Promise<void> {
  while (await fetch(url).then(() => true, () => false)) await new Promise((resolve) => setTimeout(resolve, 50));
}
let running: Background | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-interruption-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  // a command that hangs must not hang the run: SIGKILL is what no handler hears
  running?.child.kill('SIGKILL');
  running = undefined;
});

const started = (args: string[]): Background => (running = startRegevents(args));

/** A Redis URL nothing answers at: the client retries for ever, so the command waits in its start-up. */
const unreachableRedis = async () => `redis://127.0.0.1:${await freePort()}`;

/** A policy file whose registries are not there (catch-up reports that and goes on). */
async function policyFile(): Promise<string> {
  const [source, target] = [await freePort(), await freePort()];
  const path = join(dir, `replication-${source}.yml`);
  await writeFile(path, `policies:\n  - name: dc2\n    source: { registry: http://127.0.0.1:${source} }\n    targets: [{ name: far, registry: http://127.0.0.1:${target} }]\n`);
  return path;
}

/** A retention policy that parses: the command goes on to Redis. */
async function retentionPolicyFile(): Promise<string> {
  const path = join(dir, `retention-${await freePort()}.yml`);
  await writeFile(path, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { olderThan: 24h }\n");
  return path;
}

describe('Ctrl-C before a command is up', () => {
  it.each([
    ['relay', async () => ['relay', '--port', '0', '--redis', await unreachableRedis()]],
    ['relay tail', async () => ['relay', 'tail', '--redis', await unreachableRedis()]],
    ['replicate', async () => ['replicate', '--policy', await policyFile(), '--redis', await unreachableRedis()]],
    ['relay reconcile --every', async () => ['relay', 'reconcile', '--every', '60', '--registry', `http://127.0.0.1:${await freePort()}`, '--redis', await unreachableRedis()]],
    ['demo', async () => ['demo', '--redis', await unreachableRedis()]],
  ])('%s, waiting for a Redis that does not answer, gives up, closes what it opened and exits 0 by itself', async (_name, args) => {
    const command = started(await args());
    await command.waitFor(/redis: connect ECONNREFUSED/);
    expect(await command.interrupt()).toBe(0);
    expect(command.stderr()).toMatch(/stopped\n$/);
    expect(command.stderr()).not.toMatch(/listening|replicating/);
  });

  it("demo's story ends before its next step, what it started is closed, and it exits 0", async () => {
    const demo = started(['demo']);
    await demo.waitFor(/push demo\/app:1\.0\.0/);
    expect(await demo.interrupt()).toBe(0);
    expect(demo.stdout()).not.toContain('reconcile site A');
    expect(demo.stderr()).toMatch(/stopped\n$/);
  });

  it("demo's story checks for Ctrl-C before every step, reconcile and retention included", async () => {
    const demo = started(['demo']);
    await demo.waitFor(/start the relay again/);
    expect(await demo.interrupt()).toBe(0);
    expect(demo.stdout()).not.toContain('retention plan for demo/**');
    expect(demo.stderr()).toMatch(/stopped\n$/);
  });

  it('demo --once, a check, cut short by Ctrl-C exits 130 (no verdict is no pass), having closed what it started', async () => {
    const demo = started(['demo', '--once']);
    await demo.waitFor(/push demo\/app:1\.0\.0/);
    expect(await demo.interrupt()).toBe(130);
    expect(demo.stdout()).not.toContain('reconcile site A');
    expect(demo.stderr()).toMatch(/stopped\n$/);
  });

  it('demo --once, a check, cut short after its last check for Ctrl-C (during retention apply) still exits 130', async () => {
    const io = bufferedIo();
    // Ctrl-C as the process would hear it, as soon as apply is done: the story has no step left to stop
    const out = (line: string) => {
      io.out(line);
      if (line.includes('applied:')) process.emit('SIGINT', 'SIGINT');
    };
    expect(await demoCommand({ once: true, port: 0 }, { ...io, out })).toBe(130);
    expect(io.stdout.join('\n')).toContain('applied:');
    expect(io.stderr.at(-1)).toBe('stopped');
  }, 30_000);

  it('SIGTERM does the same', async () => {
    const command = started(['relay', '--port', '0', '--redis', await unreachableRedis()]);
    await command.waitFor(/redis: connect ECONNREFUSED/);
    command.child.kill('SIGTERM');
    expect(await command.exited).toBe(0);
    expect(command.stderr()).toMatch(/stopped\n$/);
  });
});

// each case waits out the deadline: they run at once, each with its own process and files
describe('a command on a Redis that does not answer, other than a service waiting for it', () => {
  // oneLine: a one-shot command, whose last line is all it prints; the demo, which starts services, reports each try on the way
  it.concurrent.for<[string, (redis: string) => Promise<string[]>, { oneLine: boolean }]>([
    ['relay dead-letters list', async (redis: string) => ['relay', 'dead-letters', 'list', '--group', 'x', '--redis', redis], { oneLine: true }],
    ['relay reconcile', async (redis: string) => ['relay', 'reconcile', '--registry', 'http://127.0.0.1:1', '--redis', redis], { oneLine: true }],
    ['replicate status', async (redis: string) => ['replicate', 'status', '--policy', await policyFile(), '--redis', redis], { oneLine: true }],
    ['replicate retry', async (redis: string) => ['replicate', 'retry', 'some-job', '--policy', await policyFile(), '--redis', redis], { oneLine: true }],
    ['retention plan', async (redis: string) => ['retention', 'plan', '--policy', await retentionPolicyFile(), '--registry', 'http://127.0.0.1:1', '--redis', redis], { oneLine: true }],
    ['retention apply', async (redis: string) => ['retention', 'apply', '--policy', await retentionPolicyFile(), '--registry', 'http://127.0.0.1:1', '--redis', redis], { oneLine: true }],
    ['relay tail --once', async (redis: string) => ['relay', 'tail', '--once', '--redis', redis], { oneLine: true }],
    ['relay tail --once --group', async (redis: string) => ['relay', 'tail', '--once', '--group', 'g', '--redis', redis], { oneLine: true }],
    ['demo --once', async (redis: string) => ['demo', '--once', '--redis', redis], { oneLine: false }],
    ['demo', async (redis: string) => ['demo', '--redis', redis], { oneLine: false }],
  ])('%s gives up after the connect deadline, closes what it started and exits 1 by itself, naming the host and never the password', { timeout: 30_000 }, async ([, args, { oneLine }], { expect, onTestFinished }) => {
    const redis = (await unreachableRedis()).replace('redis://', 'redis://ops:s3cret-pw@');
    const command = startRegevents(await args(redis));
    onTestFinished(() => void command.child.kill('SIGKILL'));
    const before = performance.now();
    expect(await command.exited).toBe(1);
    // it waited out the deadline (a restarting Redis gets that long), then said so
    expect(performance.now() - before).toBeGreaterThanOrEqual(CONNECT_DEADLINE_MS);
    const line = `cannot reach Redis at 127\\.0\\.0\\.1:\\d+: .*ECONNREFUSED.* \\(gave up after ${CONNECT_DEADLINE_MS / 1000}s\\)`;
    expect(command.stderr()).toMatch(new RegExp(oneLine ? `^regevents: ${line}\\n$` : line));
    expect(command.stdout() + command.stderr()).not.toContain('s3cret-pw');
  });
});

it.each(['plan', 'apply'])('retention %s reads --policy before it connects: an unreadable one is said at once, whatever Redis does', async (action) => {
  const command = started(['retention', action, '--policy', join(dir, 'no-such-policy.yml'), '--registry', 'http://127.0.0.1:1', '--redis', await unreachableRedis()]);
  expect(await command.exited).toBe(2);
  expect(command.stderr()).toContain('cannot read --policy');
  expect(command.stderr()).not.toContain('cannot reach Redis');
});

describe.skipIf(!peers.available)('a second Ctrl-C', () => {
  let redis: RunningRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it('ends at once a stop that hangs (the relay closing its log while Redis, paused, holds an append)', async () => {
    redis = await startRedis();
    const relay = started(['relay', '--port', '0', '--redis', redis.url]);
    const url = await relayUrl(relay);
    const client = createClient({ url: redis.url });
    await client.connect();
    // Redis answers no client until well after the test's timeout; the relay's log waits for its append
    await client.sendCommand(['CLIENT', 'PAUSE', '120000', 'ALL']);
    client.destroy();
    const post = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: new Uint8Array(await pushEnvelope()) });
    expect(post.ok).toBe(false);
    relay.child.kill('SIGINT');
    // the stop has begun: the receiver, closed before the log, refuses connections
    await refused(url);
    relay.child.kill('SIGINT');
    await relay.exited;
    expect(relay.child.signalCode).toBe('SIGINT');
    expect(relay.stderr()).not.toContain('stopped');
  }, 30_000);
});

describe('a failed start', () => {
  const takenPort = useTakenPorts();

  it.each([
    ['serve', async () => ['serve', '--port', '0', '--htpasswd', join(dir, 'no-such-htpasswd')], 2],
    ['listen', async () => ['listen', '--port', await takenPort()], 1],
    ['relay', async () => ['relay', '--port', '0', '--forward-webhook', 'http://127.0.0.1:1/'], 2],
    ['relay tail', async () => ['relay', 'tail'], 2],
  ])('of %s in this process leaves no Ctrl-C handler behind', async (_name, args, exitCode) => {
    const handlers = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const { code } = await runInProcess(await args());
    expect(code).toBe(exitCode);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(handlers);
  });

  it('of replicate (its --port taken, its workers started) stops them and the process exits by itself', async () => {
    const command = started(['replicate', '--policy', await policyFile(), '--port', await takenPort()]);
    expect(await command.exited).toBe(1);
    expect(command.stderr()).toContain('EADDRINUSE');
  });

  it.each(['--ui', '--port'])('of demo (its %s taken, what came before it started) closes what it started and the process exits by itself', async (flag) => {
    const command = started(['demo', flag, await takenPort()]);
    expect(await command.exited).toBe(1);
    expect(command.stderr()).toContain('EADDRINUSE');
  }, 30_000);

  describe.skipIf(!peers.available)('on a real redis-server', () => {
    const redis = useRedisServer();

    it('of relay (its --port taken, Redis connected) closes the connection and the process exits by itself', async () => {
      const command = started(['relay', '--port', await takenPort(), '--redis', redis.url]);
      expect(await command.exited).toBe(1);
      expect(command.stderr()).toContain('EADDRINUSE');
    });

    it('of replicate on Redis (its --port taken, BullMQ and the log connected) closes both and the process exits by itself', async () => {
      const command = started(['replicate', '--policy', await policyFile(), '--redis', redis.url, '--port', await takenPort()]);
      expect(await command.exited).toBe(1);
      expect(command.stderr()).toContain('EADDRINUSE');
    });
  });
});

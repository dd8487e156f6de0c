import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { requirePeers, startRedis } from '@regevents/registry-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';
import { registryHoldingCatalog } from './holding-registry.js';

const peers = requirePeers('redis-server');
let dir: string;
let policyPath: string;
let replicationPolicyPath: string;
let running: Background | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-redis-lost-'));
  policyPath = join(dir, 'retention.yml');
  await writeFile(policyPath, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { olderThan: 24h }\n");
  replicationPolicyPath = join(dir, 'replication.yml');
  await writeFile(replicationPolicyPath, 'policies:\n  - name: dc2\n    source: { registry: http://127.0.0.1:1 }\n    targets: [{ name: far, registry: http://127.0.0.1:2 }, { name: near, registry: http://127.0.0.1:3 }]\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  // a command that hangs must not outlive the test
  running?.child.kill('SIGKILL');
  running = undefined;
});

/** How the door cuts the connection it let through: ended (FIN, a Redis that closed it), or reset (RST, a Redis killed with what the client sent unread). */
type Cut = 'end' | 'reset';

/**
 * A door to `port` that lets one connection through: later ones are closed at once and the door
 * shuts, as if Redis went away as soon as the first client was done with it. With `shutAt`, the
 * door also shuts, cutting the connection it let through as `cut` says, when that client sends
 * what `shutAt` matches: Redis going away as that command is sent.
 */
async function oneConnectionTo(port: number, { shutAt, cut = 'end' }: { shutAt?: string; cut?: Cut } = {}): Promise<{ url: string; close(): void }> {
  let passed = false;
  const server = createServer((socket) => {
    if (passed) {
      socket.destroy();
      server.close();
      return;
    }
    passed = true;
    const redis = createConnection({ host: '127.0.0.1', port });
    let shut = false;
    socket.on('data', (chunk: Buffer) => {
      if (shut) return;
      if (shutAt === undefined || !chunk.includes(shutAt)) return void redis.write(chunk);
      // the door shuts before the client hears of it, so its reconnection is refused, never accepted and cut
      shut = true;
      server.close();
      redis.destroy();
      if (cut === 'reset') socket.resetAndDestroy();
      else socket.end();
    });
    redis.pipe(socket);
    socket.on('error', () => redis.destroy());
    redis.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Resolves once a client connects to `port` (a reconnection to a Redis that went away there), cutting it and every later one. */
async function reconnectionTo(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await new Promise<void>((resolve) =>
    server.on('connection', (socket) => {
      socket.destroy();
      server.close();
      resolve();
    }),
  );
}

describe.skipIf(!peers.available)('a one-shot command whose Redis goes away after it connected', () => {
  it.each([
    ['retention plan', (registry: string, redis: string) => ['retention', 'plan', '--policy', policyPath, '--registry', registry, '--redis', redis]],
    ['retention apply', (registry: string, redis: string) => ['retention', 'apply', '--policy', policyPath, '--registry', registry, '--redis', redis]],
    ['relay reconcile', (registry: string, redis: string) => ['relay', 'reconcile', '--registry', registry, '--redis', redis]],
  ])('%s fails with one line naming the Redis it lost, and exit 1, instead of waiting for it for ever', async (_name, args) => {
    const redis = await startRedis();
    // the catalog answers once the command has seen Redis go, so its read after the catalog is refused as offline
    // (answered as soon as Redis stopped, a busy command could send that read before it saw the socket close):
    // the client's first reconnection, taken in Redis's place and cut, is the sign that it saw
    const { registry, server } = await registryHoldingCatalog(async () => {
      await redis.stop();
      await reconnectionTo(redis.port);
    });
    try {
      running = startRegevents(args(server.url, redis.url));
      expect(await running.exited).toBe(1);
      expect(running.stderr()).toBe(`regevents: cannot reach Redis at 127.0.0.1:${redis.port}: The client is offline\n`);
    } finally {
      registry.close();
      await server.close();
    }
  }, 30_000);

  const status = (redis: string) => ['replicate', 'status', '--policy', replicationPolicyPath, '--redis', redis];
  const retry = (redis: string) => ['replicate', 'retry', 'some-job', '--policy', replicationPolicyPath, '--redis', redis];

  it.each([
    ['replicate status', 0, status, ''],
    ['replicate retry', 1, retry, 'regevents: no failed job some-job (see regevents replicate status)\n'],
  ])('%s connects once (one connection, shared by every lane of the queue): with the door shut behind it, it answers (exit %i)', async (_name, code, args, said) => {
    const redis = await startRedis();
    const door = await oneConnectionTo(redis.port);
    try {
      running = startRegevents(args(door.url));
      expect(await running.exited).toBe(code);
      expect(running.stderr()).toBe(said);
    } finally {
      door.close();
      await redis.stop();
    }
  }, 30_000);

  // none of them reads a registry to hold: Redis goes as the command sends a command naming the marker,
  // which the connection's own commands never name; node-redis's words differ by how the connection was cut
  const said: Record<Cut, string> = { end: 'Socket closed unexpectedly', reset: 'read ECONNRESET' };
  it.each<[string, string, Cut, (redis: string) => string[]]>([
    ['replicate status', 'regevents-replication', 'end', status],
    ['replicate retry', 'regevents-replication', 'end', retry],
    ['replicate status', 'regevents-replication', 'reset', status],
    ['relay dead-letters list', ':dead:g', 'end', (redis) => ['relay', 'dead-letters', 'list', '--group', 'g', '--redis', redis]],
    ['relay tail --once', 'XRANGE', 'end', (redis) => ['relay', 'tail', '--once', '--redis', redis]],
    ['relay tail --once', 'XRANGE', 'reset', (redis) => ['relay', 'tail', '--once', '--redis', redis]],
  ])('%s, its Redis gone as it sends a command naming %s (the connection cut: %s), fails it with one line naming the Redis, and exit 1, instead of waiting for Redis', async (_name, shutAt, cut, args) => {
    const redis = await startRedis();
    const door = await oneConnectionTo(redis.port, { shutAt, cut });
    try {
      running = startRegevents(args(door.url));
      expect(await running.exited).toBe(1);
      // the whole of it: the client's own reports (its reconnection attempt too) would only repeat it
      expect(running.stderr()).toBe(`regevents: cannot reach Redis at ${new URL(door.url).host}: ${said[cut]}\n`);
    } finally {
      door.close();
      await redis.stop();
    }
  }, 30_000);
});

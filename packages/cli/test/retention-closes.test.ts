import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeers } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runInProcess } from './cli.js';
import { useRedisServer } from './redis-server.js';

// node-redis resolves a close of a connected client whatever Redis does: the real client's close runs, then this one fails
vi.mock('../src/redis-connection.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/redis-connection.js')>();
  return {
    ...real,
    connectRedis: async (...args: Parameters<typeof real.connectRedis>) => {
      const client = await real.connectRedis(...args);
      const close = client.close.bind(client);
      client.close = async () => {
        await close();
        throw new Error('the connection failed to close');
      };
      return client;
    },
  };
});

const peers = requirePeers('redis-server');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-retention-closes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(!peers.available)('retention whose session fails to close', () => {
  const redis = useRedisServer();

  it.each([['plan'], ['apply', '--yes']])('%s reports the error that stopped it, and the failed close on stderr', async (...command) => {
    const policy = join(dir, 'retention.yml');
    await writeFile(policy, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { olderThan: 24h }\n");
    // nothing listens at port 1: the plan fails on the registry, after Redis connected
    const { code, stderr } = await runInProcess(['retention', ...command, '--policy', policy, '--registry', 'http://127.0.0.1:1', '--redis', redis.url]);
    expect(code).toBe(1);
    expect(stderr.split('\n').slice(-2)).toEqual(['regevents retention while closing: the connection failed to close', 'regevents: GET /v2/_catalog: fetch failed']);
  });
});

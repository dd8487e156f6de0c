import { requirePeers } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { startRegevents } from './background.js';
import { regevents, type CliRun } from './cli.js';
import { useRedisServer } from './redis-server.js';

/** The story records of a `--json` run, without what differs from run to run (times, job and event ids). */
function storyRecords(run: CliRun): unknown[] {
  const varying = new Set(['at', 'timestamp', 'id', 'jobId', 'eventId', 'durationMs']);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => !varying.has(key)).map(([key, inner]) => [key, strip(inner)]));
  };
  return run.stdout.trim().split('\n').map((line) => strip(JSON.parse(line)));
}

const peers = requirePeers('redis-server');
describe.skipIf(!peers.available)(`regevents demo --redis ${peers.reason}`, () => {
  const redis = useRedisServer();

  it('tells the story of the memory run, record for record, and leaves no key behind', async () => {
    const memory = await regevents(['demo', '--once', '--json']);
    const onRedis = await regevents(['demo', '--once', '--json', '--redis', redis.url]);
    expect(memory.code, memory.stderr).toBe(0);
    expect(onRedis.code, onRedis.stderr).toBe(0);
    expect(onRedis.stderr).toMatch(/relay on http:\/\/127\.0\.0\.1:\d+\/events \(Redis log at 127\.0\.0\.1:\d+\)/);
    expect(memory.stderr).toMatch(/\(memory log\)/);
    const records = storyRecords(onRedis);
    expect(records.map((record) => (record as { type: string }).type)).toContain('summary');
    expect(records).toEqual(storyRecords(memory));
    expect(await redis.client.dbSize()).toBe(0);
  });

  it('keeps the log, the jobs and the usage in Redis under one prefix while it serves, and removes them on Ctrl-C', async () => {
    const demo = startRegevents(['demo', '--redis', redis.url]);
    await demo.waitFor(/Ctrl-C stops/);
    const keys = await redis.client.keys('*');
    const prefixes = new Set(keys.map((key) => /^\{?(regevents-demo-[0-9a-f]{8})[:}]/.exec(key)?.[1]));
    expect(prefixes.size, keys.join('\n')).toBe(1);
    const [prefix] = [...prefixes];
    expect(prefix).toBeDefined();
    expect(await redis.client.type(`{${prefix}:0}`)).toBe('stream');
    expect(keys.some((key) => key.startsWith(`${prefix}:jobs:`))).toBe(true);
    expect(keys.some((key) => key.startsWith(`${prefix}:usage:`))).toBe(true);
    expect(await demo.interrupt()).toBe(0);
    expect(demo.stdout()).toContain(`removed the demo's keys from Redis (${prefix}*)`);
    expect(await redis.client.dbSize()).toBe(0);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import type { RetentionPlan } from '@regevents/retention';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { regevents } from './cli.js';

const registry = createMockRegistry();
let server: Awaited<ReturnType<typeof registry.serve>>;
let dir: string;
let policyPath: string;

beforeAll(async () => {
  server = await registry.serve();
  await registry.pushImage('app:keep-1', { seed: 1 });
  await registry.pushImage('app:old-1', { seed: 2 });
  await registry.pushImage('app:old-2', { seed: 3 });
  dir = await mkdtemp(join(tmpdir(), 'cli-retention-'));
  policyPath = join(dir, 'retention.yml');
  await writeFile(policyPath, "policies:\n  - repositories: ['**']\n    rules:\n      - keep: { tags: keep-* }\n      - remove: { olderThan: 24h }\n");
});

afterAll(async () => {
  registry.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it('retention plan --json: without usage history, push times come from the image configs and say so', async () => {
  const { code, stdout, stderr } = await regevents(['retention', 'plan', '--policy', policyPath, '--registry', server.url, '--json']);
  expect(code).toBe(0);
  expect(stderr).toContain('no --redis');
  const planned = JSON.parse(stdout) as RetentionPlan;
  const removed = planned.entries.filter((entry) => entry.action === 'remove');
  expect(removed.map((entry) => entry.tag).sort()).toEqual(['old-1', 'old-2']);
  expect(removed.every((entry) => entry.history === 'registry' && entry.pushedAtSource === 'config-created')).toBe(true);
});

it('retention plan points at a broken policy by line and path, and exits 1', async () => {
  const broken = join(dir, 'broken.yml');
  await writeFile(broken, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { notPulledFor: 30 days }\n");
  const { code, stderr } = await regevents(['retention', 'plan', '--policy', broken, '--registry', server.url]);
  expect(code).toBe(1);
  expect(stderr).toMatch(/broken\.yml:4:\d+ error invalid-duration at policies\[0\]\.rules\[0\]\.remove\.notPulledFor/);
});

it('retention apply refuses without --yes off a terminal, and with --yes leaves the kept tags only', async () => {
  const refused = await regevents(['retention', 'apply', '--policy', policyPath, '--registry', server.url]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--yes');
  const client = createRegistryClient({ baseUrl: server.url });
  expect(await client.headManifest('app', 'old-1')).toBeDefined();

  const applied = await regevents(['retention', 'apply', '--policy', policyPath, '--registry', server.url, '--yes']);
  expect(applied.code).toBe(0);
  expect(applied.stderr).toContain('2 deleted');
  const left: string[] = [];
  for await (const tag of client.tags('app')) left.push(tag);
  expect(left).toEqual(['keep-1']);
});

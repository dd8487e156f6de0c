import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetentionPolicy, plan, type RetentionPlan } from '../src/index.js';
import { reclaimedByRow } from '../src/plan/format.js';
import { pushImage, pushSignature } from './images.js';

const registry = createMockRegistry();
let server: Awaited<ReturnType<typeof registry.serve>>;
let client: ReturnType<typeof createRegistryClient>;
const { policy } = parseRetentionPolicy("policies:\n  - repositories: ['**']\n    rules:\n      - keep: { tags: ['v*'] }\n      - remove: { olderThan: 1h }\n");

/** Pushes `tags` onto one image, and a signature of it when `signed` (its `sha256-<hex>` fallback tag follows it). */
async function push(tags: string[], seed: number, signed = false): Promise<void> {
  const [first, ...more] = tags as [string, ...string[]];
  const digest = await pushImage(client, 'app', first, seed);
  for (const tag of more) await pushImage(client, 'app', tag, seed);
  if (signed) await pushSignature(client, 'app', { digest, size: (await client.headManifest('app', digest))!.size }, seed);
}

beforeAll(async () => {
  server = await registry.serve();
  client = createRegistryClient({ baseUrl: server.url });
  await push(['v1.0.0', 'build-a'], 1); // build-a: removed by a rule, its manifest kept by v1.0.0
  await push(['v2.0.0'], 2, true); // a kept image: its referrers tag is kept
  await push(['build-c'], 3, true); // a removed image: its referrers tag goes too
  await push(['build-d', 'build-e', 'build-f'], 4); // three removed tags, one manifest
});
afterAll(async () => {
  registry.close();
  await server.close();
});

/** Tags kept and removed, counted from the plan's entries (untagged manifests and dependents have no tag). */
const tagsIn = (planned: RetentionPlan) => ({
  kept: planned.entries.filter((entry) => entry.tag !== undefined && entry.action === 'keep').length,
  removed: planned.entries.filter((entry) => entry.tag !== undefined && entry.action === 'remove').length,
});
const entryOf = (planned: RetentionPlan, tag: string) => planned.entries.find((entry) => entry.tag === tag);

describe("the summary's tags are the plan's tag entries, referrers tags included", () => {
  it('a tag whose manifest a kept tag shares is counted as kept', async () => {
    const planned = await plan(policy!, { client, repositories: ['app'] });
    expect(entryOf(planned, 'build-a')).toMatchObject({ action: 'keep', reason: 'shares-digest' });
    const referrersTags = planned.entries.filter((entry) => entry.reason === 'referrers-tag');
    expect(referrersTags.map((entry) => entry.action).sort()).toEqual(['keep', 'remove']);
    expect(planned.summary.tags).toEqual(tagsIn(planned));
    expect(planned.summary.tags).toEqual({ kept: 4, removed: 5 });
  });

  it('a tag removed alone (its manifest stays) is counted as removed', async () => {
    const planned = await plan(policy!, { client, repositories: ['app'], deleteTags: true });
    expect(entryOf(planned, 'build-a')).toMatchObject({ action: 'remove', why: expect.stringContaining('the tag alone') });
    expect(planned.tagDeletions.map((deletion) => deletion.tag)).toEqual(['build-a']);
    expect(planned.summary.tags).toEqual(tagsIn(planned));
    expect(planned.summary.tags).toEqual({ kept: 3, removed: 6 });
  });
});

it("the bytes column's rows add up to the plan's reclaimable total, a manifest with three removed tags and a removed signature included", async () => {
  const planned = await plan(policy!, { client, repositories: ['app'] });
  expect(planned.deletions.find((deletion) => deletion.tags.length === 3)?.tags).toEqual(['build-d', 'build-e', 'build-f']);
  expect(planned.reclaimableBytes).toBeGreaterThan(0);
  for (const only of [undefined, 'remove'] as const) {
    const rows = planned.entries.filter((entry) => only === undefined || entry.action === only);
    const reclaimed = reclaimedByRow(planned, rows);
    expect(rows.reduce((sum, _, row) => sum + (reclaimed(row) ?? 0), 0)).toBe(planned.reclaimableBytes);
  }
});

import { describe, expect, it } from 'vitest';
import { createRedisLog, partitionOf, reconcile, type RelayLog, type Retention } from '../src/index.js';
import { TAG_CHANGES_TTL_MS } from '../src/redis-scripts.js';
import { sampleRecord, tagRecord } from '../src/testing.js';
import { freshStream, redisPeer, sleep, useMockRegistry, useRedis } from './helpers.js';

/** The keys of partition 0's entries, oldest first. */
async function keysIn(log: RelayLog): Promise<string[]> {
  return (await log.range(0, { from: '-', to: '+', count: 10_000 })).map((entry) => entry.record.key);
}

async function appendMany(log: RelayLog, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const record = sampleRecord('trim/app');
    keys.push(record.key);
    await log.append(record);
  }
  return keys;
}

// Redis trims approximately (`~`): whole stream nodes (at most 4 kB or 100 entries each), never below the bound
describe.skipIf(!redisPeer.available)('the Redis log trims as it appends, and remembers an event id for idempotencyMs', () => {
  const started = useRedis();
  const { serve: serveMock } = useMockRegistry();
  const logWith = (retention?: Retention, idempotencyMs?: number) => createRedisLog({ client: started.client, stream: freshStream(), retention, idempotencyMs });

  it('retention.maxLength: the stream keeps at least that many entries, the newest, and drops whole nodes of older ones', async () => {
    const log = logWith({ maxLength: 10 });
    const appended = await appendMany(log, 250);
    const kept = await keysIn(log);
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(appended.length);
    expect(kept).toEqual(appended.slice(-kept.length));
  });

  it('retention.maxAgeMs: entries older than that leave with the next append, younger ones stay', async () => {
    const log = logWith({ maxAgeMs: 1_000 });
    const old = await appendMany(log, 150);
    expect(await keysIn(log)).toEqual(old);
    await sleep(1_100);
    const appended = [...old, ...(await appendMany(log, 1))];
    const kept = await keysIn(log);
    expect(kept.length).toBeLessThan(appended.length);
    expect(kept).toEqual(appended.slice(-kept.length));
  });

  it('both bounds: each trims on its own', async () => {
    const byLength = logWith({ maxLength: 10, maxAgeMs: 60_000 });
    await appendMany(byLength, 250);
    expect((await keysIn(byLength)).length).toBeLessThan(250);
    const byAge = logWith({ maxLength: 1_000, maxAgeMs: 400 });
    await appendMany(byAge, 150);
    await sleep(500);
    await appendMany(byAge, 1);
    expect((await keysIn(byAge)).length).toBeLessThan(151);
  });

  it('an event id is remembered for idempotencyMs: a redelivery within it is the first copy, one after it is appended again', async () => {
    const log = logWith(undefined, 300);
    const record = sampleRecord('trim/app');
    const first = await log.append(record);
    expect(await log.append(record)).toEqual({ position: first.position, duplicate: true });
    await sleep(400);
    const again = await log.append(record);
    expect(again.duplicate).toBe(false);
    expect(again.position).not.toBe(first.position);
    expect(await keysIn(log)).toEqual([record.key, record.key]);
  });

  it("lists a repository whose first tag came from reconciliation, by the name its hash's key holds (one with a colon too), once", async () => {
    const stream = freshStream();
    const log = createRedisLog({ client: started.client, stream, partitions: 2 });
    const repositories = ['team/app', 'odd:name/app'];
    for (const repository of repositories) {
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:1', 'reconcile'));
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:2', 'reconcile'));
    }
    // listed before any real event, so only reconciliation's appends can have put them in the sets
    const listed: string[] = [];
    for await (const name of log.tagState.repositories()) listed.push(name);
    expect(listed.sort()).toEqual([...repositories].sort());
    for (const repository of repositories) {
      expect(Object.fromEntries(await log.tagState.tags(repository))).toEqual({ v1: { digest: 'sha256:2', reconciled: true } });
      expect(await started.client.sendCommand(['SISMEMBER', `{${stream}:${partitionOf(repository, 2)}}:tags`, repository]), 'in its partition\'s set').toBe(1);
    }
  });

  it('reads the tag state a previous version wrote (entries, no times): its tags have settled, and a real event writes its time beside them', async () => {
    const stream = freshStream();
    const set = `{${stream}:0}:tags`;
    // as the previous version's append script left them: a hash per repository and the set, no times
    await started.client.sendCommand(['HSET', `${set}:team/app`, 'deleted', 'sha256:1', 'late', '~sha256:2', 'old', 'sha256:9']);
    await started.client.sendCommand(['SADD', set, 'team/app']);
    const log = createRedisLog({ client: started.client, stream });
    expect(Object.fromEntries(await log.tagState.tags('team/app'))).toEqual({
      deleted: { digest: 'sha256:1', reconciled: false },
      late: { digest: 'sha256:2', reconciled: true },
      old: { digest: 'sha256:9', reconciled: false },
    });
    expect((await log.tagState.tagsWithAges?.('team/app'))?.ages).toEqual(new Map());
    await log.append(tagRecord('team/app', 'delete', 'deleted'));
    await log.append(tagRecord('team/app', 'push', 'late', 'sha256:2'));
    expect((await log.range(0, { from: '-', to: '+', count: 10 })).map(({ record }) => [record.deletedDigest, record.reconciled])).toEqual([
      ['sha256:1', undefined],
      [undefined, true],
    ]);
    expect([...((await log.tagState.tagsWithAges?.('team/app'))?.ages ?? new Map()).keys()]).toEqual(['late']);
    // a registry that has none of them: the old entry is deleted at once, the one a real event just wrote waits
    const { url } = await serveMock();
    expect(await reconcile({ client: { baseUrl: url }, relay: { log } })).toMatchObject({ pushed: 0, deleted: 1, settling: 1 });
  });

  it("a repository's change times expire TAG_CHANGES_TTL_MS after a real event last wrote one (each such write starts it again); the tag state itself does not expire", async () => {
    const stream = freshStream();
    const changes = `{${stream}:0}:tag-changes:team/app`;
    const log = createRedisLog({ client: started.client, stream });
    await log.append(tagRecord('team/app', 'push', 'v1', 'sha256:1'));
    const ttl = Number(await started.client.sendCommand(['PTTL', changes]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TAG_CHANGES_TTL_MS);
    expect(Number(await started.client.sendCommand(['PTTL', `{${stream}:0}:tags:team/app`]))).toBe(-1);
    // a later real write starts the hour again
    await started.client.sendCommand(['PEXPIRE', changes, '5000']);
    await log.append(tagRecord('team/app', 'push', 'v2', 'sha256:2'));
    expect(Number(await started.client.sendCommand(['PTTL', changes]))).toBeGreaterThan(TAG_CHANGES_TTL_MS - 60_000);
  });

  it('a real delete takes the time a relay of the previous version left when it deleted the tag (it removed only the entry)', async () => {
    const stream = freshStream();
    const changes = `{${stream}:0}:tag-changes:team/app`;
    const log = createRedisLog({ client: started.client, stream });
    await log.append(tagRecord('team/app', 'push', 'kept', 'sha256:1'));
    // a previous version's delete of a tag this version pushed: the entry gone, its time left
    await started.client.sendCommand(['HSET', changes, 'stale', '1700000000000']);
    await log.append(tagRecord('team/app', 'delete', 'stale'));
    expect(await started.client.sendCommand(['HKEYS', changes])).toEqual(['kept']);
  });
});

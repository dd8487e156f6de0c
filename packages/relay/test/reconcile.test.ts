import { describe, expect, it } from 'vitest';
import { tagRecord } from '../src/testing.js';
import { createMemoryLog, createRedisLog, createRelay, reconcile, RECONCILE_USER_AGENT, RelayConfigError, startReconciler, type Relay, type RelayLog } from '../src/index.js';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import { freshStream, redisPeer, until, useMockRegistry, useRedis } from './helpers.js';

const { serve: serveMock } = useMockRegistry();

async function synthetic(relay: Relay): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of relay.replay({ from: 'beginning' })) {
    if (entry.record.origin !== 'reconcile') continue;
    const event = entry.record.event as { action: string; target: { repository: string; tag: string } };
    found.push(`${event.action} ${event.target.repository}:${event.target.tag}`);
  }
  return found.sort();
}

/** A client of `baseUrl` whose tag list, once started, waits for `release()`: what the test does meanwhile happens while the list is under way. */
function holdingTagLists(baseUrl: string): { client: RegistryClient; started: Promise<void>; release: () => void } {
  const real = createRegistryClient({ baseUrl });
  let markStarted = () => {};
  let release = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const client: RegistryClient = {
    ...real,
    async *tags(repository, options) {
      markStarted();
      await released;
      yield* real.tags(repository, options);
    },
  };
  return { client, started, release };
}

const REPUSHED = "leaves alone a tag pushed again at the digest the state holds, its delete event lost: the registry sends that push before it links the tag, so a reconciliation between them finds the tag gone";

/**
 * Plays REPUSHED on `log`: `ageWrites(ms)` makes the log's writes so much older on its own clock.
 * A push that leaves the state as it was writes its time too, so the tag settles instead of
 * getting a synthetic delete that replication would act on as the tag comes back.
 */
async function reconcileRepushedTag(log: RelayLog, ageWrites: (ms: number) => Promise<void>): Promise<void> {
  const { registry, url } = await serveMock();
  const image = await registry.pushImage('team/api:1.0');
  await log.append(tagRecord('team/api', 'push', '1.0', image.manifest.digest));
  await registry.deleteImage('team/api:1.0'); // its delete event never reaches the log
  await ageWrites(60_000);
  await log.append(tagRecord('team/api', 'push', '1.0', image.manifest.digest));
  const run = () => reconcile({ client: { baseUrl: url }, relay: { log }, scope: 'team/api' });
  expect(await run()).toMatchObject({ tags: 0, pushed: 0, deleted: 0, settling: 1 });
  await registry.pushImage('team/api:1.0', image); // the registry links the tag
  expect(await run()).toMatchObject({ tags: 1, pushed: 0, deleted: 0, settling: 0 });
  const origins = (await log.range(0, { from: '-', to: '+', count: 10 })).map(({ record }) => record.origin ?? 'registry');
  expect(origins).toEqual(['registry', 'registry']);
}

describe.skipIf(!redisPeer.available)('reconcile on the Redis log', () => {
  const started = useRedis();

  it(REPUSHED, async () => {
    const stream = freshStream();
    const times = `{${stream}:0}:tag-changes:team/api`;
    // the Redis server's clock cannot be moved on: its times for the repository are moved back instead
    const ageWrites = async (ms: number) => {
      const written = Object.entries(await started.client.hGetAll(times));
      // an empty hash (its key renamed) would age nothing, and the test pass on a log that writes no times
      expect(written).not.toEqual([]);
      for (const [tag, at] of written) await started.client.hSet(times, tag, String(Number(at) - ms));
    };
    await reconcileRepushedTag(createRedisLog({ client: started.client, stream }), ageWrites);
  });
});

describe('reconcile on the memory log', () => {
  it(REPUSHED, async () => {
    let time = 1_700_000_000_000;
    await reconcileRepushedTag(createMemoryLog({ now: () => time }), async (ms) => void (time += ms));
  });

  it('tags the log never heard of become pushes, tags gone become deletes (also of a repository the catalog no longer lists); the reads carry RECONCILE_USER_AGENT', async () => {
    const { registry, url } = await serveMock();
    await registry.pushImage('team/api:1.0');
    await registry.pushImage('team/api:old', { seed: 2 });
    let time = Date.now();
    const relay = createRelay({ log: createMemoryLog({ now: () => time }), auth: { unauthenticated: true } });
    await relay.log.append(tagRecord('ghost/app', 'push', 'v1', 'sha256:0000'));
    time += 60_000; // that push has settled: the log's clock is well past its settle window
    expect(await reconcile({ client: { baseUrl: url }, relay })).toMatchObject({ repositories: 2, tags: 2, pushed: 2, deleted: 1, settling: 0 });
    expect(await synthetic(relay)).toEqual(['delete ghost/app:v1', 'push team/api:1.0', 'push team/api:old']);
    await registry.deleteImage('team/api:old');
    expect(await reconcile({ client: { baseUrl: url }, relay })).toMatchObject({ tags: 1, pushed: 0, deleted: 1 });
    expect(await reconcile({ client: { baseUrl: url }, relay })).toMatchObject({ pushed: 0, deleted: 0 });
    // one manifest HEAD per tag and run: 2, then 1, then 1
    const heads = registry.events.filter((recorded) => recorded.event.action === 'pull' && recorded.event.request.method === 'HEAD');
    expect(heads.map((recorded) => recorded.event.request.useragent)).toEqual(Array(4).fill(RECONCILE_USER_AGENT));
  });

  it("leaves alone a tag a real event wrote within settleMs before the list started, missing or at another digest, and reconciles it once the window has passed, whatever the log's clock and reconciliation's read", async () => {
    const { registry, url } = await serveMock();
    const year = 365 * 86_400_000;
    // the log's clock far ahead of this process's, far behind, near its epoch; reconciliation's monotonic clock elsewhere again: only ages count
    const clocks = [
      { log: Date.now() + year, monotonic: -1e12 },
      { log: Date.now() - year, monotonic: 1e12 },
      { log: 1_000_000, monotonic: 0 },
    ];
    for (const [index, clock] of clocks.entries()) {
      const repository = `team/api-${index}`;
      await registry.pushImage(`${repository}:moved`);
      let time = clock.log;
      const relay = createRelay({ log: createMemoryLog({ now: () => time }), auth: { unauthenticated: true } });
      // the list and the state read at one instant: a write's age when the list started is its age at the read
      const run = (settleMs?: number) => reconcile({ client: { baseUrl: url }, relay, scope: repository, monotonicNow: () => clock.monotonic, ...(settleMs === undefined ? {} : { settleMs }) });
      // the registry sent these pushes and has not linked their tags yet: one new, one moved from the image it holds
      await relay.log.append(tagRecord(repository, 'push', 'new', 'sha256:1111'));
      await relay.log.append(tagRecord(repository, 'push', 'moved', 'sha256:2222'));
      time += 9_999;
      expect(await run()).toMatchObject({ tags: 1, pushed: 0, deleted: 0, settling: 2 });
      expect(await synthetic(relay)).toEqual([]);
      time += 1;
      expect(await run()).toMatchObject({ tags: 1, pushed: 1, deleted: 1, settling: 0 });
      expect(await synthetic(relay)).toEqual([`delete ${repository}:new`, `push ${repository}:moved`]);
      // what reconciliation wrote has no time: a change after it is reconciled at once
      await registry.deleteImage(`${repository}:moved`);
      expect(await run(60_000)).toMatchObject({ pushed: 0, deleted: 1, settling: 0 });
    }
  });

  it('reads the state once the tag list is in: a real push appended while the list is under way is no difference (no second, synthetic push)', async () => {
    const { registry, url } = await serveMock();
    const image = await registry.pushImage('team/api:new');
    const relay = createRelay({ auth: { unauthenticated: true } });
    const held = holdingTagLists(url);
    const run = reconcile({ client: held.client, relay, scope: 'team/api' });
    await held.started;
    // the registry linked the tag, and its push event reaches the log while the list is under way
    await relay.log.append(tagRecord('team/api', 'push', 'new', image.manifest.digest));
    held.release();
    expect(await run).toMatchObject({ tags: 1, pushed: 0, deleted: 0, settling: 0 });
    expect(await synthetic(relay)).toEqual([]);
  });

  it("reads a repository's tags and their ages in one step: a real delete landing as the state is read leaves no entry without its age (no synthetic delete after the real one)", async () => {
    const { registry, url } = await serveMock();
    const kept = await registry.pushImage('team/api:kept');
    let time = 1_700_000_000_000;
    const log = createMemoryLog({ now: () => time });
    await log.append(tagRecord('team/api', 'push', 'kept', kept.manifest.digest));
    time += 60_000;
    // pushed a moment ago, then deleted: the registry has unlinked it, its delete event is on its way
    await log.append(tagRecord('team/api', 'push', 'gone', 'sha256:1111'));
    time += 1_000;
    let deleted = false;
    // every read of a repository's state (whichever reconciliation makes): the first to answer is followed by the real delete of `gone`
    const tagState = new Proxy(log.tagState, {
      get(target, name) {
        const member: unknown = Reflect.get(target, name);
        if (typeof member !== 'function' || name === 'repositories') return member;
        return async (...args: unknown[]) => {
          const answer: unknown = await member.apply(target, args);
          if (!deleted) {
            deleted = true;
            await log.append(tagRecord('team/api', 'delete', 'gone'));
          }
          return answer;
        };
      },
    });
    expect(await reconcile({ client: { baseUrl: url }, relay: { log: { ...log, tagState } }, scope: 'team/api' })).toMatchObject({ tags: 1, pushed: 0, deleted: 0, settling: 1 });
    expect(deleted).toBe(true);
    const origins = (await log.range(0, { from: '-', to: '+', count: 10 })).map(({ record }) => record.origin ?? 'registry');
    expect(origins).not.toContain('reconcile');
  });

  it("measures a write's age at the start of the tag list, not at its end", async () => {
    const { url } = await serveMock();
    let time = 1_700_000_000_000;
    let monotonic = 0;
    const relay = createRelay({ log: createMemoryLog({ now: () => time }), auth: { unauthenticated: true } });
    const pass = (ms: number) => {
      time += ms;
      monotonic += ms;
    };
    // a push event for a tag the registry never links
    await relay.log.append(tagRecord('team/api', 'push', 'unlinked', 'sha256:1111'));
    pass(8_000);
    const held = holdingTagLists(url);
    const run = reconcile({ client: held.client, relay, scope: 'team/api', monotonicNow: () => monotonic });
    await held.started;
    pass(5_000); // a slow list: 13 s after the write when it ends, 8 s when it started
    held.release();
    expect(await run).toMatchObject({ deleted: 0, settling: 1 });
    pass(2_000);
    expect(await reconcile({ client: { baseUrl: url }, relay, scope: 'team/api', monotonicNow: () => monotonic })).toMatchObject({ deleted: 1, settling: 0 });
  });

  it('reports progress in catalog order and resumes after a repository', async () => {
    const { registry, url } = await serveMock();
    for (const name of ['a/app', 'b/app', 'c/app']) await registry.pushImage(`${name}:1`);
    const relay = createRelay({ auth: { unauthenticated: true } });
    const progress: string[] = [];
    const resumed = await reconcile({ client: { baseUrl: url }, relay, after: 'a/app', onProgress: (last) => progress.push(last) });
    expect(resumed).toMatchObject({ repositories: 2, pushed: 2, lastRepository: 'c/app' });
    expect(progress.at(-1)).toBe('c/app');
    expect([...progress].sort()).toEqual(progress);
    expect(await synthetic(relay)).toEqual(['push b/app:1', 'push c/app:1']);
  });

  it('a late real push and a late real delete, matching what reconciliation recorded, are marked and reach no handler', async () => {
    const relay = createRelay({ log: createMemoryLog(), auth: { unauthenticated: true } });
    await relay.log.append(tagRecord('app', 'push', 'gone', 'sha256:9'));
    await relay.log.append(tagRecord('app', 'push', 'new', 'sha256:1', 'reconcile'));
    await relay.log.append(tagRecord('app', 'delete', 'gone', undefined, 'reconcile'));
    await relay.log.append(tagRecord('app', 'push', 'new', 'sha256:1'));
    await relay.log.append(tagRecord('app', 'delete', 'gone'));
    await relay.log.append(tagRecord('app', 'push', 'new', 'sha256:2'));
    const seen: string[] = [];
    const consumer = relay.consumer('changes').onAny((event) => {
      const { target } = event as { action: string; target: { tag: string; digest?: string } };
      seen.push(`${(event as { action: string }).action} ${target.tag}${target.digest ? `@${target.digest}` : ''}`);
    });
    await consumer.start();
    await consumer.idle();
    await consumer.stop();
    expect(seen).toEqual(['push gone@sha256:9', 'push new@sha256:1', 'delete gone', 'push new@sha256:2']);
    expect(consumer.counters()).toMatchObject({ handled: 4, duplicates: 2 });
  });

  it('startReconciler runs on start, on schedule and on demand, never two at once, and stops', async () => {
    const { registry, url } = await serveMock();
    await registry.pushImage('app:1');
    const relay = createRelay({ auth: { unauthenticated: true } });
    const results: number[] = [];
    const reconciler = startReconciler({ client: { baseUrl: url }, relay, every: 40, onResult: (result) => results.push(result.pushed) });
    const [a, b] = [reconciler.run(), reconciler.run()];
    expect(a).toBe(b);
    await registry.pushImage('app:2');
    await until(async () => (await synthetic(relay)).length === 2, 'the scheduled run to find app:2', 5_000);
    await reconciler.stop();
    const runs = results.length;
    expect(results.reduce((sum, pushed) => sum + pushed, 0)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(results.length).toBe(runs);
    await expect(reconciler.run()).rejects.toBeInstanceOf(RelayConfigError);
  });

  it('refuses bad options with RelayConfigError', async () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    await expect(reconcile({ client: undefined as never, relay })).rejects.toBeInstanceOf(RelayConfigError);
    await expect(reconcile({ client: { baseUrl: 'http://127.0.0.1:1' }, relay: {} as never })).rejects.toBeInstanceOf(RelayConfigError);
    await expect(reconcile({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, concurrency: 0 })).rejects.toBeInstanceOf(RelayConfigError);
    expect(() => startReconciler({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, every: -1 })).toThrow(RelayConfigError);
    // up front, as every: not only each run, through onError
    expect(() => startReconciler({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, settleMs: -1 })).toThrow(RelayConfigError);
    expect(() => startReconciler({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, concurrency: 0 })).toThrow(RelayConfigError);
    expect(() => startReconciler({ client: undefined as never, relay })).toThrow(RelayConfigError);
    await expect(reconcile({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, settleMs: -1 })).rejects.toBeInstanceOf(RelayConfigError);
    await expect(reconcile({ client: { baseUrl: 'http://127.0.0.1:1' }, relay, settleMs: Number.NaN })).rejects.toBeInstanceOf(RelayConfigError);
  });
});


import type { RegistryClient } from '@regevents/registry-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkPolicies, PermanentJobError, type JobResult, type ReplicationJobData } from '../src/index.js';
import { runJob, type JobContext } from '../src/run-job.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const pushed = `sha256:${'a'.repeat(64)}`;

/**
 * A source holding `stored` (reference to digest) that records each HEAD and, like the registry
 * client, refuses a request whose signal is aborted; `onHead` runs before it answers.
 */
function stubRegistry(stored: Map<string, string>, onHead?: (reference: string) => void) {
  const heads: string[] = [];
  const headManifest = async (_repository: string, reference: string, options?: { signal?: AbortSignal }) => {
    options?.signal?.throwIfAborted();
    heads.push(reference);
    onHead?.(reference);
    const digest = stored.get(reference);
    return digest ? { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 2 } : undefined;
  };
  return { client: { headManifest } as unknown as RegistryClient, heads };
}

const { policies } = checkPolicies([{ name: 'mirror', source: { registry: 'http://source:5000' }, targets: [{ name: 'dc2', registry: 'http://target:5000' }] }]);
const policy = policies[0] as NonNullable<(typeof policies)[0]>;

function contextOf(source: RegistryClient, controller = new AbortController()): JobContext {
  const destination = stubRegistry(new Map([['1.0', pushed]])).client;
  return { policy, target: policy.targets[0] as JobContext['target'], source, destination, signal: controller.signal };
}

/** The copy job a push event of `team/app:1.0` makes. */
const pushJob = (times: { createdAt: string; pushedAt?: string }): ReplicationJobData => ({
  policy: 'mirror',
  target: 'dc2',
  action: 'copy',
  repository: 'team/app',
  tag: '1.0',
  pushedDigest: pushed,
  cause: 'event',
  ...times,
});

/** Starts the job and lets it run until it ends or pauses (the stubs answer without timers). */
async function started(context: JobContext, data: ReplicationJobData) {
  const run: { result?: JobResult; error?: unknown } = {};
  const done = runJob(context, data).then(
    (result) => void (run.result = result),
    (error: unknown) => void (run.error = error),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return { run, done, paused: () => vi.getTimerCount() > 0 };
}

/** A source holding `stored`, and a push job for it started at the push (time 0), as its event announced it. */
async function startedAtPush(stored: Map<string, string>) {
  const source = stubRegistry(stored);
  return { source, job: await started(contextOf(source.client), pushJob({ createdAt: at(0), pushedAt: at(0) })) };
}

describe('a push job whose tag the source has not linked', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks again while the pushed manifest is there, and copies once the tag is linked', async () => {
    const stored = new Map([[pushed, pushed]]);
    const { source, job } = await startedAtPush(stored);
    expect(job.paused()).toBe(true);
    expect(source.heads).toEqual(['1.0', pushed]);

    stored.set('1.0', pushed);
    await vi.advanceTimersByTimeAsync(50);
    await job.done;
    expect(job.run.result).toEqual({ outcome: 'up-to-date', digest: pushed });
    expect(source.heads).toEqual(['1.0', pushed, '1.0']);
  });

  it('asks for the pushed manifest once, however many rounds the tag takes: one HEAD a round', async () => {
    const stored = new Map([[pushed, pushed]]);
    const { source, job } = await startedAtPush(stored);
    await vi.advanceTimersByTimeAsync(50);
    await vi.advanceTimersByTimeAsync(100);
    expect(source.heads).toEqual(['1.0', pushed, '1.0', '1.0']);

    stored.set('1.0', pushed);
    await vi.advanceTimersByTimeAsync(200);
    await job.done;
    expect(job.run.result).toEqual({ outcome: 'up-to-date', digest: pushed });
    expect(source.heads).toEqual(['1.0', pushed, '1.0', '1.0', '1.0']);
  });

  it.each([
    ['an unreadable createdAt', { createdAt: 'not a time' }],
    ['an unreadable pushedAt', { createdAt: at(0), pushedAt: 'not a time' }],
    ['a push longer ago than the grace (a backlog caught up now)', { createdAt: at(0), pushedAt: at(-60_000) }],
  ])('ends in source-gone without a pause after %s', async (_, times) => {
    const source = stubRegistry(new Map([[pushed, pushed]]));
    const job = await started(contextOf(source.client), pushJob(times));
    expect(job.paused()).toBe(false);
    expect(job.run.result).toEqual({ outcome: 'source-gone' });
    expect(source.heads).toEqual(['1.0']);
  });

  it('ends in source-gone without a pause when the pushed manifest is gone too', async () => {
    const { source, job } = await startedAtPush(new Map());
    expect(job.paused()).toBe(false);
    expect(job.run.result).toEqual({ outcome: 'source-gone' });
    expect(source.heads).toEqual(['1.0', pushed]);
  });

  it.each([
    ['createdAt', { createdAt: at(3_600_000) }],
    ['pushedAt', { createdAt: at(0), pushedAt: at(3_600_000) }],
  ])('waits no longer than the grace from now for a %s ahead of this clock', async (_, times) => {
    const source = stubRegistry(new Map([[pushed, pushed]]));
    const job = await started(contextOf(source.client), pushJob(times));
    expect(job.paused()).toBe(true);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(job.paused()).toBe(false);
    expect(job.run.result).toEqual({ outcome: 'source-gone' });
    // pauses of 50, 100, 200, 400 and 800 ms, eight of a second, then the 450 ms left of the grace: one HEAD of the tag after each, the last at the deadline
    expect(source.heads).toEqual(['1.0', pushed, ...Array.from({ length: 14 }, () => '1.0')]);
  });

  it('copies a tag linked in the last second of the grace: the last HEAD is at the deadline', async () => {
    const stored = new Map([[pushed, pushed]]);
    const { source, job } = await startedAtPush(stored);
    await vi.advanceTimersByTimeAsync(9_900);
    expect(job.paused()).toBe(true);

    stored.set('1.0', pushed);
    await vi.advanceTimersByTimeAsync(100);
    await job.done;
    expect(job.run.result).toEqual({ outcome: 'up-to-date', digest: pushed });
    expect(source.heads).toEqual(['1.0', pushed, ...Array.from({ length: 14 }, () => '1.0')]);
  });

  it('waits out the grace when the pushed manifest is deleted during the wait: it is asked for once, not each round', async () => {
    const stored = new Map([[pushed, pushed]]);
    const { source, job } = await startedAtPush(stored);
    await vi.advanceTimersByTimeAsync(50);
    stored.delete(pushed);

    await vi.advanceTimersByTimeAsync(9_900);
    expect(job.paused()).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    await job.done;
    expect(job.run.result).toEqual({ outcome: 'source-gone' });
    expect(source.heads).toEqual(['1.0', pushed, ...Array.from({ length: 14 }, () => '1.0')]);
  });

  it('stops without a pause when the job is aborted between a HEAD and the pause', async () => {
    const controller = new AbortController();
    const source = stubRegistry(new Map([[pushed, pushed]]), (reference) => reference === pushed && controller.abort());
    const job = await started(contextOf(source.client, controller), pushJob({ createdAt: at(0), pushedAt: at(0) }));
    expect(job.paused()).toBe(false);
    expect(job.run.error).toEqual(new PermanentJobError('stopped'));
    expect(source.heads).toEqual(['1.0', pushed]);
  });
});

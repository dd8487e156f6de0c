import { vendorFixture } from '@regevents/registry-harness';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLog, createRelay, RelayConfigError, type Consumer, type LogEntry } from '../src/index.js';
import { prometheusRegistry } from '../src/node.js';
import { freshEnvelope, registryRequest, sleep, TOKEN, until } from './helpers.js';

const fast = { pollMs: 10, retryDelay: 10, leaseMs: 1_000 };

async function post(relay: { fetch(request: Request): Promise<Response> }, suffix: string, repository?: string): Promise<string[]> {
  const { body, ids } = freshEnvelope(suffix, repository);
  const response = await relay.fetch(registryRequest(body));
  expect(response.status).toBe(200);
  return ids;
}

async function collect(iterator: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for await (const entry of iterator) entries.push(entry);
  return entries;
}

describe('createRelay', () => {
  it('acknowledges at once; each group gets each event once, through the typed on() of createEventHandler', async () => {
    const relay = createRelay({ log: createMemoryLog(), auth: { bearer: TOKEN } });
    const builds: string[] = [];
    const audit: string[] = [];
    const ci = relay.consumer('ci', fast).on('push:manifest', (event) => void builds.push(`${event.target.repository}:${event.target.tag}`));
    const auditor = relay.consumer('audit', fast).onAny((event) => void audit.push(String(event.action)));
    await Promise.all([ci.start(), auditor.start()]);
    await post(relay, 'push-by-tag/001.json');
    const [manifest] = await post(relay, 'push-by-tag/003.json');
    await relay.fetch(registryRequest(JSON.stringify({ events: [{ ...JSON.parse(freshEnvelope('push-by-tag/003.json').body).events[0], id: manifest }] })));
    await until(() => audit.length === 2 && builds.length === 1, 'both groups');
    await sleep(50);
    await Promise.all([ci.stop(), auditor.stop()]);
    expect(builds).toEqual(['demo/app:1.0']);
    expect(audit).toEqual(['push', 'push']);
    const metrics = await relay.metrics();
    expect(metrics.appends).toMatchObject({ appended: 2, duplicates: 1, failed: 0 });
    expect(metrics.groups.ci).toMatchObject({ lag: 0, pending: 0, handled: 2, deadLetters: 0 });
  });

  it("gives a logged event's handler its context: the event as its envelope, when the relay received it", async () => {
    const relay = createRelay({ log: createMemoryLog(), auth: { bearer: TOKEN } });
    const seen: { same: boolean; index: number; receivedAt: unknown; eventCount: number }[] = [];
    const consumer = relay.consumer('context', fast).onAny((event, context) => {
      seen.push({ same: context.envelope.events[0] === event && context.envelope === context.envelope, index: context.index, receivedAt: context.delivery.receivedAt, eventCount: context.delivery.eventCount });
    });
    await consumer.start();
    const before = Date.now();
    await post(relay, 'push-by-tag/003.json');
    await until(() => seen.length === 1, 'the event');
    await consumer.stop();
    const [context] = seen;
    expect(context).toMatchObject({ same: true, index: 0, eventCount: 1 });
    expect(context?.receivedAt).toBeInstanceOf(Date);
    expect((context?.receivedAt as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('delivers other formats to normalized kinds, with occurredAt a Date again', async () => {
    const relay = createRelay({ auth: { bearer: TOKEN, harbor: { authHeader: 'harbor-secret' } }, formats: ['distribution', 'harbor'] });
    const seen: [string, string, boolean][] = [];
    const consumer = relay.consumer('normalized', fast).on('artifact.pushed', (event, context) => void seen.push([context.format, event.repository, event.occurredAt instanceof Date]));
    await consumer.start();
    const harbor = new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'harbor-secret' },
      body: vendorFixture('harbor/push-artifact').text,
    });
    expect((await relay.fetch(harbor)).status).toBe(200);
    await post(relay, 'push-by-tag/003.json');
    await until(() => seen.length === 2, 'two pushes');
    await consumer.stop();
    expect(seen.map(([format, , isDate]) => [format, isDate])).toEqual([
      ['harbor', true],
      ['distribution', true],
    ]);
  });

  it('dead-letters what keeps failing; a retry goes back to that group only', async () => {
    const relay = createRelay({ auth: { bearer: TOKEN } });
    let broken = true;
    const runs: string[] = [];
    const failing = relay.consumer('failing', { ...fast, maxAttempts: 2 }).on('push:manifest', (event) => {
      runs.push(`failing ${event.target.repository}`);
      if (broken && event.target.repository === 'bad/repo') throw new Error('no build for you');
    });
    const other = relay.consumer('other', fast).on('push:manifest', (event) => void runs.push(`other ${event.target.repository}`));
    failing.onError(() => undefined);
    await Promise.all([failing.start(), other.start()]);
    await post(relay, 'push-by-tag/003.json', 'bad/repo');
    await post(relay, 'push-by-tag/003.json', 'good/repo');
    await until(async () => (await relay.metrics()).groups.failing?.deadLetters === 1 && runs.length === 5, 'a dead letter');
    const [letter, ...more] = await relay.deadLetters('failing').list();
    expect(more).toEqual([]);
    expect([letter?.record.repository, letter?.attempts, letter?.error]).toEqual(['bad/repo', 2, 'Error: no build for you']);
    broken = false;
    await relay.deadLetters('failing').retry(letter as NonNullable<typeof letter>);
    await until(() => runs.length === 6, 'the retry');
    await sleep(100);
    await Promise.all([failing.stop(), other.stop()]);
    // two failed attempts and the retry in the failing group; the other group ran each event once
    expect(runs.sort()).toEqual(['failing bad/repo', 'failing bad/repo', 'failing bad/repo', 'failing good/repo', 'other bad/repo', 'other good/repo']);
    expect(await relay.deadLetters('failing').list()).toEqual([]);
    expect(await relay.deadLetters('failing').drop(letter as NonNullable<typeof letter>)).toBe(false);
  });

  it("an onError handler that throws neither stops a repository's queue nor keeps its slot", async () => {
    const memory = createMemoryLog();
    let refusals = 1;
    // the failed attempt gives its claim back; the first such call fails, and its report meets the throwing onError
    const log = { ...memory, releaseEvent: (...args: Parameters<typeof memory.releaseEvent>) => (refusals-- > 0 ? Promise.reject(new Error('log away')) : memory.releaseEvent(...args)) };
    const relay = createRelay({ log, auth: { bearer: TOKEN } });
    let attempts = 0;
    const handled: string[] = [];
    const consumer = relay.consumer('g', { ...fast, concurrency: 1 }).on('push:manifest', (event) => {
      if (event.target.repository === 'a/repo' && attempts++ === 0) throw new Error('first attempt fails');
      handled.push(event.target.repository);
    });
    consumer.onError(() => {
      throw new Error('onError itself throws');
    });
    await consumer.start();
    await post(relay, 'push-by-tag/003.json', 'a/repo');
    await post(relay, 'push-by-tag/003.json', 'b/repo');
    await until(() => handled.length === 2, 'both repositories handled');
    await consumer.stop();
    expect([...handled].sort()).toEqual(['a/repo', 'b/repo']);
    // the refused give-back did happen (and nothing called it again)
    expect(refusals).toBe(0);
  });

  it("a handler's failure reaches every onError handler even when one of them throws, and the throw is logged", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const relay = createRelay({ auth: { bearer: TOKEN } });
      const heard: string[] = [];
      const consumer = relay.consumer('g', { ...fast, maxAttempts: 1 }).on('push:manifest', () => {
        throw new Error('no build');
      });
      consumer.onError(() => {
        throw new Error('the first onError throws');
      });
      consumer.onError((error) => void heard.push(String((error as { cause?: unknown }).cause ?? error)));
      await consumer.start();
      await post(relay, 'push-by-tag/003.json', 'a/repo');
      await until(async () => (await relay.metrics()).groups.g?.deadLetters === 1, 'dead-lettered');
      await consumer.stop();
      expect(heard).toEqual(['Error: no build']);
      expect(logged.mock.calls.some(([prefix, error]) => prefix === '[@regevents/relay] onError handler threw' && String(error) === 'Error: the first onError throws')).toBe(true);
    } finally {
      logged.mockRestore();
    }
  });

  it('a new group starts at the beginning by default, or at now', async () => {
    const relay = createRelay({ auth: { bearer: TOKEN } });
    await post(relay, 'push-by-tag/003.json', 'old/one');
    const all: string[] = [];
    const recent: string[] = [];
    const fromStart = relay.consumer('from-start', fast).onAny((event) => void all.push(String((event as { target: { repository: string } }).target.repository)));
    const fromNow = relay.consumer('from-now', { ...fast, start: 'now' }).onAny((event) => void recent.push(String((event as { target: { repository: string } }).target.repository)));
    await Promise.all([fromStart.start(), fromNow.start()]);
    await post(relay, 'push-by-tag/003.json', 'new/one');
    await until(() => all.length === 2 && recent.length === 1, 'both');
    await Promise.all([fromStart.stop(), fromNow.stop()]);
    expect([all, recent]).toEqual([['old/one', 'new/one'], ['new/one']]);
  });

  it('replays by position or time across partitions, oldest first, with a filter', async () => {
    // across partitions the order is by append time to the millisecond: appends within one tie by
    // partition, so the clock moves on at every read to give each append a millisecond of its own
    let clock = Date.now();
    const relay = createRelay({ log: createMemoryLog({ partitions: 3, now: () => ++clock }), auth: { bearer: TOKEN } });
    for (const repository of ['a', 'b', 'c', 'a', 'b', 'c']) await post(relay, 'push-by-tag/003.json', repository);
    const everything = await collect(relay.replay({ from: 'beginning' }));
    expect(everything.map((entry) => entry.record.repository)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(new Set(everything.map((entry) => entry.partition)).size).toBeGreaterThan(1);
    const [, second, , fourth] = everything;
    const middle = await collect(relay.replay({ from: (second as LogEntry).position, to: (fourth as LogEntry).position, pageSize: 1 }));
    expect(middle.map((entry) => entry.position)).toEqual(everything.slice(1, 4).map((entry) => entry.position));
    expect((await collect(relay.replay({ from: new Date(0), filter: (entry) => entry.record.repository === 'b' }))).length).toBe(2);
    expect(await collect(relay.replay({ from: new Date(Date.now() + 60_000) }))).toEqual([]);
    await expect(collect(relay.replay({ from: 'yesterday' }))).rejects.toThrow(RelayConfigError);
  });

  it('refuses options that cannot work', () => {
    const relay = createRelay({ auth: { bearer: TOKEN } });
    expect(() => relay.consumer('has space')).toThrow(RelayConfigError);
    expect(() => relay.consumer('ok', { concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
    expect(() => relay.consumer('ok', { start: 'later' as 'now' })).toThrow(/start must be/);
    expect(() => createRelay({ auth: undefined as never })).toThrow(/auth is required/);
    expect(() => createMemoryLog({ partitions: 1.5 })).toThrow(RelayConfigError);
  });

  it('exports its metrics as Prometheus text through prom-client', async () => {
    const relay = createRelay({ auth: { bearer: TOKEN } });
    const consumer: Consumer = relay.consumer('ci', fast).onAny(() => undefined);
    await consumer.start();
    await post(relay, 'push-by-tag/003.json');
    await until(async () => (await relay.metrics()).groups.ci?.handled === 1, 'handled');
    await consumer.stop();
    const text = await prometheusRegistry(relay).metrics();
    expect(text).toContain('# TYPE regevents_relay_appends_total counter');
    expect(text).toContain('regevents_relay_appends_total{result="appended"} 1');
    expect(text).toContain('regevents_relay_append_duration_seconds_count 1');
    expect(text).toMatch(/regevents_relay_append_duration_seconds_bucket\{le="\+Inf"\} 1/);
    expect(text).toContain('regevents_relay_group_lag{group="ci"} 0');
    expect(text).toContain('regevents_relay_consumer_handled_total{group="ci"} 1');
  });
});

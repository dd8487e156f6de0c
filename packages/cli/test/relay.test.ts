import { readFile } from 'node:fs/promises';
import { requirePeers } from '@regevents/registry-harness';
import { createRedisLog, createRelay } from '@regevents/relay';
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_LISTENING, relayUrl, startRegevents, type Background } from './background.js';
import { runInProcess } from './cli.js';
import { useRedisServer } from './redis-server.js';
import { useTakenPorts } from './taken-port.js';

const peers = requirePeers('redis-server');
const body = () => readFile(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));
let running: Background | undefined;
const takenPort = useTakenPorts();

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
});

describe('regevents relay (no Redis needed)', () => {
  it('refuses an unknown format and a command that needs --redis without it', async () => {
    const io = await runInProcess(['relay', 'dead-letters', 'list', '--group', 'ci']);
    expect(io.code).toBe(2);
    expect(io.stderr).toContain('--redis <url> is required');
    const bad = await runInProcess(['relay', '--format', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of distribution');
  });

  it('closes what it opened when it fails mid-start (the --ui port is taken): the receiver stops listening, no signal handler stays', async () => {
    const handlers = process.listenerCount('SIGINT');
    const io = await runInProcess(['relay', '--port', '0', '--ui', await takenPort()]);
    expect(io.code).toBe(1);
    expect(io.stderr).toContain('EADDRINUSE');
    const url = io.stderr.match(RELAY_LISTENING)?.[1];
    expect(url).toMatch(/^http:/);
    await expect(fetch(`${url}/metrics`)).rejects.toThrow('fetch failed');
    expect(process.listenerCount('SIGINT')).toBe(handlers);
  });
});

describe.skipIf(!peers.available)('regevents relay on a real redis-server', () => {
  const redis = useRedisServer();

  it('receives into Redis, prints the registry snippet without the token, serves /metrics, and tail prints the log', async () => {
    const relay = startRegevents(['relay', '--port', '0', '--redis', redis.url, '--token', 'cli-relay-token', '--stream', 'cli-test']);
    running = relay;
    const url = await relayUrl(relay);
    const send = async (token: string) =>
      fetch(`${url}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
        body: new Uint8Array(await body()),
      });
    expect((await send('wrong')).status).toBe(401);
    expect((await send('cli-relay-token')).status).toBe(200);
    expect(relay.stdout()).toContain(`url: ${url}/events`);
    expect(relay.stdout()).toContain('Authorization: [Bearer <the --token value>]');
    expect(relay.stdout() + relay.stderr()).not.toContain('cli-relay-token');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('regevents_relay_appends_total{result="appended"} 1');

    const io = await runInProcess(['relay', 'tail', '--redis', redis.url, '--stream', 'cli-test', '--from', 'beginning', '--once']);
    expect(io.code).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(/^\d+-\d+ .*push\s+manifest demo\/app:1\.0/);
    const group = await runInProcess(['relay', 'tail', '--redis', redis.url, '--stream', 'cli-test', '--group', 'audit', '--from', 'beginning', '--once', '--json']);
    expect(group.code).toBe(0);
    expect(group.stdout.map((line) => (JSON.parse(line) as { record: { repository: string } }).record.repository)).toEqual(['demo/app']);
  });

  const clients = async () => String(await redis.client.sendCommand(['CLIENT', 'LIST'])).trim().split('\n').length;

  it('closes its Redis connection when a forwarding flag is refused', async () => {
    const before = await clients();
    const io = await runInProcess(['relay', '--port', '0', '--redis', redis.url, '--forward-cloudevents', 'http://127.0.0.1:1/', '--enrich']);
    expect(io.code).toBe(2);
    expect(io.stderr).toContain('--enrich needs --registry');
    expect(await clients()).toBe(before);
  });

  it('closes its Redis connection when its port is taken', async () => {
    const before = await clients();
    const io = await runInProcess(['relay', '--port', await takenPort(), '--redis', redis.url]);
    expect(io.code).toBe(1);
    expect(io.stderr).toContain('EADDRINUSE');
    expect(await clients()).toBe(before);
  });

  it('lists, retries and drops dead letters', async () => {
    const relay = createRelay({ log: createRedisLog({ client: redis.client, stream: 'cli-dead' }), auth: { unauthenticated: true } });
    const request = async () => new Request('http://relay/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(await body()) });
    expect((await relay.fetch(await request())).status).toBe(200);
    const failing = relay.consumer('ci', { maxAttempts: 1, pollMs: 10 }).onAny(() => {
      throw new Error('broken build');
    });
    failing.onError(() => undefined);
    await failing.start();
    await failing.idle();
    await failing.stop();

    const list = await runInProcess(['relay', 'dead-letters', 'list', '--redis', redis.url, '--stream', 'cli-dead', '--group', 'ci']);
    expect(list.code).toBe(0);
    expect(list.stdout).toHaveLength(1);
    expect(list.stdout[0]).toMatch(/demo\/app .*attempts=1 Error: broken build/);
    const id = (list.stdout[0] as string).split(' ')[0] as string;
    const missing = await runInProcess(['relay', 'dead-letters', 'drop', '--redis', redis.url, '--stream', 'cli-dead', '--group', 'ci', '--id', '1-1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no dead letter 1-1');
    const retry = await runInProcess(['relay', 'dead-letters', 'retry', '--redis', redis.url, '--stream', 'cli-dead', '--group', 'ci', '--id', id]);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toContain('sent back 1 dead letter of group ci');
    expect(await relay.deadLetters('ci').list()).toEqual([]);
    const retried = await relay.log.range(0, { from: '-', to: '+', count: 10 });
    expect(retried.map((entry) => entry.record.retry?.group)).toEqual([undefined, 'ci']);
  });
});

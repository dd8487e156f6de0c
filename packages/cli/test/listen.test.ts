import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryConfig, requirePeers, scenarios, startRegistry } from '@regevents/registry-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';

const fixtureBody = (name: string) => readFile(new URL(`../../../fixtures/distribution/2.8.2/${name}.json`, import.meta.url));
let running: Background | undefined;

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
});

async function startListen(args: string[]): Promise<{ url: string; listen: Background }> {
  const listen = startRegevents(['listen', '--port', '0', ...args]);
  running = listen;
  const [, url] = await listen.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
  return { url: url as string, listen };
}

describe('regevents listen', () => {
  it('prints each event, demands the token, and stops cleanly on Ctrl-C', async () => {
    const { url, listen } = await startListen(['--token', 'dev-token']);
    const bodyBytes = new Uint8Array(await fixtureBody('copy-to-repository/003'));
    const send = (token: string) =>
      fetch(`${url}/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: bodyBytes });
    expect((await send('wrong')).status).toBe(401);
    expect((await send('dev-token')).status).toBe(200);
    expect((await send('dev-token')).status).toBe(200);
    await listen.waitFor(/\(redelivery\)/);
    const lines = listen.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/mount\s+blob other\/app@sha256:e2585dfb43f6 from demo\/app/);
    expect(lines[1]).toContain('(redelivery)');
    running = undefined;
    expect(await listen.interrupt()).toBe(0);
    expect(listen.stderr()).toContain('stopped');
  });

  it('acknowledges and reports an invalid payload', async () => {
    const { url, listen } = await startListen([]);
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[{"action":"push"}]}' });
    expect(response.status).toBe(200);
    await listen.waitFor(/invalid notification/);
    expect(listen.stderr()).toContain('events[0].id: is required');
  });

  it('rejects a bad --port with one line and exit 2', async () => {
    const bad = startRegevents(['listen', '--port', 'eighty']);
    expect(await new Promise((resolve) => bad.child.on('close', resolve))).toBe(2);
    expect(bad.stderr().trim()).toBe('regevents: --port must be a number from 0 to 65535, not "eighty"');
  });
});

const peers = requirePeers('docker-registry', 'skopeo');
describe.skipIf(!peers.available)(`regevents listen behind the real docker-registry ${peers.reason}`, () => {
  it('receives and records what skopeo pushes', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'regevents-listen-')), 'events.ndjson');
    const { url, listen } = await startListen(['--token', 'from-registry', '--out', out]);
    const registry = await startRegistry({
      config: (base) =>
        registryConfig({ ...base, notifications: { endpoints: [{ name: 'listen', url: `${url}/events`, headers: { Authorization: ['Bearer from-registry'] }, timeout: '2s', threshold: 3, backoff: '200ms' }] } }),
    });
    try {
      const push = scenarios.find((s) => s.name === 'push-by-tag');
      await push?.act({ host: registry.host, workDir: await mkdtemp(join(tmpdir(), 'regevents-push-')) });
      await listen.waitFor(/push\s+manifest demo\/app:1\.0/);
    } finally {
      await registry.stop();
    }
    const recorded = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(recorded.map((r) => [r.event.action, r.event.target.mediaType])).toEqual([
      ['push', 'application/octet-stream'],
      ['push', 'application/octet-stream'],
      ['push', 'application/vnd.oci.image.manifest.v1+json'],
    ]);
    expect(recorded.every((r) => r.redelivery === false)).toBe(true);
  });
});

describe('regevents listen prints nothing a sender wrote raw', () => {
  const hostile = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e';
  const body = async () => {
    const envelope = JSON.parse((await fixtureBody('push-by-tag/003')).toString('utf8'));
    envelope.events[0].actor = { name: hostile };
    envelope.events[0].request.addr = `10.0.0.1${hostile}`;
    return JSON.stringify(envelope);
  };
  const post = (url: string, text: string) => fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  const rawControls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

  it('escapes control characters and terminal escapes in pretty output, invalid payloads and unknown actions', async () => {
    const { url, listen } = await startListen([]);
    expect((await post(url, await body())).status).toBe(200);
    const invalid = JSON.parse(await body());
    invalid.events[0].target.annotations = { [hostile]: 5 };
    expect((await post(url, JSON.stringify(invalid))).status).toBe(200);
    const unknown = JSON.parse(await body());
    unknown.events[0].action = `x${hostile}`;
    expect((await post(url, JSON.stringify(unknown))).status).toBe(200);
    await listen.waitFor(/unknown action/);
    await listen.waitFor(/invalid notification[\s\S]*events\[0\]\.target\.annotations\[.*\]: must be a string/);
    const printed = listen.stdout() + listen.stderr();
    expect(printed).not.toMatch(rawControls);
    expect(printed).toContain('by \\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202e');
  });

  it('escapes them in --format json too, and the JSON still parses to what was sent', async () => {
    const { url, listen } = await startListen(['--format', 'json']);
    expect((await post(url, await body())).status).toBe(200);
    await listen.waitFor(/"receivedAt"/);
    expect(listen.stdout()).not.toMatch(rawControls);
    expect(JSON.parse(listen.stdout().trim()).event.actor.name).toBe(hostile);
  });

  it('never prints the --token it demands', async () => {
    const { listen } = await startListen(['--token', 'tok-3c1d9f']);
    await listen.waitFor(/Authorization/);
    expect(listen.stdout() + listen.stderr()).not.toContain('tok-3c1d9f');
  });
});

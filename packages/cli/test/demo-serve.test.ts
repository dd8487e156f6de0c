import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeBlocks, requirePeers, scenarios, SCENARIO_USER, skopeoCopy, writeHtpasswd } from '@regevents/registry-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';
import { regevents } from './cli.js';

let running: Background[] = [];
afterEach(async () => {
  await Promise.all(running.map((process) => process.interrupt()));
  running = [];
});

function background(args: string[]): Background {
  const started = startRegevents(args);
  running.push(started);
  return started;
}

describe('regevents demo', () => {
  it('--once pushes, pulls, copies and deletes, and every event reaches the receiver', async () => {
    const result = await regevents(['demo', '--once']);
    expect(result.code, result.stderr).toBe(0);
    const eventLines = result.stdout.split('\n').filter((line) => /^\s+\d\d:\d\d:\d\d\.\d{3} /.test(line));
    const actions = eventLines.map((line) => line.trim().split(/\s+/)[1]);
    expect(actions).toEqual(['push', 'push', 'push', 'push', 'pull', 'pull', 'pull', 'pull', 'pull', 'mount', 'mount', 'mount', 'push', 'pull', 'delete', 'delete']);
    expect(result.stdout).toMatch(/push\s+manifest demo\/app:1\.0/);
    expect(result.stdout).toMatch(/mount\s+blob demo\/app-copy@sha256:[0-9a-f]{12} from demo\/app/);
    expect(result.stdout).toMatch(/delete tag demo\/app:1\.0/);
    expect(result.stdout).toContain('16 events received by the webhook handler (16 emitted, 16 delivery attempts)');
  });

  it('--json prints the raw envelopes, which validate', async () => {
    const result = await regevents(['demo', '--once', '--json']);
    expect(result.code).toBe(0);
    const envelopes = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(envelopes).toHaveLength(16);
    const check = await regevents(['validate', '-', '--strict'], { stdin: JSON.stringify(envelopes[3]) });
    expect(check.code, check.stderr).toBe(0);
  });

  it('keeps serving until Ctrl-C, then exits 0, having printed what the repository README shows, whole', async () => {
    const demo = background(['demo']);
    await demo.waitFor(/Ctrl-C stops/);
    expect(demo.stdout()).toMatch(/still serving; try: skopeo copy --src-tls-verify=false docker:\/\/127\.0\.0\.1:\d+\/demo\/app-copy:1\.0 oci:/);
    running = [];
    expect(await demo.interrupt()).toBe(0);
    // Times and ports differ from run to run; every line, and its order, must not.
    const comparable = (text: string) => text.trim().split('\n').map((line) => line.replace(/\d\d:\d\d:\d\d\.\d{3}/, 'HH:MM:SS.mmm').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'));
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const shown = codeBlocks(readme).find((block) => block.lang === 'text' && block.code.startsWith('mock registry on '));
    expect(comparable(shown?.code ?? '')).toEqual(comparable(demo.stdout()));
  });
});

describe('regevents serve', () => {
  it('refuses a config with errors, naming them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regevents-serve-'));
    const config = join(dir, 'config.yml');
    await writeFile(config, 'notifications:\n  endpoints:\n    - name: a\n      url: ftp://x\n');
    const result = await regevents(['serve', '--config', config, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}:4:12 error invalid-url`);
    expect(result.stderr).toContain(`regevents: ${config} has errors; run \`regevents lint-config ${config}\``);
  });
});

const htpasswdPeer = requirePeers('htpasswd');
describe.skipIf(!htpasswdPeer.available)(`regevents serve --htpasswd ${htpasswdPeer.reason}`, () => {
  it('answers /debug/vars (endpoint headers) only to authenticated users, with header values redacted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regevents-serve-'));
    const htpasswd = join(dir, 'htpasswd');
    const config = join(dir, 'config.yml');
    await writeHtpasswd(htpasswd, { [SCENARIO_USER.name]: SCENARIO_USER.password });
    await writeFile(config, 'notifications:\n  endpoints:\n    - name: a\n      url: http://127.0.0.1:9/events\n      headers: { Authorization: [Bearer endpoint-secret] }\n');
    const serve = background(['serve', '--port', '0', '--htpasswd', htpasswd, '--config', config]);
    const [, url] = await serve.waitFor(/registry on (http:\/\/127\.0\.0\.1:\d+)/);
    const anonymous = await fetch(`${url}/debug/vars`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('endpoint-secret');
    const authorized = await fetch(`${url}/debug/vars`, { headers: { authorization: `Basic ${btoa(`${SCENARIO_USER.name}:${SCENARIO_USER.password}`)}` } });
    expect(authorized.status).toBe(200);
    const body = await authorized.text();
    expect(body).not.toContain('endpoint-secret');
    expect(JSON.parse(body).registry.notifications.endpoints[0].Headers).toEqual({ Authorization: ['<redacted>'] });
  });
});

const peers = requirePeers('skopeo', 'htpasswd');
describe.skipIf(!peers.available)(`regevents serve with skopeo ${peers.reason}`, () => {
  it('accepts an authenticated skopeo push and pull, logging requests, events and deliveries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regevents-serve-'));
    const htpasswd = join(dir, 'htpasswd');
    await writeHtpasswd(htpasswd, { [SCENARIO_USER.name]: SCENARIO_USER.password });
    const listen = background(['listen', '--port', '0', '--format', 'json', '--out', join(dir, 'events.ndjson')]);
    const [, listenUrl] = await listen.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    const serve = background(['serve', '--port', '0', '--htpasswd', htpasswd, '--notify', `${listenUrl}/events`, '--storage', join(dir, 'blobs')]);
    const [, host] = await serve.waitFor(/registry on http:\/\/(127\.0\.0\.1:\d+)/);
    const target = { host: host as string, workDir: dir };
    const push = scenarios.find((s) => s.name === 'push-authenticated');
    const pull = scenarios.find((s) => s.name === 'pull-by-tag');
    await push?.act(target);
    await expect(pull?.act(target)).rejects.toThrow(/unauthorized|authentication required/i);
    await skopeoCopy(`docker://${host}/demo/app:1.0`, `oci:${join(dir, 'pulled')}:1.0`, { srcCreds: `${SCENARIO_USER.name}:${SCENARIO_USER.password}` });
    await listen.waitFor(/"action":"pull"[^\n]*"action":"pull"|("action":"pull"[\s\S]*){3}/);
    expect(serve.stderr()).toMatch(/PUT \/v2\/demo\/app\/manifests\/1\.0 201/);
    expect(serve.stderr()).toMatch(/event push manifest demo\/app:1\.0 -> notify-1/);
    const recorded = (await readFile(join(dir, 'events.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line).event);
    expect(recorded.map((e) => [e.action, e.actor.name])).toEqual([
      ['push', 'alice'],
      ['push', 'alice'],
      ['push', 'alice'],
      ['pull', 'alice'],
      ['pull', 'alice'],
      ['pull', 'alice'],
    ]);
    expect(serve.stderr()).toMatch(/delivery notify-1 [0-9a-f]{8} 200/);
  });
});

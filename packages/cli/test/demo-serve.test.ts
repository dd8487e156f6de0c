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
  it('--once tells the story: coalesced pushes replicated to Success, reconcile recovering exactly the pushes made while the relay was down, retention removing the unpulled builds', async () => {
    const result = await regevents(['demo', '--once']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const matches = (pattern: RegExp) => lines.flatMap((line) => pattern.exec(line)?.slice(1, 2) ?? []);
    const pushedWhileDown = matches(/^push (\S+) while the relay is down$/);
    const images = matches(/^ {2}\S+ image\.pushed (\S+) /);
    const recovered = matches(/ image\.pushed (\S+) [0-9a-f]{12} \d+ blobs.* \(reconcile\)$/);
    expect(pushedWhileDown).toEqual(['demo/app:build-2', 'demo/app:build-3']);
    expect(recovered).toEqual(pushedWhileDown);
    expect(result.stdout).toMatch(/^stop the relay: its receiver and its consumers$/m);
    expect(result.stdout).toMatch(/^ {2}site A's \/debug\/vars showed [1-9]\d* events pending for the relay: lost with its queue; the new registry's queue starts empty$/m);
    expect(result.stdout).toContain('reconcile: 2 repositories, 5 tags, 2 pushed, 0 deleted');
    expect(result.stdout).toMatch(/image\.pushed demo\/multi:1\.0\.0 [0-9a-f]{12} 4 blobs linux\/amd64,linux\/arm64$/m);
    expect(images).toEqual(['demo/app:1.0.0', 'demo/app:build-1', 'demo/multi:1.0.0', ...pushedWhileDown]);
    for (const image of images) expect(matches(new RegExp(` replication copy ${image.replace(/[.]/g, '\\.')} to site-b: (\\w+)$`))).toEqual(['Pending', 'Running', 'Success']);
    const plan = lines.filter((line) => /^ {2}(keep|remove) /.test(line)).map((line) => line.trim().split(/\s{2,}/));
    expect(plan.filter(([action]) => action === 'remove').map(([, image, , , why]) => `${image} ${why}`)).toEqual([
      'demo/app:build-2 remove not pulled for 720h0m0s',
      'demo/app:build-3 remove not pulled for 720h0m0s',
    ]);
    expect(plan.find(([, image]) => image === 'demo/app:build-1')?.slice(2)).toEqual(['1', '-', 'keep last 1 by pulled']);
    expect(result.stdout).toContain('applied: 2 manifests deleted');
    expect(result.stdout).toMatch(/^5 images pushed \(2 while the relay was down\), 2 pulled, 5 image\.pushed events \(2 recovered by reconcile\), 5 of 5 replication jobs Success, 2 tags removed by retention/m);
  });

  it('--json prints one story record a line: the reconciled images are the pushes made while down, every job reaches Success', async () => {
    const result = await regevents(['demo', '--once', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const summary = records.find((record) => record.type === 'summary');
    const images = records.filter((record) => record.type === 'image.pushed');
    expect(images.filter((image) => image.reconciled).map((image) => `${image.repository}:${image.tag}`)).toEqual(summary.pushedWhileDown);
    expect(summary.pushedWhileDown).toHaveLength(2);
    const finals = new Map(records.filter((record) => record.type === 'replication.status').map((change) => [`${change.repository}:${change.tag}`, change.status]));
    expect([...finals.keys()]).toEqual(images.map((image) => `${image.repository}:${image.tag}`));
    expect(new Set(finals.values())).toEqual(new Set(['Success']));
    expect(records.find((record) => record.type === 'retention.plan').removed).toEqual(['demo/app:build-2', 'demo/app:build-3']);
    expect(records.find((record) => record.type === 'retention.apply').counts.deleted).toBe(2);
    expect(summary).toMatchObject({ jobs: 5, successes: 5, recovered: 2, removed: 2 });
    expect(result.stderr).toContain('restart site A: a new registry over the same storage, on the same address');
    // the old registry's counters named the events it held; the new one starts with none
    const restart = records.find((record) => record.type === 'registry.restart');
    expect(restart.lost).toBeGreaterThan(0);
    expect(restart.pendingAfter).toBe(0);
    expect(summary.lost).toBe(restart.lost);
  });

  it('keeps serving until Ctrl-C, then exits 0, having printed what the repository README shows, whole', async () => {
    const demo = background(['demo']);
    await demo.waitFor(/Ctrl-C stops/);
    expect(demo.stdout()).toMatch(/still serving; try: skopeo copy --src-tls-verify=false docker:\/\/127\.0\.0\.1:\d+\/demo\/multi:1\.0\.0 oci:/);
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

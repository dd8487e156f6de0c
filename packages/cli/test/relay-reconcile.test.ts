import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryClient } from '@regevents/registry-client';
import { buildImage, registryConfig, requirePeers, startRegistry, writeHtpasswd, type RunningRegistry } from '@regevents/registry-harness';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRedisLog, createRelay, RECONCILE_USER_AGENT } from '@regevents/relay';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runInProcess } from './cli.js';
import { useRedisServer } from './redis-server.js';

const peers = requirePeers('redis-server');

describe('regevents relay reconcile (no Redis needed)', () => {
  it('refuses a registry that is not a URL and a user without a password, without printing the credentials', async () => {
    const io = await runInProcess(['relay', 'reconcile', '--redis', 'redis://127.0.0.1:1', '--registry', 'nope']);
    expect(io.code).toBe(2);
    expect(io.stderr).toContain('--registry must be a URL');
    const creds = await runInProcess(['relay', 'reconcile', '--redis', 'redis://127.0.0.1:1', '--registry', 'http://127.0.0.1:1', '--creds', 'sekrit-no-colon']);
    expect(creds.code).toBe(2);
    expect(creds.stderr).toContain('--creds names only a user');
    expect(creds.stderr).not.toContain('sekrit');
  });

  it('refuses a --settle that is no whole number of seconds, 0 or more', async () => {
    for (const settle of ['-1', 'soon', '1.5']) {
      const io = await runInProcess(['relay', 'reconcile', '--redis', 'redis://127.0.0.1:1', '--registry', 'http://127.0.0.1:1', '--settle', settle]);
      expect(io.code).toBe(2);
      expect(io.stderr).toContain(`--settle must be a whole number from 0 to 86400, not "${settle}"`);
    }
  });
});

describe.skipIf(!peers.available)('regevents relay reconcile on a real redis-server and the mock registry', () => {
  const redis = useRedisServer();

  it('appends one event per tag the log never heard of, with its own User-Agent; a second run appends nothing; --repository alone', async () => {
    const registry = createMockRegistry();
    const server = await registry.serve();
    try {
      await registry.pushImage('team/api:1.0');
      await registry.pushImage('team/web:2.0');
      const args = ['relay', 'reconcile', '--redis', redis.url, '--stream', 'cli-reconcile', '--registry', server.url];
      const scoped = await runInProcess([...args, '--repository', 'team/web']);
      expect(scoped.code).toBe(0);
      expect(scoped.stdout).toEqual(['reconciled 1 repository, 1 tag: appended 1 pushed, 0 deleted']);
      const first = await runInProcess([...args, '--json']);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout[0] ?? '')).toMatchObject({ repositories: 2, tags: 2, pushed: 1, deleted: 0 });
      const second = await runInProcess(args);
      expect(second.code).toBe(0);
      expect(second.stdout).toEqual(['reconciled 2 repositories, 2 tags: appended 0 pushed, 0 deleted']);

      const relay = createRelay({ log: createRedisLog({ client: redis.client, stream: 'cli-reconcile' }), auth: { unauthenticated: true } });
      const repositories: string[] = [];
      for await (const entry of relay.replay({ from: 'beginning' })) if (entry.record.origin === 'reconcile') repositories.push(entry.record.repository);
      expect(repositories.sort()).toEqual(['team/api', 'team/web']);
      const heads = registry.events.filter((recorded) => recorded.event.action === 'pull');
      expect(heads.length).toBeGreaterThanOrEqual(3);
      expect(heads.every((recorded) => recorded.event.request.useragent === RECONCILE_USER_AGENT)).toBe(true);
    } finally {
      registry.close();
      await server.close();
    }
  });

  /** A registry that no longer lists team/api:2.0, and a log (`stream`) that heard both pushes from real events but not the delete; the reconcile command's arguments. */
  async function deletedSinceTheLastEvent(stream: string, registry: ReturnType<typeof createMockRegistry>): Promise<string[]> {
    const server = await registry.serve();
    onTestFinished(() => server.close());
    await registry.pushImage('team/api:1.0');
    await registry.pushImage('team/api:2.0', { seed: 2 });
    const relay = createRelay({ log: createRedisLog({ client: redis.client, stream }), auth: { unauthenticated: true } });
    for (const { body } of registry.events) {
      const request = new Request('http://127.0.0.1/events', { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body });
      expect((await relay.fetch(request)).status).toBe(200);
    }
    await registry.deleteImage('team/api:2.0');
    return ['relay', 'reconcile', '--redis', redis.url, '--stream', stream, '--registry', server.url];
  }

  it('names the tags a real event wrote within --settle as settling, and appends no delete for one the registry does not list yet', async () => {
    const registry = createMockRegistry();
    onTestFinished(() => registry.close());
    // ten minutes: however slow the machine, both runs start well within it
    const args = [...(await deletedSinceTheLastEvent('cli-reconcile-settle', registry)), '--settle', '600'];
    const io = await runInProcess(args);
    expect(io.code).toBe(0);
    expect(io.stdout).toEqual(['reconciled 1 repository, 1 tag: appended 0 pushed, 0 deleted, 1 settling']);
    const json = await runInProcess([...args, '--json']);
    expect(JSON.parse(json.stdout[0] ?? '')).toMatchObject({ pushed: 0, deleted: 0, settling: 1 });
  });

  it('with --settle 0, appends the delete of a tag a real event wrote moments ago at once', async () => {
    const registry = createMockRegistry();
    onTestFinished(() => registry.close());
    const io = await runInProcess([...(await deletedSinceTheLastEvent('cli-reconcile-settle-0', registry)), '--settle', '0']);
    expect(io.code).toBe(0);
    expect(io.stdout).toEqual(['reconciled 1 repository, 1 tag: appended 0 pushed, 1 deleted']);
  });
});

const authPeers = requirePeers('redis-server', 'docker-registry', 'htpasswd');

describe.skipIf(!authPeers.available)('regevents relay reconcile on docker-registry 2.8.2 with htpasswd auth', () => {
  const redis = useRedisServer();
  const password = 'reconcile-secret-pw';
  let registry: RunningRegistry;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-reconcile-auth-'));
    const htpasswdPath = join(dir, 'htpasswd');
    await writeHtpasswd(htpasswdPath, { ops: password });
    registry = await startRegistry({ config: (base) => registryConfig({ ...base, htpasswdPath }) });
    const image = buildImage({ seed: 41, layers: 1, layerBytes: 256 });
    const client = createRegistryClient({ baseUrl: registry.url, auth: { username: 'ops', password } });
    for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest) await client.pushBlob('team/api', bytes, { digest });
    await client.putManifest('team/api', '1.0', { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array });
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the registry with the credentials of --authfile, and exits 3 without the password showing when they are wrong', async () => {
    const args = ['relay', 'reconcile', '--redis', redis.url, '--stream', 'cli-reconcile-auth', '--registry', registry.url];
    const authfile = join(dir, 'auth.json');
    await writeFile(authfile, JSON.stringify({ auths: { [registry.host]: { auth: btoa(`ops:${password}`) } } }));
    const io = await runInProcess([...args, '--authfile', authfile]);
    expect(io.code).toBe(0);
    expect(io.stdout).toEqual(['reconciled 1 repository, 1 tag: appended 1 pushed, 0 deleted']);
    const wrong = await runInProcess([...args, '--creds', `ops:${password}-typo`]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('refused the credentials of user ops (401 UNAUTHORIZED)');
    expect(wrong.stderr).not.toContain(password);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { registryConfig, startTokenServer, writeHtpasswd, type RunningTokenServer } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, digestOf, RegistryError, type RegistryClient } from '../src/index.js';
import { collect, pushBuilt } from './images.js';
import { realRegistry, targetKinds, type Target } from './targets.js';

const PASSWORD = 'correct-horse-battery';
const USERS = { alice: PASSWORD, bob: 'bob-secret-pw' };

/** Every string a client or its errors could leak through. */
function leaks(error: unknown, client: RegistryClient): string {
  const e = error as Error;
  return [String(e), e.stack, JSON.stringify(e), inspect(e, { depth: 5 }), String(client), JSON.stringify(client), inspect(client, { depth: 5 })].join('\n');
}

describe.each(targetKinds.filter((kind) => kind.available))('basic auth with an htpasswd file: $name', (kind) => {
  let target: Target;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'client-htpasswd-'));
    const htpasswdPath = join(workDir, 'htpasswd');
    await writeHtpasswd(htpasswdPath, USERS);
    target =
      kind === realRegistry
        ? await kind.start({ realConfig: (base) => registryConfig({ ...base, htpasswdPath }) })
        : await kind.start({ auth: { type: 'basic', htpasswd: await readFile(htpasswdPath, 'utf8') } });
  });
  afterAll(async () => {
    await target?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('pushes, lists and reads with the right password', async () => {
    const client = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: PASSWORD } });
    await client.ping();
    const image = await pushBuilt(client, 'team/app', '1.0', { seed: 21 });
    expect((await client.getManifest('team/app', '1.0')).digest).toBe(image.root.digest);
    expect(await collect(client.catalog())).toContain('team/app');
  });

  it('answers 401 UNAUTHORIZED to a wrong password or none, and never shows the password', async () => {
    const wrong = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: `${PASSWORD}-wrong` } });
    const error = await wrong.getManifest('team/app', '1.0').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(leaks(error, wrong)).not.toContain(PASSWORD);
    expect(leaks(error, wrong)).not.toContain(btoa(`alice:${PASSWORD}-wrong`));
    await expect(createRegistryClient({ baseUrl: target.url }).ping()).rejects.toMatchObject({ status: 401 });
  });
});

describe.skipIf(!realRegistry.available)('the bearer token flow against docker-registry 2.8.2 with auth.token', () => {
  let tokens: RunningTokenServer;
  let target: Target;

  beforeAll(async () => {
    tokens = await startTokenServer({
      users: USERS,
      rules: [
        { repository: 'public/*', actions: ['pull'] },
        { repository: '*', actions: ['pull', 'push', 'delete'], users: ['alice'] },
        { repository: 'shared/*', actions: ['pull', 'push'], users: ['bob'] },
      ],
    });
    target = await realRegistry.start({ realConfig: (base) => ({ ...registryConfig(base), auth: tokens.registryAuth }) });
  });
  afterAll(async () => {
    await target?.stop();
    await tokens?.close();
  });

  it('finds the token flow by itself, caches one token per scope, and deletes with a delete scope', async () => {
    const alice = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: PASSWORD } });
    await alice.ping();
    const image = await pushBuilt(alice, 'public/app', '1.0', { seed: 31, layers: 2 });
    const before = tokens.requests.length;
    for (let i = 0; i < 3; i++) await alice.getManifest('public/app', '1.0');
    expect(tokens.requests.length - before).toBe(1);
    expect(tokens.requests.at(-1)).toMatchObject({ account: 'alice', scopes: ['repository:public/app:pull'] });
    expect(await collect(alice.catalog())).toContain('public/app');
    expect(tokens.requests.some((request) => request.scopes.includes('registry:catalog:*'))).toBe(true);
    await alice.deleteManifest('public/app', image.root.digest);
    expect(tokens.requests.at(-1)?.scopes).toEqual(['repository:public/app:delete']);
    await expect(alice.headManifest('public/app', image.root.digest)).resolves.toBeUndefined();
  });

  it('asks for both repositories in one token to mount (the scopes merged)', async () => {
    const alice = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: PASSWORD } });
    const bytes = new TextEncoder().encode('mounted through a merged scope');
    const digest = await digestOf(bytes);
    await alice.pushBlob('src/repo', bytes, { digest });
    expect(await alice.mountBlob('dst/repo', digest, 'src/repo')).toBe(true);
    expect(tokens.requests.map((request) => request.scopes.join(' '))).toContain('repository:dst/repo:pull,push repository:src/repo:pull');
  });

  it('lets anonymous clients pull public/* but not push, retrying with a fresh token exactly once', async () => {
    const alice = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: PASSWORD } });
    await pushBuilt(alice, 'public/lib', '2.0', { seed: 32 });
    const anonymous = createRegistryClient({ baseUrl: target.url });
    expect((await anonymous.getManifest('public/lib', '2.0')).mediaType).toContain('manifest');
    const before = tokens.requests.length;
    const error = await anonymous.pushBlob('public/lib', new Uint8Array([1, 2, 3])).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    // One token for the request, one refresh after the insufficient_scope 401, then the error: no loop.
    expect(tokens.requests.length - before).toBeLessThanOrEqual(2);
    expect(tokens.requests.slice(before).every((request) => request.account === undefined)).toBe(true);
  });

  it('keeps bob inside shared/* and never shows his password', async () => {
    const bob = createRegistryClient({ baseUrl: target.url, auth: { username: 'bob', password: USERS.bob } });
    await pushBuilt(bob, 'shared/tool', '1', { seed: 33 });
    const error = await pushBuilt(bob, 'private/tool', '1', { seed: 34 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401 });
    expect(leaks(error, bob)).not.toContain(USERS.bob);
  });

  it('fails clearly when the token server refuses the password', async () => {
    const wrong = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: 'not-it-at-all' } });
    const error = await wrong.getManifest('public/app', '1.0').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AuthenticationError', status: 401 });
    expect(leaks(error, wrong)).not.toContain('not-it-at-all');
  });
});

describe('the mock registry token flow with path-prefix rules', () => {
  let target: Target;
  const mock = targetKinds[1] as (typeof targetKinds)[number];

  beforeAll(async () => {
    target = await mock.start({
      auth: {
        type: 'bearer',
        users: USERS,
        rules: [
          { repository: 'public/*', actions: ['pull'] },
          { repository: 'public/*', actions: ['pull', 'push'], users: ['bob'] },
          { repository: 'private/*', actions: ['pull', 'push'], users: ['alice'] },
        ],
      },
    });
  });
  afterAll(() => target?.stop());

  it('a token for public/* cannot push to private/*', async () => {
    const bob = createRegistryClient({ baseUrl: target.url, auth: { username: 'bob', password: USERS.bob } });
    await pushBuilt(bob, 'public/app', '1', { seed: 41 });
    await expect(pushBuilt(bob, 'private/app', '1', { seed: 42 })).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const alice = createRegistryClient({ baseUrl: target.url, auth: { username: 'alice', password: PASSWORD } });
    await pushBuilt(alice, 'private/app', '1', { seed: 42 });
    expect(await collect(alice.tags('private/app'))).toEqual(['1']);
    const anonymous = createRegistryClient({ baseUrl: target.url });
    expect((await anonymous.getManifest('public/app', '1')).digest).toMatch(/^sha256:/);
    await expect(anonymous.getManifest('private/app', '1')).rejects.toMatchObject({ status: 401 });
  });
});

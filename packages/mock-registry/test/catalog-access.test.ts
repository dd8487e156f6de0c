import { describe, expect, it } from 'vitest';
import { createMockRegistry, digestOf } from '../src/index.js';

const BASE = 'http://registry.test';
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const rules = [
  { repository: 'public/*', actions: ['pull' as const] },
  { repository: '*', actions: ['*' as const], users: ['alice'] },
];

async function seed(registry: ReturnType<typeof createMockRegistry>, authorization: string): Promise<void> {
  for (const name of ['public/app', 'private/app', 'team/secret']) {
    await push(registry, name, authorization);
  }
}

/** A blob, which is what puts a repository into distribution's catalog (an index alone does not). */
async function push(registry: ReturnType<typeof createMockRegistry>, name: string, authorization: string): Promise<void> {
  const start = await registry.handle(new Request(`${BASE}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: { authorization } }));
  const put = await registry.handle(new Request(`${start.headers.get('location')}&digest=${digestOf(new Uint8Array(0))}`, { method: 'PUT', headers: { authorization } }));
  expect(put.status).toBe(201);
}

describe('/v2/_catalog lists only repositories the caller may pull', () => {
  it('with basic auth', async () => {
    const registry = createMockRegistry({ auth: { type: 'basic', users: { alice: 'a', bob: 'b' }, rules } });
    await seed(registry, basic('alice', 'a'));
    const asAlice = await registry.handle(new Request(`${BASE}/v2/_catalog`, { headers: { authorization: basic('alice', 'a') } }));
    expect(await asAlice.json()).toEqual({ repositories: ['private/app', 'public/app', 'team/secret'] });
    const asBob = await registry.handle(new Request(`${BASE}/v2/_catalog`, { headers: { authorization: basic('bob', 'b') } }));
    expect(await asBob.json()).toEqual({ repositories: ['public/app'] });
  });

  it('with bearer tokens', async () => {
    const registry = createMockRegistry({ auth: { type: 'bearer', users: { alice: 'a', bob: 'b' }, rules } });
    const tokenFor = async (credentials: string, scope: string) =>
      ((await (await registry.handle(new Request(`${BASE}/token?service=registry.test&scope=${encodeURIComponent(scope)}`, { headers: { authorization: credentials } }))).json()) as { token: string }).token;
    for (const name of ['public/app', 'private/app']) {
      const token = await tokenFor(basic('alice', 'a'), `repository:${name}:pull,push`);
      await push(registry, name, `Bearer ${token}`);
    }
    const bob = await tokenFor(basic('bob', 'b'), 'registry:catalog:*');
    const catalog = await registry.handle(new Request(`${BASE}/v2/_catalog`, { headers: { authorization: `Bearer ${bob}` } }));
    expect(catalog.status).toBe(200);
    expect(await catalog.json()).toEqual({ repositories: ['public/app'] });
  });
});

import { execFileSync } from 'node:child_process';
import { requirePeers } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '@regevents/registry-client';
import { createMockRegistry, digestOf } from '../src/index.js';

const BASE = 'http://registry.test';
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

async function token(registry: ReturnType<typeof createMockRegistry>, scope: string, credentials?: string): Promise<{ token: string; access: { actions: string[] }[] }> {
  const response = await registry.handle(new Request(`${BASE}/token?service=registry.test&scope=${encodeURIComponent(scope)}`, { headers: credentials ? { authorization: credentials } : {} }));
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; access: { actions: string[] }[] };
}

describe('bearer token flow with per-repository rules', () => {
  const registry = createMockRegistry({
    auth: {
      type: 'bearer',
      users: { alice: 'a-secret', bob: 'b-secret' },
      rules: [
        { repository: 'public/*', actions: ['pull'] },
        { repository: 'public/*', actions: ['*'], users: ['alice'] },
        { repository: 'private/*', actions: ['pull', 'push'], users: ['alice'] },
      ],
    },
  });

  it('challenges with realm, service and scope', async () => {
    const response = await registry.handle(new Request(`${BASE}/v2/private/app/manifests/1.0`));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="http://registry.test/token",service="registry.test",scope="repository:private/app:pull"');
    expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNAUTHORIZED');
  });

  it('grants anonymous pull from public/* only, and push only to named users', async () => {
    expect((await token(registry, 'repository:public/app:pull,push')).access[0]?.actions).toEqual(['pull']);
    expect((await token(registry, 'repository:private/app:pull')).access[0]?.actions).toEqual([]);
    expect((await token(registry, 'repository:private/app:pull,push', basic('bob', 'b-secret'))).access[0]?.actions).toEqual([]);
    expect((await token(registry, 'repository:private/app:pull,push', basic('alice', 'a-secret'))).access[0]?.actions).toEqual(['pull', 'push']);
    const wrong = await registry.handle(new Request(`${BASE}/token?scope=repository:private/app:pull`, { headers: { authorization: basic('alice', 'nope') } }));
    expect(wrong.status).toBe(401);
  });

  it('accepts a token for its scope, records the subject as actor, and rejects it elsewhere', async () => {
    const { token: granted } = await token(registry, 'repository:private/app:pull,push', basic('alice', 'a-secret'));
    const headers = { authorization: `Bearer ${granted}` };
    const start = await registry.handle(new Request(`${BASE}/v2/private/app/blobs/uploads/`, { method: 'POST', headers }));
    expect(start.status).toBe(202);
    const body = new TextEncoder().encode('x');
    const put = await registry.handle(new Request(`${start.headers.get('location')}&digest=${digestOf(body)}`, { method: 'PUT', body, headers }));
    expect(put.status).toBe(201);
    expect(registry.events.at(-1)?.event.actor).toEqual({ name: 'alice' });
    const elsewhere = await registry.handle(new Request(`${BASE}/v2/private/other/tags/list`, { headers }));
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('basic auth', () => {
  it('authenticates plain users and denies what the rules do not grant', async () => {
    const registry = createMockRegistry({ auth: { type: 'basic', realm: 'mock', users: { ci: 'pw' }, rules: [{ repository: 'ci/*', actions: ['*'], users: '*' }] } });
    const anonymous = await registry.handle(new Request(`${BASE}/v2/`));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="mock"');
    expect((await registry.handle(new Request(`${BASE}/v2/`, { headers: { authorization: basic('ci', 'pw') } }))).status).toBe(200);
    const denied = await registry.handle(new Request(`${BASE}/v2/other/app/tags/list`, { headers: { authorization: basic('ci', 'pw') } }));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('DENIED');
    await expect(registry.pushImage('demo/app:1.0')).rejects.toBeInstanceOf(RegistryError);
  });

  it.skipIf(!requirePeers('htpasswd').available)('verifies bcrypt htpasswd entries made by htpasswd -B', async () => {
    const htpasswd = execFileSync('htpasswd', ['-Bbn', 'alice', 'wonderland']).toString();
    const registry = createMockRegistry({ auth: { type: 'basic', htpasswd } });
    expect((await registry.handle(new Request(`${BASE}/v2/`, { headers: { authorization: basic('alice', 'wonderland') } }))).status).toBe(200);
    expect((await registry.handle(new Request(`${BASE}/v2/`, { headers: { authorization: basic('alice', 'wrong') } }))).status).toBe(401);
    expect(() => createMockRegistry({ auth: { type: 'basic', htpasswd: 'bob:{SHA}abc' } })).toThrow(/not bcrypt/);
  });
});

describe('client IP allowlist', () => {
  it('denies addresses outside the listed ranges with 403 DENIED', async () => {
    const registry = createMockRegistry({ allowedClients: ['10.0.0.0/8', '::1'], clientAddress: '10.1.2.3:5000' });
    expect((await registry.handle(new Request(`${BASE}/v2/`))).status).toBe(200);
    expect((await registry.handle(new Request(`${BASE}/v2/`), '192.168.1.9:4000')).status).toBe(403);
    expect((await registry.handle(new Request(`${BASE}/v2/`), '[::1]:4000')).status).toBe(200);
    expect(() => createMockRegistry({ allowedClients: ['not-an-ip'] })).toThrow(/not an IP/);
  });
});

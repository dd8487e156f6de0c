import { describe, expect, it } from 'vitest';
import type { NotificationsConfig } from '@regevents/config';
import { createMockRegistry } from '../src/node/index.js';

const BASE = 'http://registry.test';
const SECRET = 'Bearer s3cret-endpoint-token';
const notifications: NotificationsConfig = {
  events: { includeReferences: false },
  endpoints: [
    { name: 'app', disabled: false, url: 'http://app.test/events', headers: { Authorization: [SECRET] }, timeoutMs: 1000, threshold: 10, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] } },
  ],
};
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const get = (path: string, headers: HeadersInit = {}) => new Request(`${BASE}${path}`, { headers });

describe('/debug/vars', () => {
  it('is gated like the API: anonymous clients of a basic-auth registry get the 401 challenge', async () => {
    const registry = createMockRegistry({ notifications, auth: { type: 'basic', users: { alice: 'pw' } } });
    const anonymous = await registry.handle(get('/debug/vars'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="registry"');
    expect(await anonymous.text()).not.toContain('s3cret');
    expect((await registry.handle(get('/debug/vars', { authorization: basic('alice', 'wrong') }))).status).toBe(401);
    expect((await registry.handle(get('/debug/vars', { authorization: basic('alice', 'pw') }))).status).toBe(200);
    registry.close();
  });

  it('answers only allowed clients', async () => {
    const registry = createMockRegistry({ notifications, allowedClients: ['10.0.0.0/8'] });
    expect((await registry.handle(get('/debug/vars'), '192.0.2.1:4000')).status).toBe(403);
    expect((await registry.handle(get('/debug/vars'), '10.0.0.1:4000')).status).toBe(200);
    registry.close();
  });

  it('redacts endpoint header values unless asked to show them', async () => {
    const redacting = createMockRegistry({ notifications });
    const body = await (await redacting.handle(get('/debug/vars'))).text();
    expect(body).not.toContain('s3cret');
    expect(JSON.parse(body).registry.notifications.endpoints[0].Headers).toEqual({ Authorization: ['<redacted>'] });
    expect(redacting.debugVars().registry.notifications.endpoints[0]?.Headers).toEqual({ Authorization: ['<redacted>'] });
    const showing = createMockRegistry({ notifications, debugVars: { showHeaders: true } });
    expect((await (await showing.handle(get('/debug/vars'))).json()).registry.notifications.endpoints[0].Headers).toEqual({ Authorization: [SECRET] });
    redacting.close();
    showing.close();
  });

  it('moves to its own address with serve({ debug }), as http.debug.addr does', async () => {
    const registry = createMockRegistry({ notifications, auth: { type: 'basic', users: { alice: 'pw' } } });
    const served = await registry.serve({ debug: { port: 0 } });
    try {
      const onApi = await fetch(`${served.url}/debug/vars`, { headers: { authorization: basic('alice', 'pw') } });
      expect(onApi.status).toBe(404);
      expect(await onApi.text()).toBe('404 page not found\n');
      expect(served.debugUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/debug\/vars$/);
      expect(served.debugUrl).not.toBe(`${served.url}/debug/vars`);
      expect((await fetch(served.debugUrl as string)).status).toBe(401);
      const vars = await fetch(served.debugUrl as string, { headers: { authorization: basic('alice', 'pw') } });
      expect((await vars.json()).registry.notifications.endpoints[0].name).toBe('app');
      expect((await fetch(`${served.debugUrl?.replace('/debug/vars', '')}/v2/`, { headers: { authorization: basic('alice', 'pw') } })).status).toBe(404);
    } finally {
      await served.close();
      registry.close();
    }
  });
});

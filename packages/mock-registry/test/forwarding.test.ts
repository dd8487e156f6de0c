import { describe, expect, it } from 'vitest';
import { createImage, createMockRegistry } from '../src/index.js';

const BASE = 'http://registry.test';
const get = (path: string, headers: HeadersInit = {}) => new Request(`${BASE}${path}`, { headers });

describe('forwarding headers are believed only from trusted proxies', () => {
  it('X-Forwarded-For and X-Real-Ip from an untrusted peer do not get past allowedClients', async () => {
    const registry = createMockRegistry({ allowedClients: ['10.0.0.0/8'] });
    expect((await registry.handle(get('/v2/', { 'x-forwarded-for': '10.0.0.1' }), '192.0.2.1:4000')).status).toBe(403);
    expect((await registry.handle(get('/v2/', { 'x-real-ip': '10.0.0.1' }), '192.0.2.1:4000')).status).toBe(403);
    expect((await registry.handle(get('/v2/'), '10.0.0.1:4000')).status).toBe(200);
  });

  it('a trusted proxy names the client, read right to left', async () => {
    const registry = createMockRegistry({ allowedClients: ['10.0.0.0/8'], trustedProxies: ['127.0.0.1'] });
    expect((await registry.handle(get('/v2/', { 'x-forwarded-for': '10.0.0.1' }), '127.0.0.1:4000')).status).toBe(200);
    expect((await registry.handle(get('/v2/', { 'x-real-ip': '10.0.0.1' }), '127.0.0.1:4000')).status).toBe(200);
    expect((await registry.handle(get('/v2/', { 'x-forwarded-for': '10.0.0.1, 192.0.2.9' }), '127.0.0.1:4000')).status).toBe(403);
    expect((await registry.handle(get('/v2/'), '127.0.0.1:4000')).status).toBe(403);
  });

  it('X-Forwarded-Host/-Proto from an untrusted peer change neither Location nor target.url', async () => {
    const registry = createMockRegistry();
    const forged = { 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' };
    const upload = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST', headers: forged }), '192.0.2.1:4000');
    expect(upload.headers.get('location')).toMatch(/^http:\/\/registry\.test\/v2\/demo\/app\/blobs\/uploads\//);
    const image = await createImage({ layers: 0 });
    await registry.pushImage('demo/app:1', image);
    await registry.handle(get(`/v2/demo/app/manifests/1`, { ...forged, accept: image.manifest.mediaType }), '192.0.2.1:4000');
    expect(registry.events.at(-1)?.event.target.url).toBe(`http://registry.test/v2/demo/app/manifests/${image.manifest.digest}`);
  });

  it('X-Forwarded-Host/-Proto from a trusted proxy are the base of Location and target.url', async () => {
    const registry = createMockRegistry({ trustedProxies: ['127.0.0.0/8'] });
    const forwarded = { 'x-forwarded-host': 'registry.example', 'x-forwarded-proto': 'https' };
    const upload = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST', headers: forwarded }), '127.0.0.1:4000');
    expect(upload.headers.get('location')).toMatch(/^https:\/\/registry\.example\/v2\/demo\/app\/blobs\/uploads\//);
    const image = await createImage({ layers: 0 });
    await registry.pushImage('demo/app:1', image);
    await registry.handle(get(`/v2/demo/app/manifests/1`, { ...forwarded, accept: image.manifest.mediaType }), '127.0.0.1:4000');
    expect(registry.events.at(-1)?.event.target.url).toBe(`https://registry.example/v2/demo/app/manifests/${image.manifest.digest}`);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImage, createInstantClock, createMockRegistry, digestOf, pseudoRandomBytes } from '../src/index.js';
import { FileSystemStorage } from '../src/node/index.js';

const BASE = 'http://registry.test';
const req = (method: string, path: string, init: RequestInit = {}) => new Request(path.startsWith('http') ? path : `${BASE}${path}`, { method, ...init });

describe('registry API', () => {
  it('assembles a chunked upload (PATCH with Content-Range) and serves byte ranges', async () => {
    const registry = createMockRegistry({ flavor: 'oci-1.1' });
    const bytes = pseudoRandomBytes(7, 10_000);
    const start = await registry.handle(req('POST', '/v2/team/tools/app/blobs/uploads/'));
    expect(start.status).toBe(202);
    expect(start.headers.get('range')).toBe('0-0');
    let location = start.headers.get('location') as string;
    for (let offset = 0; offset < bytes.length; offset += 4096) {
      const chunk = bytes.subarray(offset, offset + 4096);
      const patch = await registry.handle(req('PATCH', location, { body: chunk as BodyInit, headers: { 'content-range': `${offset}-${offset + chunk.length - 1}` } }));
      expect(patch.status).toBe(202);
      expect(patch.headers.get('range')).toBe(`0-${offset + chunk.length - 1}`);
      location = patch.headers.get('location') as string;
    }
    const outOfOrder = await registry.handle(req('PATCH', location, { body: new Uint8Array(1), headers: { 'content-range': '0-0' } }));
    expect(outOfOrder.status).toBe(416);
    const digest = digestOf(bytes);
    const put = await registry.handle(req('PUT', `${location}&digest=${digest}`));
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(digest);
    const ranged = await registry.handle(req('GET', `/v2/team/tools/app/blobs/${digest}`, { headers: { range: 'bytes=4090-4105' } }));
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 4090-4105/10000');
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(bytes.subarray(4090, 4106));
    const whole = await registry.handle(req('GET', `/v2/team/tools/app/blobs/${digest}`));
    expect(digestOf(new Uint8Array(await whole.arrayBuffer()))).toBe(digest);
    expect(registry.events.map((e) => [e.event.action, e.event.request.method])).toEqual([['push', 'PUT'], ['pull', 'GET'], ['pull', 'GET']]);
  });

  it('accepts a monolithic POST ?digest= upload in the oci-1.1 flavor; distribution starts an upload and ignores the body', async () => {
    const body = new TextEncoder().encode('monolithic');
    const oci = createMockRegistry({ flavor: 'oci-1.1' });
    const response = await oci.handle(req('POST', `/v2/demo/app/blobs/uploads/?digest=${digestOf(body)}`, { body }));
    expect(response.status).toBe(201);
    expect((await oci.handle(req('HEAD', `/v2/demo/app/blobs/${digestOf(body)}`))).headers.get('content-length')).toBe('10');
    for (const flavor of ['distribution-2.8', 'distribution-3'] as const) {
      const registry = createMockRegistry({ flavor });
      const started = await registry.handle(req('POST', `/v2/demo/app/blobs/uploads/?digest=${digestOf(body)}`, { body }));
      expect([started.status, started.headers.get('range')]).toEqual([202, '0-0']);
      expect((await registry.handle(req('HEAD', `/v2/demo/app/blobs/${digestOf(body)}`))).status).toBe(404);
    }
  });

  it('appends a PATCH whose Content-Range does not match the offset in distribution-2.8, and answers 416 RANGE_INVALID in distribution-3', async () => {
    for (const [flavor, status] of [['distribution-2.8', 202], ['distribution-3', 416]] as const) {
      const registry = createMockRegistry({ flavor });
      const start = await registry.handle(req('POST', '/v2/demo/app/blobs/uploads/'));
      const patch = await registry.handle(req('PATCH', start.headers.get('location') as string, { body: new Uint8Array(5), headers: { 'content-range': '10-14' } }));
      expect(patch.status).toBe(status);
    }
  });

  it('pages the catalog with n, last and Link; distribution-3 pages tags too, 2.8 ignores n and last there', async () => {
    const registry = createMockRegistry({ flavor: 'distribution-3' });
    for (const name of ['c/one', 'a/one', 'b/one']) await registry.pushImage(`${name}:1`, { layers: 0 });
    for (const tag of ['3', '2']) await registry.pushImage(`a/one:${tag}`, { layers: 0 });
    const first = await registry.handle(req('GET', '/v2/_catalog?n=2'));
    expect(await first.json()).toEqual({ repositories: ['a/one', 'b/one'] });
    expect(first.headers.get('link')).toBe('</v2/_catalog?last=b%2Fone&n=2>; rel="next"');
    const second = await registry.handle(req('GET', '/v2/_catalog?n=2&last=b%2Fone'));
    expect(await second.json()).toEqual({ repositories: ['c/one'] });
    expect(second.headers.get('link')).toBeNull();
    const tags = await registry.handle(req('GET', '/v2/a/one/tags/list?n=1&last=1'));
    expect(await tags.json()).toEqual({ name: 'a/one', tags: ['2'] });
    expect(tags.headers.get('link')).toBe('</v2/a/one/tags/list?last=2&n=1>; rel="next"');
    expect((await registry.handle(req('GET', '/v2/a/one/tags/list?n=-1'))).status).toBe(400);
    expect((await registry.handle(req('GET', '/v2/_catalog?n=1001'))).status).toBe(400);
    const old = createMockRegistry();
    for (const tag of ['3', '2', '1']) await old.pushImage(`a/one:${tag}`, { layers: 0 });
    const all = await old.handle(req('GET', '/v2/a/one/tags/list?n=1&last=1'));
    expect(((await all.json()) as { tags: string[] }).tags.sort()).toEqual(['1', '2', '3']);
    expect(all.headers.get('link')).toBeNull();
    expect((await old.handle(req('GET', '/v2/a/one/tags/list?n=-1'))).status).toBe(200);
  });

  it('has no referrers API in distribution-2.8 (an unknown route)', async () => {
    const registry = createMockRegistry();
    const image = await registry.pushImage('demo/app:1.0', { layers: 0 });
    const referrers = await registry.handle(req('GET', `/v2/demo/app/referrers/${image.manifest.digest}`));
    expect([referrers.status, referrers.headers.get('content-type'), await referrers.text()]).toEqual([404, 'text/plain; charset=utf-8', '404 page not found\n']);
  });

  it('answers the referrers API with manifests whose subject is the digest (oci-1.1)', async () => {
    const registry = createMockRegistry({ flavor: 'oci-1.1' });
    const image = await registry.pushImage('demo/app:1.0', { layers: 0 });
    const subject = { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.size };
    const signature = await createImage({ layers: 1, seed: 9, subject, artifactType: 'application/vnd.example.signature' });
    const put = await registry.handle(req('PUT', `/v2/demo/app/manifests/${signature.manifest.digest}`, { body: signature.manifest.bytes as BodyInit, headers: { 'content-type': signature.manifest.mediaType } }));
    expect(put.status).toBe(400); // its layer is not in the repository yet
    await registry.pushImage(`demo/app@${signature.manifest.digest}`, signature);
    const referrers = await registry.handle(req('GET', `/v2/demo/app/referrers/${image.manifest.digest}`));
    expect(referrers.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    const index = (await referrers.json()) as { manifests: { digest: string; artifactType?: string }[] };
    expect(index.manifests).toEqual([expect.objectContaining({ digest: signature.manifest.digest, artifactType: 'application/vnd.example.signature' })]);
    const filtered = await registry.handle(req('GET', `/v2/demo/app/referrers/${image.manifest.digest}?artifactType=other`));
    expect(((await filtered.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
  });

  it('copies with mounts and deletes with one delete per tag, as skopeo does', async () => {
    const registry = createMockRegistry();
    await registry.pushImage('demo/app:1.0', { layers: 2 });
    await registry.pushImage('demo/app:latest', await createImage({ layers: 2 }));
    const before = registry.events.length;
    await registry.copyImage('demo/app:1.0', 'other/app:1.0');
    const copy = registry.events.slice(before).map(({ event }) => event.action);
    expect(copy).toEqual(['pull', 'mount', 'mount', 'mount', 'push']);
    const mark = registry.events.length;
    await registry.deleteImage('demo/app:1.0');
    const deletes = registry.events.slice(mark).map(({ event }) => [event.action, (event.target as { tag?: string }).tag]);
    expect(deletes).toEqual([['pull', '1.0'], ['delete', undefined], ['delete', '1.0'], ['delete', 'latest']]);
    expect((await registry.handle(req('GET', '/v2/demo/app/manifests/1.0'))).status).toBe(404);
  });

  it('counts HEAD as a pull and sends nothing for a 304', async () => {
    const registry = createMockRegistry();
    const image = await registry.pushImage('demo/app:1.0', { layers: 0 });
    const mark = registry.events.length;
    const head = await registry.handle(req('HEAD', '/v2/demo/app/manifests/1.0', { headers: { accept: image.manifest.mediaType } }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const cached = await registry.handle(req('GET', '/v2/demo/app/manifests/1.0', { headers: { accept: image.manifest.mediaType, 'if-none-match': `"${image.manifest.digest}"` } }));
    expect(cached.status).toBe(304);
    expect(registry.events.slice(mark).map(({ event }) => [event.action, event.request.method])).toEqual([['pull', 'HEAD']]);
  });

  it('imitates distribution 3: v2 media type, UUIDv7 ids, tag DELETE with empty descriptor fields', async () => {
    const registry = createMockRegistry({ flavor: 'distribution-3' });
    await registry.pushImage('demo/app:1.0', { layers: 0 });
    const untag = await registry.handle(req('DELETE', '/v2/demo/app/manifests/1.0'));
    expect(untag.status).toBe(202);
    const last = registry.events.at(-1);
    expect(last?.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(last?.body).toContain('"target": {\n            "mediaType": "",\n            "digest": "",\n            "size": 0,\n            "repository": "demo/app",\n            "tag": "1.0"\n         }');
    const push = registry.events[0]?.event.target as unknown as Record<string, unknown>;
    expect(Object.keys(push).slice(0, 3)).toEqual(['mediaType', 'digest', 'size']);
  });

  it('gives byte-identical bodies in deterministic mode', async () => {
    const run = async () => {
      const registry = createMockRegistry({ ids: 'deterministic', clock: createInstantClock(Date.UTC(2025, 5, 1, 12)) });
      await registry.pushImage('demo/app:1.0', { layers: 1, seed: 4 });
      return registry.events.map((e) => e.body);
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(JSON.parse(a[0] as string).events[0].id).toMatch(/^00000000-0000-4000-8000-0000000000[0-9a-f]{2}$/);
    expect(JSON.parse(a[0] as string).events[0].timestamp).toBe('2025-06-01T12:00:00Z');
  });

  it('injects registry faults: 429 with Retry-After, then recovers; latency on the clock', async () => {
    const clock = createInstantClock(0);
    const registry = createMockRegistry({ clock });
    registry.failRequests({ status: 429, retryAfter: 3, times: 1, match: { method: 'POST', path: '/blobs/uploads/' } });
    const limited = await registry.handle(req('POST', '/v2/demo/app/blobs/uploads/'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(((await limited.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('TOOMANYREQUESTS');
    expect((await registry.handle(req('POST', '/v2/demo/app/blobs/uploads/'))).status).toBe(202);
    registry.failRequests({ latencyMs: 250, times: 1 });
    await registry.handle(req('GET', '/v2/'));
    expect(clock.now()).toBe(250);
  });

  it('stores blobs on disk with the filesystem driver', async () => {
    const root = await mkdtemp(join(tmpdir(), 'regevents-fs-'));
    try {
      const registry = createMockRegistry({ storage: new FileSystemStorage(root) });
      const pushed = await registry.pushImage('demo/app:1.0', { layers: 2 });
      const pulled = await registry.pullImage('demo/app:1.0');
      expect(pulled.manifest.digest).toBe(pushed.manifest.digest);
      expect(pulled.blobs.map((b) => digestOf(b.bytes))).toEqual(pulled.blobs.map((b) => b.digest));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('answers a plain 404 quickly for paths no route matches (no regex backtracking)', async () => {
    const registry = createMockRegistry();
    const name = `${'a-'.repeat(40)}/${'b'.repeat(60)}!`;
    const response = await registry.handle(req('GET', `/v2/${name}/tags/list`));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('404 page not found\n');
  });
});

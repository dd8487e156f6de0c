import { describe, expect, it } from 'vitest';
import { createImage, createMockRegistry, digestOf, FLAVORS } from '../src/index.js';

const BASE = 'http://registry.test';
const req = (method: string, path: string, init: RequestInit = {}) => new Request(path.startsWith('http') ? path : `${BASE}${path}`, { method, ...init });

describe('what each flavor does differently (FLAVORS)', () => {
  it('distribution-3 as its v3.1.1 source: JSON without charset, a bad catalog n is 400, tag DELETE, stale _state is 416 RANGE_INVALID, no referrers', async () => {
    const registry = createMockRegistry({ flavor: 'distribution-3' });
    const image = await registry.pushImage('demo/app:1.0', { layers: 0 });
    expect((await registry.handle(req('GET', '/v2/'))).headers.get('content-type')).toBe('application/json');
    const badN = await registry.handle(req('GET', '/v2/_catalog?n=abc'));
    expect([badN.status, badN.headers.get('content-type'), (await badN.json()).errors[0]]).toEqual([400, 'application/json', { code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested', detail: { n: 'abc' } }]);
    expect((await registry.handle(req('DELETE', '/v2/demo/app/manifests/1.0'))).status).toBe(202);
    expect(await (await registry.handle(req('GET', '/v2/demo/app/tags/list'))).json()).toEqual({ name: 'demo/app', tags: null });
    const start = await registry.handle(req('POST', '/v2/demo/app/blobs/uploads/'));
    const stale = start.headers.get('location') as string;
    await registry.handle(req('PATCH', stale, { body: new Uint8Array(3) }));
    const answer = await registry.handle(req('GET', stale));
    expect([answer.status, (await answer.json()).errors[0].code]).toEqual([416, 'RANGE_INVALID']);
    expect((await registry.handle(req('GET', `/v2/demo/app/referrers/${image.manifest.digest}`))).status).toBe(404);
  });

  it('oci-1.1 answers OCI-Subject and keeps no client-side upload state; the distribution flavors send no OCI-Subject', async () => {
    for (const [flavor, subjectHeader] of [['oci-1.1', true], ['distribution-3', false], ['distribution-2.8', false]] as const) {
      const registry = createMockRegistry({ flavor });
      const image = await registry.pushImage('demo/app:1.0', { layers: 0 });
      const subject = { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.size };
      const signature = await createImage({ layers: 0, seed: 3, subject, artifactType: 'application/vnd.example.signature' });
      await registry.pushImage(`demo/app@${signature.manifest.digest}`, signature);
      const put = await registry.handle(req('PUT', `/v2/demo/app/manifests/${signature.manifest.digest}`, { body: signature.manifest.bytes as BodyInit, headers: { 'content-type': signature.manifest.mediaType } }));
      expect(put.status).toBe(201);
      expect(put.headers.get('oci-subject')).toBe(subjectHeader ? image.manifest.digest : null);
      expect(FLAVORS[flavor].manifests.ociSubject).toBe(subjectHeader);
    }
    const oci = createMockRegistry({ flavor: 'oci-1.1' });
    const start = await oci.handle(req('POST', '/v2/demo/app/blobs/uploads/'));
    const stale = start.headers.get('location') as string;
    await oci.handle(req('PATCH', stale, { body: new Uint8Array(3) }));
    const status = await oci.handle(req('GET', stale));
    expect([status.status, status.headers.get('range')]).toEqual([204, '0-2']);
    const put = await oci.handle(req('PUT', `${stale}&digest=${digestOf(new Uint8Array(3))}`));
    expect(put.status).toBe(201);
  });

  it('refuses an unknown flavor', () => {
    expect(() => createMockRegistry({ flavor: 'zot' as never })).toThrow(/flavor must be one of distribution-2.8, distribution-3, oci-1.1/);
  });
});

import { requirePeers, startRegistry } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../src/index.js';
import { createMockRegistry } from '../src/node/index.js';

const peers = requirePeers('docker-registry');
const encoder = new TextEncoder();
const BLOB = encoder.encode('hello world');
const BLOB_DIGEST = digestOf(BLOB);
const ABSENT = digestOf(encoder.encode('absent'));
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const manifestFor = (digest: string) => JSON.stringify({ schemaVersion: 2, mediaType: OCI, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: 11 }, layers: [] });
const MANIFEST = manifestFor(BLOB_DIGEST);

interface Probe {
  name: string;
  method: string;
  path: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Path of an upload started first; the probe's path is appended to its Location. */
  afterUploadStart?: boolean;
}

/** Requests a client gets wrong, answered identically by a correct mock: status and error body. */
const probes: Probe[] = [
  { name: 'unknown tag', method: 'GET', path: '/v2/demo/app/manifests/nope', headers: { accept: OCI } },
  { name: 'unknown manifest digest', method: 'GET', path: `/v2/demo/app/manifests/${ABSENT}`, headers: { accept: OCI } },
  { name: 'OCI manifest without Accept', method: 'GET', path: '/v2/demo/app/manifests/1.0' },
  { name: 'unknown blob', method: 'GET', path: `/v2/demo/app/blobs/${ABSENT}` },
  { name: 'malformed digest', method: 'GET', path: '/v2/demo/app/blobs/sha256:zz' },
  { name: 'unknown repository tags', method: 'GET', path: '/v2/nobody/here/tags/list' },
  { name: 'manifest with missing blob', method: 'PUT', path: '/v2/demo/app/manifests/x', body: manifestFor(ABSENT), headers: { 'content-type': OCI } },
  { name: 'manifest under the wrong digest', method: 'PUT', path: `/v2/demo/app/manifests/${ABSENT}`, body: MANIFEST, headers: { 'content-type': OCI } },
  { name: 'manifest with unknown content type', method: 'PUT', path: '/v2/demo/app/manifests/y', body: MANIFEST, headers: { 'content-type': 'text/plain' } },
  { name: 'manifest that is not JSON', method: 'PUT', path: '/v2/demo/app/manifests/z', body: '{not json', headers: { 'content-type': OCI } },
  { name: 'delete by tag (2.8)', method: 'DELETE', path: '/v2/demo/app/manifests/1.0' },
  { name: 'delete unknown blob', method: 'DELETE', path: `/v2/demo/app/blobs/${ABSENT}` },
  { name: 'delete unknown manifest', method: 'DELETE', path: `/v2/demo/app/manifests/${ABSENT}` },
  { name: 'upload committed under a wrong digest', method: 'PUT', path: `&digest=${ABSENT}`, body: BLOB, afterUploadStart: true },
  { name: 'upload committed without digest', method: 'PUT', path: '', body: BLOB, afterUploadStart: true },
  { name: 'invalid repository name', method: 'GET', path: '/v2/Demo/App/tags/list' },
  { name: 'unknown route', method: 'GET', path: '/v2/demo/app/whatever/x' },
];

async function seed(url: string): Promise<void> {
  const start = await fetch(`${url}/v2/demo/app/blobs/uploads/`, { method: 'POST' });
  const put = await fetch(`${start.headers.get('location')}&digest=${BLOB_DIGEST}`, { method: 'PUT', body: BLOB });
  if (put.status !== 201) throw new Error(`seed upload: ${put.status}`);
  const manifest = await fetch(`${url}/v2/demo/app/manifests/1.0`, { method: 'PUT', body: MANIFEST, headers: { 'content-type': OCI } });
  if (manifest.status !== 201) throw new Error(`seed manifest: ${manifest.status}`);
}

async function answer(url: string, probe: Probe): Promise<{ status: number; contentType: string | null; codes: string[] }> {
  let target = `${url}${probe.path}`;
  if (probe.afterUploadStart) {
    const start = await fetch(`${url}/v2/demo/app/blobs/uploads/`, { method: 'POST' });
    const location = start.headers.get('location') as string;
    target = `${location}${location.includes('?') ? '' : '?'}${probe.path}`;
  }
  const response = await fetch(target, { method: probe.method, body: probe.body as BodyInit | undefined, headers: probe.headers });
  const text = await response.text();
  const codes = response.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as { errors: { code: string }[] }).errors.map((e) => e.code) : [];
  return { status: response.status, contentType: response.headers.get('content-type'), codes };
}

describe.skipIf(!peers.available)('error answers: the mock against docker-registry 2.8', () => {
  let real: Awaited<ReturnType<typeof startRegistry>>;
  const mock = createMockRegistry();
  let mockUrl = '';
  let closeMock = async () => {};

  beforeAll(async () => {
    real = await startRegistry();
    const served = await mock.serve();
    mockUrl = served.url;
    closeMock = served.close;
    await seed(real.url);
    await seed(mockUrl);
  });
  afterAll(async () => {
    await real?.stop();
    await closeMock();
  });

  for (const probe of probes) {
    it(probe.name, async () => {
      const expected = await answer(real.url, probe);
      expect(expected.status).toBeGreaterThanOrEqual(400);
      expect(await answer(mockUrl, probe)).toEqual(expected);
    });
  }

  it('a blob committed under a wrong digest is not stored', async () => {
    const start = await fetch(`${mockUrl}/v2/demo/app/blobs/uploads/`, { method: 'POST' });
    const wrong = digestOf(encoder.encode('something else'));
    const put = await fetch(`${start.headers.get('location')}&digest=${wrong}`, { method: 'PUT', body: encoder.encode('payload') });
    expect(put.status).toBe(400);
    expect((await fetch(`${mockUrl}/v2/demo/app/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(`${mockUrl}/v2/demo/app/blobs/${digestOf(encoder.encode('payload'))}`, { method: 'HEAD' })).status).toBe(404);
  });
});

import { createHash } from 'node:crypto';
import { OCI_IMAGE_MANIFEST } from '@regevents/types';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  createRegistryClient,
  digestOf,
  IntegrityError,
  LimitError,
  ManifestError,
  RegistryClientError,
  RegistryError,
  TimeoutError,
} from '../src/index.js';
import { createRegistryClient as createNodeRegistryClient } from '../src/node/index.js';
import { retryPauseMs } from '../src/sleep.js';
import { collect, streamOf, streamText } from './images.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_IMAGE_MANIFEST, config: { mediaType: 'x', digest: `sha256:${'0'.repeat(64)}`, size: 1 }, layers: [] }));
const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

// Every case runs with the main entry (global fetch) and the node entry (node:http): both must fail the same clear way.
let create = createRegistryClient;

async function serve(handle: Parameters<typeof startHostileServer>[0], options: Partial<Parameters<typeof createRegistryClient>[0]> = {}) {
  server = await startHostileServer(handle);
  return { client: create({ baseUrl: server.url, ...options }), server };
}

for (const [entry, factory] of [['main entry', createRegistryClient], ['node entry', createNodeRegistryClient]] as const) describe(entry, () => {
  beforeAll(() => {
    create = factory;
  });

  describe('wrong digests', () => {
    it('refuses a manifest whose bytes are not the digest asked for', async () => {
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Type': OCI_IMAGE_MANIFEST }).end(manifestBytes));
      const asked = `sha256:${'a'.repeat(64)}`;
      await expect(client.getManifest('app', asked)).rejects.toMatchObject({ name: 'IntegrityError', expected: asked, actual: sha(manifestBytes) });
    });

    it('refuses a manifest fetched by tag whose Docker-Content-Digest disagrees with its bytes', async () => {
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Type': OCI_IMAGE_MANIFEST, 'Docker-Content-Digest': `sha256:${'b'.repeat(64)}` }).end(manifestBytes));
      await expect(client.getManifest('app', 'latest')).rejects.toBeInstanceOf(IntegrityError);
    });

    it('errors a blob stream whose bytes hash to another digest', async () => {
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Length': '5' }).end('hello'));
      const blob = await client.getBlob('app', await digestOf(new TextEncoder().encode('HELLO')));
      await expect(streamText(blob.body)).rejects.toMatchObject({ name: 'IntegrityError' });
    });

    it('refuses schema 1 and bodies that are not JSON', async () => {
      const { client } = await serve((req, res) => {
        if (req.url?.endsWith('/old')) res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }).end('{"schemaVersion":1}');
        else res.writeHead(200, { 'Content-Type': OCI_IMAGE_MANIFEST }).end('<html>');
      });
      await expect(client.getManifest('app', 'old')).rejects.toThrow(/schema 1/);
      await expect(client.getManifest('app', 'html')).rejects.toBeInstanceOf(ManifestError);
    });
  });

  describe('truncated bodies', () => {
    it('errors a blob whose connection closes before Content-Length bytes', async () => {
      const bytes = new Uint8Array(100_000).fill(7);
      const { client } = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Length': String(bytes.byteLength) });
        res.write(bytes.subarray(0, 40_000), () => res.destroy());
      });
      const blob = await client.getBlob('app', await digestOf(bytes));
      const error = await streamText(blob.body).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RegistryClientError);
      expect(String(error)).toMatch(/connection broke|truncated/);
    });

    it('errors a chunked blob that ends early, against the descriptor size', async () => {
      const bytes = new Uint8Array(1000).fill(3);
      const { client } = await serve((_req, res) => res.writeHead(200).end(bytes.subarray(0, 600)));
      const blob = await client.getBlob('app', await digestOf(bytes), { size: 1000 });
      await expect(streamText(blob.body)).rejects.toThrow(/600 bytes \(truncated\)/);
    });
  });

  describe('a truncated source during copy', () => {
    it('fails the copy with the size, before the target takes a short blob', async () => {
      const layer = new Uint8Array(50_000).fill(5);
      const layerDigest = sha(layer);
      const config = new TextEncoder().encode('{}');
      const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_IMAGE_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.byteLength }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.byteLength }] }));
      const puts: string[] = [];
      const { client } = await serve((req, res) => {
        const path = req.url ?? '';
        if (path.includes('/manifests/')) return void res.writeHead(req.method === 'HEAD' ? 404 : 200, { 'Content-Type': OCI_IMAGE_MANIFEST }).end(req.method === 'HEAD' ? undefined : manifest);
        if (req.method === 'HEAD') return void res.writeHead(404).end();
        if (req.method === 'POST') return void res.writeHead(202, { Location: '/v2/dst/blobs/uploads/u?_state=s' }).end();
        if (req.method === 'PUT') return void (puts.push(path), res.writeHead(201).end());
        // The source: the config whole, the layer cut short (its chunked body just ends).
        res.writeHead(200).end(path.includes(layerDigest) ? layer.subarray(0, 20_000) : config);
      });
      await expect(client.copy({ repository: 'src', reference: 'v1' }, { repository: 'dst' }, { concurrency: 1 })).rejects.toBeInstanceOf(IntegrityError);
      expect(puts.some((path) => path.includes(encodeURIComponent(layerDigest)))).toBe(false);
    });
  });

  describe('endless Link loops', () => {
    it('stops at a Link back to a page already read', async () => {
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json', Link: '</v2/app/tags/list?last=a&n=1>; rel="next"' }).end('{"name":"app","tags":["a"]}'));
      const tags: string[] = [];
      const error = await (async () => {
        for await (const tag of client.tags('app')) tags.push(tag);
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LimitError);
      expect(tags).toEqual(['a']);
    });

    it('stops when new Links keep bringing nothing new', async () => {
      let page = 0;
      const { client } = await serve((_req, res) => res.writeHead(200, { Link: `</v2/_catalog?last=${++page}>; rel="next"` }).end('{"repositories":["same"]}'));
      await expect(collect(client.catalog())).rejects.toThrow(/nothing new/);
      expect(page).toBe(2);
    });

    it('stops after the page limit when every page is new', async () => {
      let page = 0;
      const { client } = await serve((_req, res) => {
        page++;
        res.writeHead(200, { Link: `</v2/_catalog?last=r${page}>; rel="next"` }).end(JSON.stringify({ repositories: [`r${page}`] }));
      }, { limits: { pages: 25 } });
      await expect(collect(client.catalog())).rejects.toMatchObject({ name: 'LimitError', limit: 'pages' });
      expect(page).toBe(25);
    });
  });

  describe('oversized answers', () => {
    it('refuses a manifest larger than the limit from its Content-Length', async () => {
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Type': OCI_IMAGE_MANIFEST, 'Content-Length': String(5 * 1024 * 1024) }).end(Buffer.alloc(5 * 1024 * 1024, 32)));
      await expect(client.getManifest('app', 'big')).rejects.toMatchObject({ name: 'LimitError' });
    });

    it('stops reading an endless manifest at the limit (memory stays bounded)', async () => {
      let sent = 0;
      const { client } = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': OCI_IMAGE_MANIFEST });
        const chunk = Buffer.alloc(256 * 1024, 32);
        const pump = () => {
          while (!res.destroyed && sent < 512 * 1024 * 1024) {
            sent += chunk.byteLength;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        res.on('close', () => (sent = Number.POSITIVE_INFINITY));
        pump();
      }, { limits: { manifestBytes: 1024 * 1024 } });
      await expect(client.getManifest('app', 'endless')).rejects.toMatchObject({ name: 'LimitError' });
    });

    it('reads at most 64 KiB of an error body', async () => {
      const { client } = await serve((_req, res) => res.writeHead(400).end(Buffer.alloc(10 * 1024 * 1024, 65)));
      const error = (await client.getManifest('app', 'x').catch((caught: unknown) => caught)) as RegistryError;
      expect(error).toMatchObject({ status: 400, code: 'UNKNOWN' });
      expect(error.message.length).toBeLessThan(1000);
    });
  });

  describe('429 and 503 with Retry-After', () => {
    it('waits as told and succeeds within the retry budget', async () => {
      let calls = 0;
      const { client, server } = await serve((_req, res) => {
        calls++;
        if (calls <= 2) res.writeHead(calls === 1 ? 429 : 503, { 'Retry-After': '1' }).end();
        else res.writeHead(200, { 'Docker-Distribution-API-Version': 'registry/2.0' }).end('{}');
      });
      const started = Date.now();
      expect(await client.ping()).toEqual({ apiVersion: 'registry/2.0' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(server.requests).toHaveLength(3);
    });

    it('gives up after the retry budget', async () => {
      const { client, server } = await serve((_req, res) => res.writeHead(503, { 'Retry-After': '0' }).end(), { retry: { attempts: 2 } });
      await expect(client.ping()).rejects.toMatchObject({ status: 503 });
      expect(server.requests).toHaveLength(3);
    });

    it('ends its wait when the call is stopped during it, rejecting with the stop and asking nothing more', async () => {
      const controller = new AbortController();
      const stop = new Error('operator stopped');
      let fetches = 0;
      // stopped a moment after the 503 is in hand (its headers only: a body tied to the signal would end with the stop), as the client waits the hour it was told to
      const stopAfter503: typeof fetch = async (input, init) => {
        fetches++;
        const response = await fetch(input, init);
        await response.body?.cancel();
        setTimeout(() => controller.abort(stop), 100);
        return new Response(null, { status: response.status, headers: response.headers });
      };
      const { client, server } = await serve((_req, res) => res.writeHead(503, { 'Retry-After': '3600' }).end(), { fetch: stopAfter503, retry: { attempts: 3, maxDelayMs: 3_600_000 } });
      await expect(client.ping({ signal: controller.signal })).rejects.toBe(stop);
      // a wait ended by the stop must not try again: a second fetch would reject with the stop too, but only once sent
      expect(fetches).toBe(1);
      expect(server.requests).toHaveLength(1);
    });

    it('fails at once when Retry-After asks for longer than the client waits', async () => {
      const { client, server } = await serve((_req, res) => res.writeHead(429, { 'Retry-After': '3600' }).end());
      await expect(client.ping()).rejects.toMatchObject({ status: 429 });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('slow servers', () => {
    it('times out when headers never come', async () => {
      const { client } = await serve(() => undefined, { timeoutMs: 300 });
      await expect(client.ping()).rejects.toBeInstanceOf(TimeoutError);
    });

    it('times out a body that stalls half-way', async () => {
      const bytes = new Uint8Array(2000).fill(1);
      const { client } = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Length': '2000' });
        res.write(bytes.subarray(0, 1000));
        // long enough that the headers come first on a loaded machine: the stall must be the body's
      }, { timeoutMs: 1500 });
      const blob = await client.getBlob('app', await digestOf(bytes));
      await expect(streamText(blob.body)).rejects.toBeInstanceOf(TimeoutError);
    });

    it('does not count the time the consumer takes between reads', async () => {
      const bytes = new Uint8Array(3 * 65536).fill(9);
      const { client } = await serve((_req, res) => res.writeHead(200, { 'Content-Length': String(bytes.byteLength) }).end(bytes), { timeoutMs: 600 });
      const blob = await client.getBlob('app', await digestOf(bytes));
      const reader = blob.body.getReader();
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
      expect(total).toBe(bytes.byteLength);
    });
  });

  describe('auth that never succeeds', () => {
    it('asks the token server once more after a refused token, then fails: no loop', async () => {
      let tokenRequests = 0;
      const { client, server } = await serve((req, res) => {
        if (req.url?.startsWith('/token')) {
          tokenRequests++;
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `t${tokenRequests}`, expires_in: 300 }));
          return;
        }
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token",service="s",scope="repository:app:pull",error="invalid_token"` }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      });
      await expect(client.getManifest('app', 'v1')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(tokenRequests).toBe(1);
      expect(server.requests.filter((request) => request.startsWith('GET /v2/'))).toHaveLength(2);
    });

    it('does not send credentials to an upload Location on another host', async () => {
      const seen: (string | undefined)[] = [];
      const other = await startHostileServer((req, res) => {
        seen.push(req.headers.authorization, req.headers['x-secret'] as string | undefined);
        res.writeHead(201).end();
      });
      try {
        const { client } = await serve((_req, res) => res.writeHead(202, { Location: `${other.url}/elsewhere?_state=x` }).end(), { auth: { username: 'u', password: 'p' }, headers: { 'X-Secret': 's' } });
        const bytes = new TextEncoder().encode('x');
        await client.pushBlob('app', bytes, { digest: await digestOf(bytes) });
        expect(other.requests).toHaveLength(1);
        expect(seen).toEqual([undefined, undefined]);
        expect(server?.requests).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });

  describe('a chunked upload that fails half-way', () => {
    it('resumes from the Range the server reports', async () => {
      const received: Buffer[] = [];
      let patches = 0;
      const { client, server } = await serve((req, res, body) => {
        const location = { Location: '/v2/app/blobs/uploads/u1?_state=abc' };
        const stored = () => received.reduce((sum, chunk) => sum + chunk.byteLength, 0);
        if (req.method === 'POST') return void res.writeHead(202, { ...location, Range: '0-0' }).end();
        if (req.method === 'PATCH') {
          patches++;
          // The second PATCH keeps half its bytes and fails, as a proxy cut mid-request would leave it.
          if (patches === 2) {
            received.push(body.subarray(0, body.byteLength / 2));
            return void res.writeHead(503).end();
          }
          received.push(body);
          return void res.writeHead(202, { ...location, Range: `0-${stored() - 1}` }).end();
        }
        if (req.method === 'GET') return void res.writeHead(204, { ...location, Range: `0-${stored() - 1}` }).end();
        const digest = sha(Buffer.concat(received));
        if (new URL(req.url ?? '', 'http://x').searchParams.get('digest') !== digest) return void res.writeHead(400).end('{"errors":[{"code":"DIGEST_INVALID"}]}');
        res.writeHead(201, { 'Docker-Content-Digest': digest }).end();
      });
      const bytes = new Uint8Array(40_000).map((_, i) => i % 251);
      const result = await client.pushBlob('app', streamOf(bytes, 5), { chunkSize: 10_000 });
      expect(result.digest).toBe(sha(bytes));
      expect(Buffer.concat(received)).toEqual(Buffer.from(bytes));
      expect(server.requests.filter((request) => request.startsWith('GET'))).toHaveLength(1);
    });

    it('ends its wait to resume when the upload is stopped during it, rejecting with the stop and asking nothing more', async () => {
      const controller = new AbortController();
      const stop = new Error('operator stopped');
      const fetched: string[] = [];
      let patchFailed = false;
      let pauseRanOut = false;
      const fetchNoting: typeof fetch = async (input, init) => {
        fetched.push(init?.method ?? 'GET');
        const response = await fetch(input, init);
        if (init?.method === 'PATCH') patchFailed = true;
        return response;
      };
      // stopped from inside the client's pause before resuming (the first timer of the first retry's
      // length once the failed PATCH is in hand), not after a guessed delay that a slow machine outruns
      const realSetTimeout = globalThis.setTimeout;
      const pauses = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
        if (!patchFailed || ms !== retryPauseMs(0)) return realSetTimeout(callback, ms);
        patchFailed = false;
        const timer = realSetTimeout(() => {
          pauseRanOut = true;
          callback();
        }, ms);
        // the pause listens for the stop just after setting its timer
        queueMicrotask(() => controller.abort(stop));
        return timer;
      }) as typeof setTimeout);
      onTestFinished(() => pauses.mockRestore());
      const { client } = await serve((req, res) => {
        const location = { Location: '/v2/app/blobs/uploads/u1?_state=abc' };
        if (req.method === 'POST') return void res.writeHead(202, { ...location, Range: '0-0' }).end();
        if (req.method === 'PATCH') return void res.writeHead(503).end();
        res.writeHead(204, { ...location, Range: '0-0' }).end();
      }, { fetch: fetchNoting });
      const bytes = new Uint8Array(20_000).fill(7);
      await expect(client.pushBlob('app', streamOf(bytes, 5), { chunkSize: 10_000, signal: controller.signal })).rejects.toBe(stop);
      // a status request sent after the stop would reject with it too, but only once sent
      expect(fetched).toEqual(['POST', 'PATCH']);
      expect(pauseRanOut).toBe(false);
    });
  });
});

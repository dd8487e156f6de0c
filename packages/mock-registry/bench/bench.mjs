// Benchmark: skopeo copy of a generated 64 MiB, 8-layer image into serve() and into the real
// docker-registry in one run (wall-time ratio), then in-process pushes/s of small images through MSW.
// Needs a build (`npm run build`); bounded to well under two minutes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildImage, registryConfig, requirePeers, saveBenchReport, skopeoCopy, startCaptureListener, startRegistry, writeOciLayout, CAPTURE_ENDPOINT } from '@regevents/registry-harness';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createRegistryClient } from '@regevents/registry-client';
import { createImage, imageScenarios } from '../dist/index.js';
import { createMockRegistry } from '../dist/node/index.js';

const LAYERS = 8;
const LAYER_BYTES = 8 * 1024 * 1024;
const ROUNDS = 3;
const SMALL_PUSHES = 300;

const endpoint = (url) => ({ ...CAPTURE_ENDPOINT, url });

async function copyIntoReal(source, listener) {
  const registry = await startRegistry({
    config: (base) => registryConfig({ ...base, notifications: { endpoints: [endpoint(listener.url)] } }),
  });
  try {
    const started = performance.now();
    await skopeoCopy(source, `docker://${registry.host}/bench/app:1.0`);
    return performance.now() - started;
  } finally {
    await registry.stop();
  }
}

async function copyIntoMock(source, listener) {
  const registry = createMockRegistry({ config: JSON.stringify({ version: 0.1, notifications: { endpoints: [endpoint(listener.url)] } }) });
  const served = await registry.serve();
  try {
    const started = performance.now();
    await skopeoCopy(source, `docker://127.0.0.1:${served.port}/bench/app:1.0`);
    return performance.now() - started;
  } finally {
    registry.close();
    await served.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function skopeoComparison() {
  const peers = requirePeers('docker-registry', 'skopeo');
  if (!peers.available) {
    console.log(`skipping the skopeo comparison: ${peers.reason}`);
    return undefined;
  }
  const workDir = await mkdtemp(join(tmpdir(), 'regevents-bench-'));
  const listener = await startCaptureListener();
  try {
    const image = buildImage({ seed: 42, layers: LAYERS, layerBytes: LAYER_BYTES });
    const source = await writeOciLayout(join(workDir, 'image'), image, '1.0');
    const bytes = [...image.blobs.values()].reduce((sum, blob) => sum + blob.byteLength, 0);
    const real = [];
    const mock = [];
    // Fresh registries on new ports each round, so skopeo's blob cache cannot turn uploads into mounts.
    for (let round = 0; round < ROUNDS; round++) {
      real.push(await copyIntoReal(source, listener));
      mock.push(await copyIntoMock(source, listener));
    }
    const realMs = median(real);
    const mockMs = median(mock);
    return {
      title: `skopeo copy of a ${(bytes / 2 ** 20).toFixed(1)} MiB, ${LAYERS}-layer image (median of ${ROUNDS} alternating rounds)`,
      results: [
        { name: 'skopeo copy into docker-registry', opsPerSecond: 60_000 / realMs, ratio: 1 },
        { name: 'skopeo copy into serve()', opsPerSecond: 60_000 / mockMs, ratio: realMs / mockMs },
      ],
      note: `wall time: docker-registry ${realMs.toFixed(0)} ms, serve() ${mockMs.toFixed(0)} ms; serve() / docker-registry time ${(mockMs / realMs).toFixed(2)} (target <= 1.0)`,
    };
  } finally {
    await listener.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function inProcessPushes() {
  const registry = createMockRegistry({
    notifications: { events: { includeReferences: false }, endpoints: [{ name: 'sink', disabled: false, url: 'http://sink.test/events', headers: {}, timeoutMs: 1000, threshold: 10, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] } }] },
  });
  const server = setupServer(...registry.handlers);
  server.use(http.post('http://sink.test/events', () => new HttpResponse(null, { status: 200 })));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const client = imageScenarios(createRegistryClient({ baseUrl: registry.baseUrl, userAgent: 'bench' }));
    const images = await Promise.all(Array.from({ length: SMALL_PUSHES }, (_, i) => createImage({ seed: i + 1, layers: 1, layerSize: 1024 })));
    const started = performance.now();
    for (const [i, image] of images.entries()) await client.pushImage(`bench/app${i % 10}:${i}`, image);
    await registry.idle();
    const seconds = (performance.now() - started) / 1000;
    const direct = createMockRegistry();
    const directStart = performance.now();
    for (const [i, image] of images.entries()) await direct.pushImage(`bench/app${i % 10}:${i}`, image);
    const directSeconds = (performance.now() - directStart) / 1000;
    return [
      `in-process without MSW (registry.pushImage calls the handler directly): ${(SMALL_PUSHES / directSeconds).toFixed(0)} pushes/s`,
      `in-process through MSW: ${SMALL_PUSHES} pushes of 1-layer images (3 requests and 3 events each) in ${seconds.toFixed(2)} s = ${(SMALL_PUSHES / seconds).toFixed(0)} pushes/s; ${registry.events.length} events recorded and delivered`,
    ];
  } finally {
    registry.close();
    server.close();
  }
}

const skopeo = await skopeoComparison();
const inProcess = await inProcessPushes();
if (skopeo) {
  await saveBenchReport({
    package: '@regevents/mock-registry',
    title: skopeo.title,
    baseline: 'the real docker-registry',
    unit: 'copies/min',
    results: skopeo.results,
    target: 'serve() at least as fast as docker-registry (ratio >= 1.0x)',
    notes: [skopeo.note, ...inProcess],
  });
} else {
  for (const line of inProcess) console.log(line);
}

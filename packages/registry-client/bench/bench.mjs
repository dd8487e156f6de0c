// Benchmark: `copy` of a generated 64 MiB, 8-layer image from one docker-registry to another,
// against `skopeo copy` of the same image between the same source and a target of its own,
// side by side in alternating rounds, each into a fresh target registry (no blob can be skipped
// or mounted). The client copies in a long-running process of its own, as a replicator would
// (so its peak RSS is the client's alone, and its JIT is as warm as a service's after one copy);
// its time is the `copy()` call, skopeo's the whole command (its start-up is about 10 ms).
// Needs a build.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildImage, requirePeers, saveBenchReport, skopeoCopy, startRegistry, writeOciLayout } from '@regevents/registry-harness';

const LAYERS = 8;
const LAYER_BYTES = 8 * 1024 * 1024;
const ROUNDS = 9;
const REPOSITORY = 'bench/app';
const execFileAsync = promisify(execFile);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(copy) {
  const target = await startRegistry();
  try {
    return await copy(target);
  } finally {
    await target.stop();
  }
}

function startWorker() {
  const child = spawn(process.execPath, [new URL('./copy-worker.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async copy(source, target) {
      child.stdin.write(`${JSON.stringify({ sourceUrl: source.url, targetUrl: target.url, repository: REPOSITORY, reference: '1.0' })}\n`);
      const { value, done } = await answers.next();
      if (done) throw new Error('the copy worker exited');
      const { ms, maxRssKiB, uploaded } = JSON.parse(value);
      if (uploaded !== LAYERS + 1) throw new Error(`the client uploaded ${uploaded} blobs, expected ${LAYERS + 1}`);
      return { copyMs: ms, maxRssKiB };
    },
    stop: () => child.stdin.end(),
  };
}

async function skopeoBetween(source, target) {
  const started = performance.now();
  await skopeoCopy(`docker://${source.host}/${REPOSITORY}:1.0`, `docker://${target.host}/${REPOSITORY}:1.0`);
  return { copyMs: performance.now() - started };
}

/** Peak RSS of a Node process that loads the client and does nothing: what the copy adds is above it. */
async function idleRssKiB() {
  const script = `await import(${JSON.stringify(new URL('../dist/node/index.js', import.meta.url).href)}); process.stdout.write(String(process.resourceUsage().maxRSS));`;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script]);
  return Number(stdout);
}

const peers = requirePeers('docker-registry', 'skopeo');
if (!peers.available) {
  console.log(`skipping the registry-client benchmark: ${peers.reason}`);
  process.exit(0);
}
const workDir = await mkdtemp(join(tmpdir(), 'regevents-client-bench-'));
const source = await startRegistry();
try {
  const image = buildImage({ seed: 64, layers: LAYERS, layerBytes: LAYER_BYTES });
  const bytes = [...image.blobs.values()].reduce((sum, blob) => sum + blob.byteLength, 0);
  await skopeoCopy(await writeOciLayout(join(workDir, 'image'), image, '1.0'), `docker://${source.host}/${REPOSITORY}:1.0`);
  image.blobs.clear();
  const skopeo = [];
  const client = [];
  const worker = startWorker();
  const clientCopy = (source, target) => worker.copy(source, target);
  // Warm-up: the page cache, and the worker's JIT as a running replicator has it after its first copy.
  await timed((target) => clientCopy(source, target));
  await timed((target) => skopeoBetween(source, target));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so neither always meets a warmer machine.
    if (round % 2 === 0) {
      skopeo.push(await timed((target) => skopeoBetween(source, target)));
      client.push(await timed((target) => clientCopy(source, target)));
    } else {
      client.push(await timed((target) => clientCopy(source, target)));
      skopeo.push(await timed((target) => skopeoBetween(source, target)));
    }
  }
  const skopeoMs = median(skopeo.map((run) => run.copyMs));
  const clientMs = median(client.map((run) => run.copyMs));
  worker.stop();
  const peakRssMiB = Math.max(...client.map((run) => run.maxRssKiB)) / 1024;
  const idleRssMiB = (await idleRssKiB()) / 1024;
  await saveBenchReport({
    package: '@regevents/registry-client',
    title: `copy of a ${(bytes / 2 ** 20).toFixed(1)} MiB, ${LAYERS}-layer image between two docker-registry processes (median of ${ROUNDS} alternating rounds)`,
    baseline: 'skopeo copy between the same registries',
    unit: 'copies/min',
    results: [
      { name: 'skopeo copy', opsPerSecond: 60_000 / skopeoMs, ratio: 1 },
      { name: 'registry-client copy', opsPerSecond: 60_000 / clientMs, ratio: skopeoMs / clientMs },
    ],
    notes: [
      `time per copy: skopeo ${skopeoMs.toFixed(0)} ms (the command), registry-client ${clientMs.toFixed(0)} ms (the copy() call); ratio skopeo/client ${(skopeoMs / clientMs).toFixed(2)} (target >= 1.0)`,
      `rounds (ms): skopeo ${skopeo.map((run) => run.copyMs.toFixed(0)).join(' ')}; registry-client ${client.map((run) => run.copyMs.toFixed(0)).join(' ')}`,
      `registry-client peak RSS: ${peakRssMiB.toFixed(0)} MiB for a ${(bytes / 2 ** 20).toFixed(0)} MiB image (it streams); a Node process that only loads the client: ${idleRssMiB.toFixed(0)} MiB`,
    ],
    target: 'ratio >= 1.0',
  });
} finally {
  await source.stop();
  await rm(workDir, { recursive: true, force: true });
}

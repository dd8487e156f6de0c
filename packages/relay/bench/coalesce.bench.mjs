// The coalesced view (`coalesce: true`, one `image.pushed` per tagged manifest push) against the raw
// view (`onAny`, every event), and both handlers on one coalesced consumer, on the same input: the burst of events the mock registry records for
// real pushes (blob pushes, mounts, manifests by digest, an index with its platform manifests, the
// tagged manifest), copied into REPOSITORIES repositories with fresh ids, in a memory log. Each round
// appends the same records to a fresh log, then times one consumer of each kind from start until its
// group has nothing left (`idle`). Throughput is "input events consumed per second": log events taken,
// handled and acknowledged by the consumer, whatever its handlers were given. Rotating rounds, medians.
import { createMockRegistry } from '@regevents/mock-registry';
import { saveBenchReport } from '@regevents/registry-harness';
import { createMemoryLog, createRelay } from '../dist/index.js';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// the burst: what one repository's pushes send, as the registry (with references) records it
const registry = createMockRegistry({ notifications: { events: { includeReferences: true }, endpoints: [] } });
await registry.pushImage('burst/app:1', { layers: 4, layerSize: 64, seed: 1 });
await registry.pushImage('burst/app:2', { layers: 3, layerSize: 64, seed: 2 });
await registry.pushImage('burst/app:multi', {
  layers: 2,
  layerSize: 64,
  seed: 3,
  platforms: [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64' },
  ],
});
await registry.copyImage('burst/app:1', 'burst/app:copy');
await registry.idle();
const burst = registry.events.map((recorded) => recorded.event).filter((event) => event.action !== 'pull');
registry.close();
const tagged = burst.filter((event) => event.action === 'push' && event.target.tag).length;

const records = [];
for (let r = 0; r < REPOSITORIES; r++) {
  const repository = `team-${r}/app`;
  for (const event of burst) {
    const id = crypto.randomUUID();
    records.push({ key: `distribution:${id}`, format: 'distribution', repository, receivedAt: new Date().toISOString(), event: { ...event, id, target: { ...event.target, repository } } });
  }
}
const EVENTS = records.length;
console.log(`input: ${burst.length} events per repository (${tagged} tagged manifest pushes), ${REPOSITORIES} repositories, ${EVENTS} events`);

async function consume(view) {
  // every view starts from a collected heap: the last round's log is garbage the next would pay for
  globalThis.gc?.();
  const log = createMemoryLog();
  for (const record of records) await log.append(record);
  const relay = createRelay({ log, auth: { unauthenticated: true } });
  let given = 0;
  const consumer = relay.consumer('bench', { concurrency: CONCURRENCY, ...(view === 'raw' ? {} : { coalesce: true }) });
  if (view !== 'raw') consumer.on('image.pushed', () => void given++);
  if (view !== 'coalesced') consumer.onAny(() => void given++);
  const started = performance.now();
  await consumer.start();
  await consumer.idle({ pollMs: 5 });
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  const expected = (view === 'raw' ? 0 : tagged * REPOSITORIES) + (view === 'coalesced' ? 0 : EVENTS);
  if (given !== expected) throw new Error(`the ${view} view gave its handler ${given} events, not ${expected}`);
  if (consumer.counters().handled !== EVENTS) throw new Error(`the ${view} view consumed ${consumer.counters().handled} of ${EVENTS} events`);
  return EVENTS / seconds;
}

const VIEWS = ['raw', 'coalesced', 'both'];
for (const view of VIEWS) await consume(view);
const runs = { raw: [], coalesced: [], both: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = VIEWS.map((_, index) => VIEWS[(index + round) % VIEWS.length]);
  for (const view of order) runs[view].push(await consume(view));
}
const ratiosOf = (view) => runs[view].map((value, round) => value / runs.raw[round]);
const ratios = ratiosOf('coalesced');
await saveBenchReport({
  package: '@regevents/relay',
  id: 'relay-coalesce',
  title: `the coalesced view against the raw view, ${EVENTS} events of real pushes (memory log, concurrency ${CONCURRENCY})`,
  baseline: 'the raw view (onAny)',
  unit: 'input events/s',
  results: [
    { name: 'raw view: onAny handler, every event', opsPerSecond: median(runs.raw), ratio: 1 },
    { name: `coalesced view: image.pushed handler, ${tagged} per ${burst.length} events`, opsPerSecond: median(runs.coalesced), ratio: median(ratios) },
    { name: 'coalesced view with the raw onAny handler too (the cost of coalescing alone)', opsPerSecond: median(runs.both), ratio: median(ratiosOf('both')) },
  ],
  target: 'coalesced view >= 0.8x the raw view',
  notes: [`input events consumed (handled and acknowledged) per second; ${ROUNDS} rotating rounds; per-round ratios coalesced / raw: ${ratios.map((r) => r.toFixed(2)).join(' ')}; both / raw: ${ratiosOf('both').map((r) => r.toFixed(2)).join(' ')}`],
});

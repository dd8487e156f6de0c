// Requests/s and p99 on loopback: the full receiver (bearer auth + parse + validate + memory
// dedupe + dispatch) against a bare node:http handler that only JSON.parses the same bodies.
// Both servers get identical traffic from autocannon, alternating in short rounds, in one run: on a
// shared machine the load changes from second to second, so each round's pair is compared and the
// median of those ratios is reported.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { saveBenchReport } from '@regevents/registry-harness';
import autocannon from 'autocannon';
import { createWebhookHandler } from '../dist/index.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 10;
const ROUNDS = 8;
const TOKEN = 'bench-token-0123456789';

// A push captured from the real registry; every request gets a fresh event id so dedupe never short-cuts.
const template = readFileSync(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url), 'utf8');
const capturedId = JSON.parse(template).events[0].id;
const [before, after] = template.split(capturedId);
let counter = 0;
const nextBody = () => `${before}00000000-0000-4000-8000-${(counter++).toString(16).padStart(12, '0')}${after}`;

function bareHandler(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    } catch {
      res.writeHead(400).end();
    }
  });
}

let dispatched = 0;
const hooks = createWebhookHandler({ auth: { bearer: TOKEN } })
  .on('push:manifest', () => {
    dispatched++;
  })
  .onAny(() => undefined);

async function serve(listener) {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function load(server, seconds) {
  const { port } = server.address();
  return autocannon({
    url: `http://127.0.0.1:${port}/events`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
  });
}

const servers = { bare: await serve(bareHandler), webhooks: await serve(hooks.node) };
const results = { bare: [], webhooks: [] };
for (const name of Object.keys(servers)) await load(servers[name], 1); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['bare', 'webhooks'] : ['webhooks', 'bare'];
  for (const name of order) {
    const result = await load(servers[name], DURATION_SECONDS);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    results[name].push(result);
  }
}
for (const server of Object.values(servers)) server.close();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summarize = (runs) => ({
  requestsPerSecond: median(runs.map((r) => r.requests.average)),
  p99Ms: median(runs.map((r) => r.latency.p99)),
});
const bare = summarize(results.bare);
const full = summarize(results.webhooks);
const ratios = results.webhooks.map((run, round) => run.requests.average / results.bare[round].requests.average);
const ratio = median(ratios);
const setup = `loopback, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_SECONDS} s per server, body ${Buffer.byteLength(nextBody())} bytes, medians`;
await saveBenchReport({
  package: '@regevents/webhooks',
  title: 'receive a notification over node:http (autocannon on loopback)',
  baseline: 'bare node:http handler that only JSON.parses the body',
  unit: 'requests/s',
  results: [
    { name: 'bare node:http + JSON.parse', opsPerSecond: bare.requestsPerSecond, ratio: 1 },
    { name: 'webhooks: auth + parse + validate + dedupe + dispatch', opsPerSecond: full.requestsPerSecond, ratio },
  ],
  target: 'webhooks >= 0.70x the bare handler',
  notes: [
    setup,
    `p99 latency: bare ${bare.p99Ms} ms, webhooks ${full.p99Ms} ms`,
    `per-round throughput ratios: ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
    `throughput ratio webhooks / bare (median of rounds): ${ratio.toFixed(2)}x (target >= 0.70x); events dispatched: ${dispatched}`,
  ],
});

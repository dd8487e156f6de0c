// Requests/s and p99 on loopback: the full receiver (bearer auth + parse + validate + memory
// dedupe + dispatch) against a bare node:http handler that only JSON.parses the same bodies, and
// against @octokit/webhooks' node middleware verifying an X-Hub-Signature-256 HMAC over a body of
// the same size. With `formats`: the same distribution traffic (dispatched as distribution keys
// and normalized kinds), and GHCR package events (HMAC verify + detect + validate + normalize). All servers get the same traffic from autocannon, rotating in short rounds, in one
// run: on a shared machine the load changes from second to second, so each round's results are
// compared with the bare handler's in that round and the median of those ratios is reported.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { saveBenchReport } from '@regevents/registry-harness';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
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

// its exports map hides package.json; the bundle sits one folder below it
const octokitVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@octokit/webhooks')), 'utf8')).version;
// Octokit does not deduplicate, so one signed body serves; it has the same length as every nextBody().
const OCTOKIT_SECRET = 'bench-hmac-secret-0123456789';
const octokitBody = `${before}00000000-0000-4000-8000-ffffffffffff${after}`;
const octokitHeaders = {
  'content-type': 'application/json',
  'x-github-event': 'registry_package',
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'x-hub-signature-256': `sha256=${createHmac('sha256', OCTOKIT_SECRET).update(octokitBody).digest('hex')}`,
};

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

let octokitReceived = 0;
const octokit = new Webhooks({ secret: OCTOKIT_SECRET });
octokit.on('registry_package', () => {
  octokitReceived++;
});
const octokitMiddleware = createNodeMiddleware(octokit, { path: '/events' });

// a multi-vendor receiver: distribution with its token, GHCR with its webhook secret
const GHCR_SECRET = 'bench-ghcr-secret-0123456789';
let normalizedDispatched = 0;
const multiVendor = createWebhookHandler({ formats: ['distribution', 'ghcr'], auth: { bearer: TOKEN, ghcr: { secret: GHCR_SECRET } } })
  .on('push:manifest', () => undefined)
  .on('artifact.pushed', () => {
    normalizedDispatched++;
  });
// GHCR events are deduplicated by their signed body: each request is another package version
// (a fresh 9-digit id in place of the fixture's), signed by the load generator as GitHub would
const ghcrTemplate = readFileSync(new URL('../../../fixtures/vendors/ghcr/package-published.json', import.meta.url), 'utf8');
const [ghcrBefore, ghcrAfter] = ghcrTemplate.split('"id":24147,');
const nextGhcrBody = () => `${ghcrBefore}"id":${100_000_000 + counter++},${ghcrAfter}`;
const ghcrBody = nextGhcrBody();

async function serve(listener) {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const registryTraffic = {
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
};
// set up per request like the registry traffic, so the load generator does the same work for every server
const octokitTraffic = { headers: octokitHeaders, requests: [{ setupRequest: (request) => ({ ...request, body: octokitBody }) }] };
const ghcrTraffic = {
  requests: [
    {
      setupRequest: (request) => {
        const body = nextGhcrBody();
        const signature = `sha256=${createHmac('sha256', GHCR_SECRET).update(body).digest('hex')}`;
        return { ...request, headers: { 'content-type': 'application/json', 'x-github-event': 'package', 'x-hub-signature-256': signature }, body };
      },
    },
  ],
};

function load({ server, traffic }, seconds) {
  const { port } = server.address();
  return autocannon({ url: `http://127.0.0.1:${port}/events`, connections: CONNECTIONS, duration: seconds, method: 'POST', ...traffic });
}

const servers = {
  bare: { server: await serve(bareHandler), traffic: registryTraffic },
  webhooks: { server: await serve(hooks.node), traffic: registryTraffic },
  octokit: { server: await serve((req, res) => octokitMiddleware(req, res)), traffic: octokitTraffic },
  formatsDistribution: { server: await serve(multiVendor.node), traffic: registryTraffic },
  formatsGhcr: { server: await serve(multiVendor.node), traffic: ghcrTraffic },
};
const names = Object.keys(servers);
const results = Object.fromEntries(names.map((name) => [name, []]));
for (const name of names) await load(servers[name], 1); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  // rotate who goes first, so no server always follows the same neighbour
  const order = names.map((_, index) => names[(index + round) % names.length]);
  for (const name of order) {
    const result = await load(servers[name], DURATION_SECONDS);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    results[name].push(result);
  }
}
for (const { server } of Object.values(servers)) server.close();

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
const signed = summarize(results.octokit);
const ratiosToBare = (runs) => runs.map((run, round) => run.requests.average / results.bare[round].requests.average);
const ratios = ratiosToBare(results.webhooks);
const ratio = median(ratios);
const octokitRatios = ratiosToBare(results.octokit);
const octokitRatio = median(octokitRatios);
const formatsDistribution = summarize(results.formatsDistribution);
const formatsDistributionRatio = median(ratiosToBare(results.formatsDistribution));
const formatsGhcr = summarize(results.formatsGhcr);
const formatsGhcrRatio = median(ratiosToBare(results.formatsGhcr));
if (Buffer.byteLength(octokitBody) !== Buffer.byteLength(nextBody())) throw new Error('the octokit body must have the size of the others');
const setup = `loopback, ${CONNECTIONS} connections, ${ROUNDS} rotating rounds of ${DURATION_SECONDS} s per server, body ${Buffer.byteLength(nextBody())} bytes, medians`;
await saveBenchReport({
  package: '@regevents/webhooks',
  title: 'receive a notification over node:http (autocannon on loopback)',
  baseline: 'bare node:http handler that only JSON.parses the body',
  unit: 'requests/s',
  results: [
    { name: 'bare node:http + JSON.parse', opsPerSecond: bare.requestsPerSecond, ratio: 1 },
    { name: 'webhooks: auth + parse + validate + dedupe + dispatch', opsPerSecond: full.requestsPerSecond, ratio },
    { name: `@octokit/webhooks ${octokitVersion} node middleware: HMAC-SHA256 verify + JSON.parse + dispatch`, opsPerSecond: signed.requestsPerSecond, ratio: octokitRatio },
    { name: 'webhooks with formats, distribution: auth + detect + validate + dedupe + dispatch (keys and normalized kinds)', opsPerSecond: formatsDistribution.requestsPerSecond, ratio: formatsDistributionRatio },
    { name: `webhooks with formats, GHCR (${Buffer.byteLength(ghcrBody)} bytes): HMAC-SHA256 verify + detect + validate + normalize + dedupe + dispatch`, opsPerSecond: formatsGhcr.requestsPerSecond, ratio: formatsGhcrRatio },
  ],
  target: 'webhooks >= 0.70x the bare handler',
  notes: [
    setup,
    `p99 latency: bare ${bare.p99Ms} ms, webhooks ${full.p99Ms} ms, @octokit/webhooks ${signed.p99Ms} ms`,
    `per-round throughput ratios webhooks / bare: ${ratios.map((r) => r.toFixed(2)).join(' ')}; @octokit/webhooks / bare: ${octokitRatios.map((r) => r.toFixed(2)).join(' ')}`,
    `throughput ratio webhooks / bare (median of rounds): ${ratio.toFixed(2)}x (target >= 0.70x); webhooks / @octokit/webhooks: ${(full.requestsPerSecond / signed.requestsPerSecond).toFixed(2)}x`,
    `p99 latency with formats: distribution ${formatsDistribution.p99Ms} ms, GHCR ${formatsGhcr.p99Ms} ms`,
    `webhooks with formats, GHCR / @octokit/webhooks: ${(formatsGhcr.requestsPerSecond / signed.requestsPerSecond).toFixed(2)}x (GHCR body ${Buffer.byteLength(ghcrBody)} bytes, octokit body ${Buffer.byteLength(octokitBody)} bytes)`,
    `events dispatched: webhooks ${dispatched}, @octokit/webhooks ${octokitReceived}, normalized (formats) ${normalizedDispatched}`,
  ],
});

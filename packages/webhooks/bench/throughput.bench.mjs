// Requests/s, p99 (client side, in microseconds) and server CPU time per request on loopback: the full receiver (bearer auth +
// parse + validate + memory dedupe + dispatch) against a bare node:http handler that only
// JSON.parses the same bodies, and against @octokit/webhooks' node middleware verifying an
// X-Hub-Signature-256 HMAC over a body of the same size. With `formats`: the same distribution
// traffic (dispatched as distribution keys and normalized kinds), and GHCR package events (HMAC
// verify + detect + validate + normalize). The servers run in a child process (receivers.mjs),
// the load generator (autocannon) here, so generating load takes no CPU from the servers. All
// servers get the same traffic, rotating in short rounds, in one run: on a shared machine the load
// changes from second to second, so each round's results are compared with the bare handler's in
// that round and the median of those ratios is reported. CPU time per request (the server
// process's user + system time over the requests it answered in the round) is the steadier
// figure: other processes on the machine slow a round down, but barely change what a request costs.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ratioSpread, recordResponseTimes, saveBenchReport } from '@regevents/registry-harness';
import autocannon from 'autocannon';
import { ghcrBytes, ghcrTraffic, nextBody, octokitBody, octokitTraffic, registryTraffic } from './traffic.mjs';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 10;
const ROUNDS = 8;

// its exports map hides package.json; the bundle sits one folder below it
const octokitVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@octokit/webhooks')), 'utf8')).version;

const child = fork(new URL('./receivers.mjs', import.meta.url));
const reply = async (key) => {
  for (;;) {
    const [message] = await once(child, 'message');
    if (message[key] !== undefined) return message[key];
  }
};
const ports = await reply('ports');
const cpuMicros = async () => {
  child.send('cpu');
  const { user, system } = await reply('cpu');
  return user + system;
};

const traffic = { bare: registryTraffic, webhooks: registryTraffic, octokit: octokitTraffic, formatsDistribution: registryTraffic, formatsGhcr: ghcrTraffic };
async function load(name, seconds) {
  const instance = autocannon({ url: `http://127.0.0.1:${ports[name]}/events`, connections: CONNECTIONS, duration: seconds, method: 'POST', ...traffic[name] });
  const responseTimes = recordResponseTimes(instance);
  const result = await instance;
  return { ...result, p99Micros: responseTimes.p99Micros() };
}

const names = Object.keys(traffic);
const results = Object.fromEntries(names.map((name) => [name, []]));
for (const name of names) await load(name, 1); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  // rotate who goes first, so no server always follows the same neighbour
  const order = names.map((_, index) => names[(index + round) % names.length]);
  for (const name of order) {
    const cpuBefore = await cpuMicros();
    const result = await load(name, DURATION_SECONDS);
    const cpu = (await cpuMicros()) - cpuBefore;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    results[name].push({ ...result, cpuPerRequest: cpu / result.requests.total });
  }
}
child.send('stop');
const dispatched = await reply('dispatched');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summarize = (runs) => ({
  requestsPerSecond: median(runs.map((r) => r.requests.average)),
  p99Micros: median(runs.map((r) => r.p99Micros)),
  cpuMicrosPerRequest: median(runs.map((r) => r.cpuPerRequest)),
});
const summary = Object.fromEntries(names.map((name) => [name, summarize(results[name])]));
// per round: throughput relative to the bare handler's, and the bare handler's CPU per request relative to this one's
const throughputRatios = (name) => results[name].map((run, round) => run.requests.average / results.bare[round].requests.average);
const cpuRatios = (name) => results[name].map((run, round) => results.bare[round].cpuPerRequest / run.cpuPerRequest);
// and its p99 relative to the bare handler's in the same round (here above 1 is slower)
const p99Ratios = (name) => results[name].map((run, round) => run.p99Micros / results.bare[round].p99Micros);
const ratiosOf = Object.fromEntries(names.map((name) => [name, { throughput: throughputRatios(name), cpu: cpuRatios(name), p99: p99Ratios(name) }]));
const medianRatio = (name, kind) => median(ratiosOf[name][kind]);
const roundList = (values) => values.map((value) => value.toFixed(2)).join(' ');
if (Buffer.byteLength(octokitBody) !== Buffer.byteLength(nextBody())) throw new Error('the octokit body must have the size of the others');

const rows = {
  bare: 'bare node:http + JSON.parse',
  webhooks: 'webhooks: auth + parse + validate + dedupe + dispatch',
  octokit: `@octokit/webhooks ${octokitVersion} node middleware: HMAC-SHA256 verify + JSON.parse + dispatch`,
  formatsDistribution: 'webhooks with formats, distribution: auth + detect + validate + dedupe + dispatch (keys and normalized kinds)',
  formatsGhcr: `webhooks with formats, GHCR (${ghcrBytes} bytes): HMAC-SHA256 verify + detect + validate + normalize + dedupe + dispatch`,
};
const setup = `loopback, servers in a child process, ${CONNECTIONS} connections, ${ROUNDS} rotating rounds of ${DURATION_SECONDS} s per server, body ${Buffer.byteLength(nextBody())} bytes, medians`;
const { bare, webhooks, octokit, formatsDistribution, formatsGhcr } = summary;
const targets = 'webhooks >= 0.85x the bare handler and >= 1.3x @octokit/webhooks, p99 <= 1.5x the bare handler; with formats, distribution >= 0.75x';
await saveBenchReport({
  package: '@regevents/webhooks',
  title: 'receive a notification over node:http (autocannon on loopback)',
  baseline: 'bare node:http handler that only JSON.parses the body',
  unit: 'requests/s',
  results: names.map((name) => ({ name: rows[name], opsPerSecond: summary[name].requestsPerSecond, ratio: name === 'bare' ? 1 : medianRatio(name, 'throughput') })),
  target: targets,
  notes: [
    setup,
    `p99 latency, client side from each response's hrtime (µs, median of rounds): bare ${bare.p99Micros.toFixed(0)}, webhooks ${webhooks.p99Micros.toFixed(0)}, @octokit/webhooks ${octokit.p99Micros.toFixed(0)}; with formats: distribution ${formatsDistribution.p99Micros.toFixed(0)}, GHCR ${formatsGhcr.p99Micros.toFixed(0)}`,
    `p99 relative to the bare handler's, per round (target <= 1.5x): webhooks ${medianRatio('webhooks', 'p99').toFixed(2)}x, rounds ${roundList(ratiosOf.webhooks.p99)} (${ratioSpread(ratiosOf.webhooks.p99)}); formats distribution ${medianRatio('formatsDistribution', 'p99').toFixed(2)}x (${ratioSpread(ratiosOf.formatsDistribution.p99)}); at saturation with ${CONNECTIONS} closed-loop connections the p99 is mostly queueing (about connections / throughput), so this ratio largely repeats the throughput ratio`,
    `per-round throughput ratios to bare (spread): webhooks ${roundList(ratiosOf.webhooks.throughput)} (${ratioSpread(ratiosOf.webhooks.throughput)}); @octokit/webhooks ${roundList(ratiosOf.octokit.throughput)}; formats distribution ${roundList(ratiosOf.formatsDistribution.throughput)}`,
    `webhooks / @octokit/webhooks: throughput ${(medianRatio('webhooks', 'throughput') / medianRatio('octokit', 'throughput')).toFixed(2)}x, CPU per request ${(octokit.cpuMicrosPerRequest / webhooks.cpuMicrosPerRequest).toFixed(2)}x`,
    `events dispatched: webhooks ${dispatched.webhooks}, @octokit/webhooks ${dispatched.octokit}, normalized (formats) ${dispatched.normalized}`,
  ],
});
await saveBenchReport({
  package: '@regevents/webhooks',
  id: 'webhooks-cpu',
  title: 'server CPU time per request (the same rounds)',
  baseline: 'bare node:http handler that only JSON.parses the body (ratio: its CPU per request over this one)',
  unit: 'requests per CPU second',
  results: names.map((name) => ({ name: rows[name], opsPerSecond: 1e6 / summary[name].cpuMicrosPerRequest, ratio: name === 'bare' ? 1 : medianRatio(name, 'cpu') })),
  target: targets,
  notes: [
    setup,
    `CPU per request (µs): ${names.map((name) => `${name} ${summary[name].cpuMicrosPerRequest.toFixed(1)}`).join(', ')}`,
    `per-round CPU ratios to bare (spread): webhooks ${roundList(ratiosOf.webhooks.cpu)} (${ratioSpread(ratiosOf.webhooks.cpu)}); @octokit/webhooks ${roundList(ratiosOf.octokit.cpu)}; formats distribution ${roundList(ratiosOf.formatsDistribution.cpu)} (${ratioSpread(ratiosOf.formatsDistribution.cpu)})`,
  ],
});

// Four side-by-side measurements, each against its baseline in the same run, in alternating rounds:
// (1) the relay's receiver appending to Redis, against a bare node:http + JSON.parse handler and
//     against createWebhookHandler whose handler does a plain XADD by hand, one that does the least
//     idempotent append by hand, and one that calls the relay's own log.append (autocannon, p99);
// (1b) the same appends without HTTP, in a loop, with Redis's own time for each call;
// (2) a consumer group handling events from Redis (with ack and the group's dedupe), against a bare
//     XREADGROUP + XACK loop on the same client (and over 20,000 events, past a generation of its record),
//     and that loop doing the group's dedupe by hand with the relay's claim and ack scripts, one batch at a time;
// (3) docker-registry 2.8.2 draining a backlog of events into the relay, against a bare 200 handler
//     (and the same two hand-written appends).
// Redis (Debian's redis-server) and docker-registry are started here, on loopback.
import { once } from 'node:events';
import { PerformanceObserver } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildImage, ratioSpread, recordResponseTimes, registryConfig, saveBenchReport, skopeoCopy, sleep, startRedis, startRegistry, writeOciLayout } from '@regevents/registry-harness';
import { createWebhookHandler } from '@regevents/webhooks';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import { createRedisLog, createRelay } from '../dist/index.js';
import { ACK, CLAIM } from '../dist/redis-scripts.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const TOKEN = 'bench-token-0123456789';
// BENCH_ONLY=receiver,append,consumer,registry runs some of the four (all by default)
const only = new Set((process.env.BENCH_ONLY ?? 'receiver,append,consumer,registry').split(','));
// BENCH_CONSUMERS=relay,bare,floor runs some of the consumer rows (all by default), checked before anything starts
// BENCH_AGAINST=<folder> (another build's dist, a copy of main's say) adds the rows against and
// longAgainst: the relay consumer built from there, in the same rounds, to A/B a change in one run
// (and the receiver's and the append's rows against, the same way)
const AGAINST = process.env.BENCH_AGAINST;
const CONSUMER_ROWS = ['relay', 'async', 'long', 'bare', 'longBare', 'each', 'floor', 'longFloor', ...(AGAINST ? ['against', 'longAgainst'] : [])];
const consumerRows = process.env.BENCH_CONSUMERS?.split(',');
const unknownRows = consumerRows?.filter((name) => !CONSUMER_ROWS.includes(name)) ?? [];
if (unknownRows.length > 0) throw new Error(`BENCH_CONSUMERS names no row ${unknownRows.join(', ')}: the rows are ${CONSUMER_ROWS.join(', ')}`);
const againstBuild = AGAINST ? await import(pathToFileURL(resolve(AGAINST, 'index.js')).href) : undefined;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function serve(listener) {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const redis = await startRedis();
const client = createClient({ url: redis.url });
client.on('error', () => undefined);
// every part runs inside: whatever it throws, the redis-server started here is stopped
try {
  await client.connect();
  // the split of a row's cost: Redis (per command, and its CPU per request), this process's CPU per
  // request (autocannon's share included, the same for every row) and its GC pauses
  await client.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']);
  const gcPauses = [];
  new PerformanceObserver((list) => gcPauses.push(...list.getEntries().map((entry) => entry.duration))).observe({ entryTypes: ['gc'] });
  const redisInfo = async (section) => {
    const text = String(await client.sendCommand(['INFO', section]));
    return Object.fromEntries(text.split('\r\n').flatMap((line) => (line.includes(':') ? [line.split(':')] : [])));
  };
  /** Redis's CPU so far (µs): the whole process's, and its main thread's (the one that runs the commands). */
  async function redisCpuMicros() {
    const info = await redisInfo('cpu');
    return {
      all: (Number(info.used_cpu_user) + Number(info.used_cpu_sys)) * 1e6,
      main: (Number(info.used_cpu_user_main_thread) + Number(info.used_cpu_sys_main_thread)) * 1e6,
    };
  }
  /** Runs `work` (which answers `{ value, requests }`) and measures what its requests cost on each side. */
  async function costOf(work) {
    await client.sendCommand(['CONFIG', 'RESETSTAT']);
    const redisBefore = await redisCpuMicros();
    const cpu = process.cpuUsage();
    gcPauses.length = 0;
    const { value, requests } = await work();
    const used = process.cpuUsage(cpu);
    // the observer reports after the fact: one turn of the loop lets the last pauses in
    await sleep(1);
    const redisAfter = await redisCpuMicros();
    const perCall = Object.fromEntries(
      Object.entries(await redisInfo('commandstats')).map(([name, value]) => [name.replace('cmdstat_', ''), Number(/usec_per_call=([\d.]+)/.exec(value)?.[1] ?? 0)])
    );
    return {
      value,
      nodeUs: (used.user + used.system) / requests,
      redisUs: (redisAfter.all - redisBefore.all) / requests,
      redisMainUs: (redisAfter.main - redisBefore.main) / requests,
      perCall,
      longestGcMs: Math.max(0, ...gcPauses),
      gcMs: gcPauses.reduce((a, b) => a + b, 0),
    };
  }
  /**
   * Every contestant measured once a round by `measure(name, round)`, the order rotating each round
   * and running backwards every other round (none always first, none always right after the same
   * one: plain rotation keeps each after the same one), after `warmUp` ran each once untimed
   * (script loading, JIT). Answers each contestant's results in round order: index i of every list
   * is the same round, so per-round ratios compare runs made close together.
   */
  async function inRotatingRounds(names, rounds, measure, warmUp = (name) => measure(name, 'warm-up')) {
    for (const name of names) await warmUp(name);
    const results = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      const step = round % 2 === 0 ? 1 : -1;
      const order = names.map((_, index) => names[(((round + step * index) % names.length) + names.length) % names.length]);
      for (const name of order) results[name].push(await measure(name, round));
    }
    return results;
  }
  const fixed = (value, digits = 1) => value.toFixed(digits);

  // what the hand-written rows append: the relay's record fields, without its encoder
  const recordOf = (event) => JSON.stringify({ key: `distribution:${event.id}`, repository: event.target?.repository, event });
  const xaddByHand = (stream) => (event) => client.sendCommand(['XADD', stream, '*', 'record', recordOf(event)]);
  // a minimal atomic append that is idempotent by event id on Redis 7 (which has no idempotent XADD of
  // its own): one script that sets the id's key only if it is absent and only then adds the entry.
  // Unlike the relay's APPEND it keeps no first copy's id and no tag state.
  const IDEMPOTENT_XADD = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return redis.call('XADD', KEYS[1], '*', 'record', ARGV[1]) end return false`;
  // loaded by the rows that use it: a consumer-only run loads nothing
  let idempotentSha;
  const idempotentXaddByHand = async (stream) => {
    idempotentSha ??= String(await client.sendCommand(['SCRIPT', 'LOAD', IDEMPOTENT_XADD]));
    return (event) => client.sendCommand(['EVALSHA', idempotentSha, '2', stream, `${stream}:id:distribution:${event.id}`, recordOf(event), String(7 * 24 * 3600 * 1000)]);
  };

  const template = readFileSync(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url), 'utf8');

  // ---- (1) the receiver ----
  if (only.has('receiver')) {
    const capturedId = JSON.parse(template).events[0].id;
    const [before, after] = template.split(capturedId);
    let counter = 0;
    const nextBody = () => `${before}00000000-0000-4000-8000-${(counter++).toString(16).padStart(12, '0')}${after}`;

    function bareHandler(req, res) {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      });
    }

    const relay = createRelay({ log: createRedisLog({ client, stream: 'bench:relay' }), auth: { bearer: TOKEN } });
    const byHand = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny(xaddByHand('bench:by-hand'));
    const idempotentByHand = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny(await idempotentXaddByHand('bench:idempotent-by-hand'));
    // the relay's own append (its record, its log.append) called by hand from the same handler: the
    // gap to the relay is the receiver's (deadline, latency, the 503 answer), the gap to the XADD the log's
    const logByHand = createRedisLog({ client, stream: 'bench:log-by-hand' });
    const relayLogByHand = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny((event) =>
      logByHand.append({ key: `distribution:${event.id}`, format: 'distribution', repository: event.target.repository, receivedAt: new Date().toISOString(), event })
    );
    // with BENCH_AGAINST, the same receiver built from there, in the same rounds
    const against = againstBuild && againstBuild.createRelay({ log: againstBuild.createRedisLog({ client, stream: 'bench:relay-against' }), auth: { bearer: TOKEN } });
    const receivers = {
      bare: await serve(bareHandler),
      relay: await serve(relay.node),
      byHand: await serve(byHand.node),
      idempotentByHand: await serve(idempotentByHand.node),
      relayLogByHand: await serve(relayLogByHand.node),
      ...(against && { against: await serve(against.node) }),
    };
    const traffic = {
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
      requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
    };
    async function load(server, seconds) {
      const instance = autocannon({ url: `http://127.0.0.1:${server.address().port}/events`, connections: CONNECTIONS, duration: seconds, method: 'POST', ...traffic });
      const responseTimes = recordResponseTimes(instance);
      return { ...(await instance), p99Micros: responseTimes.p99Micros() };
    }
    const costs = await inRotatingRounds(
      Object.keys(receivers),
      ROUNDS,
      async (name) => {
        const cost = await costOf(async () => {
          const result = await load(receivers[name], SECONDS);
          return { value: result, requests: result.requests.total };
        });
        if (cost.value.non2xx > 0 || cost.value.errors > 0) throw new Error(`${name}: ${cost.value.non2xx} non-2xx answers, ${cost.value.errors} errors`);
        return cost;
      },
      (name) => load(receivers[name], 1)
    );
    const runs = Object.fromEntries(Object.entries(costs).map(([name, rounds]) => [name, rounds.map((cost) => cost.value)]));
    const costMedian = (name, pick) => median(costs[name].map(pick));
    for (const server of Object.values(receivers)) server.close();
    const rps = (name) => median(runs[name].map((r) => r.requests.average));
    const p99 = (name) => median(runs[name].map((r) => r.p99Micros)).toFixed(0);
    const perRound = (name, base) => runs[name].map((run, round) => run.requests.average / runs[base][round].requests.average);
    const relayVsHand = perRound('relay', 'byHand');
    // costs in one round were measured close together: their differences move less than each row's median
    const pairedGap = (name, base, pick) => fixed(median(costs[name].map((cost, round) => pick(cost) - pick(costs[base][round]))));
    const paired = (name, base) => `${pairedGap(name, base, (c) => c.nodeUs)} / ${pairedGap(name, base, (c) => c.redisUs)}`;
    const receiverTarget = 0.95;
    await saveBenchReport({
      package: '@regevents/relay',
      id: 'relay-receiver',
      title: 'receive a notification and append it to Redis (autocannon on loopback)',
      baseline: 'createWebhookHandler + a hand-written XADD',
      unit: 'requests/s',
      results: [
        { name: 'createWebhookHandler + hand-written XADD (no idempotency)', opsPerSecond: rps('byHand'), ratio: 1 },
        { name: 'relay: auth + parse + validate + idempotent append of a push by tag (Lua: GET, HGET, TIME, HSET, PEXPIRE, XADD, SET PX)', opsPerSecond: rps('relay'), ratio: median(relayVsHand) },
        { name: 'createWebhookHandler + hand-written idempotent append (a minimal one: one script, SET NX PX then XADD)', opsPerSecond: rps('idempotentByHand'), ratio: median(perRound('idempotentByHand', 'byHand')) },
        { name: "createWebhookHandler + the relay's own log.append by hand (its record and APPEND script, no deadline)", opsPerSecond: rps('relayLogByHand'), ratio: median(perRound('relayLogByHand', 'byHand')) },
        { name: 'bare node:http + JSON.parse (no Redis)', opsPerSecond: rps('bare'), ratio: median(perRound('bare', 'byHand')) },
        ...(against ? [{ name: `the same relay built from ${AGAINST}`, opsPerSecond: rps('against'), ratio: median(perRound('against', 'byHand')) }] : []),
      ],
      target: `relay >= ${receiverTarget}x the hand-written XADD`,
      notes: [
        `loopback, ${CONNECTIONS} connections, ${ROUNDS} rotating rounds of ${SECONDS} s per server, redis-server without persistence, medians`,
        `target relay >= ${receiverTarget}x the hand-written XADD: ${median(relayVsHand) >= receiverTarget ? 'met' : 'not met'} (${fixed(median(relayVsHand), 2)}x)`,
        `p99 latency, client side from each response's hrtime (µs, median of rounds): relay ${p99('relay')}, hand-written XADD ${p99('byHand')}, bare ${p99('bare')}; relay / hand-written per round ${runs.relay.map((run, round) => (run.p99Micros / runs.byHand[round].p99Micros).toFixed(2)).join(' ')}`,
        `per-round ratios relay / hand-written: ${relayVsHand.map((r) => r.toFixed(2)).join(' ')}`,
        `the minimal idempotent append by hand runs at ${fixed(median(perRound('idempotentByHand', 'byHand')), 2)}x the plain XADD (rounds ${ratioSpread(perRound('idempotentByHand', 'byHand'))}), and the relay at ${fixed(median(perRound('relay', 'idempotentByHand')), 2)}x it (rounds ${ratioSpread(perRound('relay', 'idempotentByHand'))}); its script ${fixed(costMedian('idempotentByHand', (c) => c.perCall.evalsha))} µs a call, its Redis CPU ${fixed(costMedian('idempotentByHand', (c) => c.redisUs))} µs per request`,
        `Redis per request: relay EVALSHA ${fixed(costMedian('relay', (c) => c.perCall.evalsha))} µs a call, its CPU ${fixed(costMedian('relay', (c) => c.redisUs))} µs (its log.append by hand ${fixed(costMedian('relayLogByHand', (c) => c.redisUs))} µs); hand-written XADD ${fixed(costMedian('byHand', (c) => c.perCall.xadd))} µs a call, its CPU ${fixed(costMedian('byHand', (c) => c.redisUs))} µs`,
        `this process's CPU per request (autocannon's share included, the same in every row): relay ${fixed(costMedian('relay', (c) => c.nodeUs))} µs, its log.append by hand ${fixed(costMedian('relayLogByHand', (c) => c.nodeUs))} µs, hand-written ${fixed(costMedian('byHand', (c) => c.nodeUs))} µs, bare ${fixed(costMedian('bare', (c) => c.nodeUs))} µs`,
        `the gaps, paired per round (the median of each round's difference, µs per request, this process / Redis): relay - its log.append by hand ${paired('relay', 'relayLogByHand')} (the receiver's), its log.append by hand - hand-written XADD ${paired('relayLogByHand', 'byHand')} (the log's), relay - hand-written XADD ${paired('relay', 'byHand')}`,
        ...(against ? [`against ${AGAINST}, paired per round: relay - against ${paired('relay', 'against')} µs per request (this process / Redis); throughput relay / against ${fixed(median(perRound('relay', 'against')), 2)}x`] : []),
        `GC per round: relay ${fixed(costMedian('relay', (c) => c.gcMs), 0)} ms (longest pause ${fixed(costMedian('relay', (c) => c.longestGcMs))} ms), hand-written ${fixed(costMedian('byHand', (c) => c.gcMs), 0)} ms (${fixed(costMedian('byHand', (c) => c.longestGcMs))} ms), bare ${fixed(costMedian('bare', (c) => c.gcMs), 0)} ms (${fixed(costMedian('bare', (c) => c.longestGcMs))} ms)`,
      ],
    });
  }

  // ---- (1b) the append alone ----
  // The receiver's appends without HTTP: each row's command in a loop, and Redis's own time for each
  // call from SLOWLOG (logging every command). commandstats' mean takes in every call the scheduler
  // paused; the middle half of the calls' times does not, so it moves far less between runs here.
  if (only.has('append')) {
    const appendEvent = JSON.parse(template).events[0];
    const appendCalls = Number(process.env.BENCH_APPEND_CALLS ?? 2000);
    let appendCounter = 0;
    const freshEvent = (target = appendEvent.target) => ({ ...appendEvent, target, id: `20000000-0000-4000-8000-${(appendCounter++).toString(16).padStart(12, '0')}` });
    const relayLog = createRedisLog({ client, stream: 'bench:append' });
    const againstLog = againstBuild?.createRedisLog({ client, stream: 'bench:append-against' });
    const asRecord = (event) => ({ key: `distribution:${event.id}`, format: 'distribution', repository: event.target.repository, receivedAt: new Date().toISOString(), event });
    // a push by digest changes no tag: the APPEND script without the tag state
    const { tag: _tag, ...untagged } = appendEvent.target;
    const appendRows = {
      xadd: { name: 'plain XADD by hand (no idempotency)', call: xaddByHand('bench:append-by-hand'), event: freshEvent },
      minimal: { name: 'the minimal idempotent append by hand (SET NX PX, XADD)', call: await idempotentXaddByHand('bench:append-idempotent'), event: freshEvent },
      // the same tag and digest every time: after the first, a push that leaves the tag where it was
      relay: { name: "the relay's log.append of a push by tag (APPEND: GET, HGET, TIME, HSET, PEXPIRE of the tag's time, XADD, SET PX)", call: (event) => relayLog.append(asRecord(event)), event: freshEvent },
      untagged: { name: "the relay's log.append of a push by digest (APPEND: GET, XADD, SET PX)", call: (event) => relayLog.append(asRecord(event)), event: () => freshEvent(untagged) },
      ...(againstLog && { against: { name: `the same push by tag through the log.append built in ${AGAINST}`, call: (event) => againstLog.append(asRecord(event)), event: freshEvent } }),
    };
    const middleMean = (values) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
      return middle.reduce((sum, value) => sum + value, 0) / middle.length;
    };
    /** One batch of a row's appends, 32 in flight: its rate. */
    async function appendBatch(row) {
      const started = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent < appendCalls) {
          sent++;
          await row.call(row.event());
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      return appendCalls / ((performance.now() - started) / 1000);
    }
    /** A second batch with every command logged: SLOWLOG's own bookkeeping (a copy of each command's arguments) stays out of the first's CPU. */
    async function loggedTimes(row) {
      await client.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
      await client.sendCommand(['SLOWLOG', 'RESET']);
      await appendBatch(row);
      const logged = await client.sendCommand(['SLOWLOG', 'GET', String(appendCalls + 100)]);
      await client.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']);
      return logged.flatMap(([, , micros, [command]]) => (/^(xadd|evalsha)$/i.test(String(command)) ? [Number(micros)] : []));
    }
    await client.sendCommand(['CONFIG', 'SET', 'slowlog-max-len', String(appendCalls + 100)]);
    const appendRounds = await inRotatingRounds(Object.keys(appendRows), ROUNDS, async (name) => {
      const cost = await costOf(async () => ({ value: await appendBatch(appendRows[name]), requests: appendCalls }));
      return { rate: cost.value, cpu: cost.redisMainUs, durations: await loggedTimes(appendRows[name]) };
    });
    const appendRuns = Object.fromEntries(
      Object.entries(appendRounds).map(([name, rounds]) => [name, { rates: rounds.map((run) => run.rate), cpu: rounds.map((run) => run.cpu), durations: rounds.flatMap((run) => run.durations) }])
    );
    const appendRatios = (name) => appendRuns[name].rates.map((rate, round) => rate / appendRuns.xadd.rates[round]);
    const callMicros = (name) => fixed(middleMean(appendRuns[name].durations));
    await saveBenchReport({
      package: '@regevents/relay',
      id: 'relay-append',
      title: `the append alone: ${appendCalls} appends, 32 in flight, on one client`,
      baseline: 'a plain XADD by hand',
      unit: 'appends/s',
      results: Object.entries(appendRows).map(([name, row]) => ({ name: row.name, opsPerSecond: median(appendRuns[name].rates), ratio: median(appendRatios(name)) })),
      notes: [
        `${ROUNDS} rotating rounds after one to warm up; per-round ratios to the plain XADD: ${Object.keys(appendRows).filter((name) => name !== 'xadd').map((name) => `${name} ${appendRatios(name).map((r) => r.toFixed(2)).join(' ')}`).join('; ')}`,
        `Redis's time per call, the middle half of every call's SLOWLOG time (µs): plain XADD ${callMicros('xadd')}, minimal idempotent ${callMicros('minimal')}, relay push by tag ${callMicros('relay')}, relay push by digest ${callMicros('untagged')}${againstLog ? `, against push by tag ${callMicros('against')}` : ''}`,
        `Redis's main thread's CPU per append, reading and answering included, in the batches not logged (µs, median of rounds): ${Object.keys(appendRows).map((name) => `${name} ${fixed(median(appendRuns[name].cpu))}`).join(', ')}`,
      ],
    });
  }

  // ---- (2) the consumer ----
  if (only.has('consumer')) {
    const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
    // a run long enough that the group's handled record rotates a generation (at 8192 entries) on the way
    const LONG_EVENTS = Number(process.env.BENCH_LONG_EVENTS ?? 20_000);
    const REPOSITORIES = 64;
    const CONCURRENCY = 16;
    // a run that finds nothing more to handle for this long ends with an error: a stream shorter than
    // the run expects stops it instead of a read loop that never ends. The bare loops wait in Redis
    // (XREADGROUP BLOCK, answered at once while entries are there), the relay's consumer by a check of
    // its progress once per this time; neither adds a step per read or event.
    const STALL_MS = 5000;
    const stalled = (stream, handled, events) => new Error(`${stream}: nothing more to handle for ${STALL_MS} ms after ${handled} of ${events} events: the stream is shorter than the run expects`);
    async function fill(stream, events, build = undefined) {
      const log = (build?.createRedisLog ?? createRedisLog)({ client, stream });
      const body = JSON.parse(template).events[0];
      await Promise.all(
        Array.from({ length: events }, (_, i) => {
          const event = { ...body, id: `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, target: { ...body.target, repository: `bench/repo-${i % REPOSITORIES}` } };
          return log.append({ key: `distribution:${event.id}`, format: 'distribution', repository: event.target.repository, receivedAt: new Date().toISOString(), event });
        })
      );
      // every consumer starts from a collected heap: the fill's garbage is not the consumer's to pay for
      globalThis.gc?.();
      return log;
    }
    // CPU per event besides the rate: on a busy machine the rates mostly measure waiting for the
    // scheduler, the CPU each side spends does not. This thread's on-CPU time (Linux schedstat; the
    // process's CPU elsewhere, which counts GC and compiler threads too), and Redis's main thread's.
    const schedstat = `/proc/self/task/${process.pid}/schedstat`;
    const threadMicros = existsSync(schedstat)
      ? () => Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1000
      : () => {
          const { user, system } = process.cpuUsage();
          return user + system;
        };
    // Where the wall time goes besides these two threads: this process's other threads (V8's
    // optimizing compiler and GC helpers, which take a core from Redis on a busy machine; only where
    // the thread's own time is known), and the commands each run sent (its round trips).
    const ownCommands = new Set(['info', 'config', 'config|resetstat']);
    async function commandCalls() {
      const calls = Object.entries(await redisInfo('commandstats')).map(([name, value]) => [name.replace('cmdstat_', ''), Number(/calls=(\d+)/.exec(value)?.[1] ?? 0)]);
      return Object.fromEntries(calls.filter(([name]) => !ownCommands.has(name)));
    }
    /** Runs `consume` (which handles `events` and resolves to its start, in performance.now() time) and measures it. */
    async function measured(consume, events) {
      await client.sendCommand(['CONFIG', 'RESETSTAT']);
      const [node, processCpu, redisCpu] = [threadMicros(), process.cpuUsage(), (await redisCpuMicros()).main];
      const started = await consume();
      const elapsed = performance.now() - started;
      const [threadUs, processUs] = [threadMicros() - node, process.cpuUsage(processCpu)];
      const otherThreadsUs = (processUs.user + processUs.system - threadUs) / events;
      return { rate: events / (elapsed / 1000), nodeUs: threadUs / events, redisUs: ((await redisCpuMicros()).main - redisCpu) / events, otherThreadsUs, commands: await commandCalls() };
    }
    // handlers that answer at once run without a promise each (receiveNow); an async handler, as one
    // doing I/O is, pays one: the `async` row measures that case
    async function relayConsumer(round, events = EVENTS, asyncHandler = false, build = undefined) {
      const stream = `bench:consume${asyncHandler ? '-async' : ''}${build ? '-against' : ''}:${events}:${round}`;
      const log = await fill(stream, events, build);
      const consumerRelay = (build?.createRelay ?? createRelay)({ log, auth: { unauthenticated: true } });
      let handled = 0;
      let allHandled;
      const done = new Promise((resolve) => (allHandled = resolve));
      const count = () => {
        if (++handled === events) allHandled();
      };
      const consumer = consumerRelay.consumer('bench', { concurrency: CONCURRENCY, pollMs: 5 }).onAny(asyncHandler ? async () => count() : count);
      return measured(async () => {
        const started = performance.now();
        await consumer.start();
        // watched from a started consumer on: a start that throws leaves no timer to reject later
        let watch;
        const stall = new Promise((_, reject) => {
          let before = -1;
          watch = setInterval(() => (handled === before ? reject(stalled(stream, handled, events)) : (before = handled)), STALL_MS);
        });
        await Promise.race([done, stall]).finally(() => clearInterval(watch));
        // timed to the last acknowledgement, as the bare loops are: a graceful stop waits for it
        await consumer.stop();
        return started;
      }, events);
    }
    /** A fresh group read with XREADGROUP COUNT 100 on the same client until `events` are read, `settle` taking each batch (with its stream key and number). */
    async function readLoop(stream, events, settle) {
      await fill(stream, events);
      const key = `{${stream}:0}`;
      return measured(async () => {
        const started = performance.now();
        await client.sendCommand(['XGROUP', 'CREATE', key, 'bench', '0']);
        let handled = 0;
        let batches = 0;
        while (handled < events) {
          const reply = await client.sendCommand(['XREADGROUP', 'GROUP', 'bench', 'c', 'COUNT', '100', 'BLOCK', String(STALL_MS), 'STREAMS', key, '>']);
          const entries = reply?.[0]?.[1] ?? [];
          if (entries.length === 0) throw stalled(key, handled, events);
          await settle(key, entries, ++batches);
          handled += entries.length;
        }
        return started;
      }, events);
    }
    const ackBatch = async (key, entries) => {
      for (const [, fields] of entries) JSON.parse(fields[1]);
      await client.sendCommand(['XACK', key, 'bench', ...entries.map(([id]) => id)]);
    };
    const ackEach = async (key, entries) => {
      for (const [id, fields] of entries) {
        JSON.parse(fields[1]);
        await client.sendCommand(['XACK', key, 'bench', id]);
      }
    };
    const bareLoop = (round, perEvent = false, events = EVENTS) => readLoop(`bench:bare${perEvent ? '-each' : ''}:${events}:${round}`, events, perEvent ? ackEach : ackBatch);
    // the relay's own claim and ack scripts, called by hand, with the relay's default lease and dedupe TTL
    const [claimSha, ackSha] = await Promise.all([CLAIM, ACK].map((source) => client.sendCommand(['SCRIPT', 'LOAD', source])));
    const LEASE_MS = String(15_000);
    const DEDUPE_TTL_MS = String(7 * 24 * 60 * 60 * 1000);
    /**
     * What a consumer with the group's dedupe does at least, one batch after another: claim a batch's
     * event keys in one script, handle them (nothing), then XACK them and record them handled in one script.
     */
    const floorLoop = (round, events = EVENTS) =>
      readLoop(`bench:floor:${events}:${round}`, events, async (key, entries, batch) => {
        const handledKeys = [`${key}:handled:bench`, `${key}:handled:bench:previous`];
        const keys = entries.map(([, fields]) => JSON.parse(fields[1]).key);
        const claimed = String(await client.sendCommand(['EVALSHA', claimSha, '2', ...handledKeys, LEASE_MS, `floor:${round}:${batch}`, String(keys.length), ...keys]));
        // a fresh stream: every key is new to the group, so every claim must be taken
        if (claimed !== 'c'.repeat(keys.length)) throw new Error(`the dedupe by hand: the claim script answered ${claimed} for ${keys.length} new keys`);
        await client.sendCommand(['EVALSHA', ackSha, '4', ...handledKeys, key, `${key}:failures:bench`, 'bench', DEDUPE_TTL_MS, String(entries.length), ...entries.map(([id]) => id), ...keys]);
      });
    /** A long run, and proof that its handled record rotated a generation on the way (the rows say it does). */
    async function rotating(run, stream, round) {
      const result = await run;
      const previous = `{${stream}:${LONG_EVENTS}:${round}:0}:handled:bench:previous`;
      if ((await client.sendCommand(['EXISTS', previous])) !== 1) throw new Error(`${previous} does not exist after ${LONG_EVENTS} events: the handled record did not rotate (it needs more than 8192)`);
      rotated.push(previous);
      return result;
    }
    const rotated = [];
    const allConsumers = {
      relay: (round) => relayConsumer(round),
      async: (round) => relayConsumer(round, EVENTS, true),
      long: (round) => rotating(relayConsumer(round, LONG_EVENTS), 'bench:consume', round),
      bare: (round) => bareLoop(round),
      // the long runs' baseline: the batch-ack loop over as many events
      longBare: (round) => bareLoop(round, false, LONG_EVENTS),
      each: (round) => bareLoop(round, true),
      floor: (round) => floorLoop(round),
      longFloor: (round) => rotating(floorLoop(round, LONG_EVENTS), 'bench:floor', round),
      ...(againstBuild && {
        against: (round) => relayConsumer(round, EVENTS, false, againstBuild),
        longAgainst: (round) => rotating(relayConsumer(round, LONG_EVENTS, false, againstBuild), 'bench:consume-against', round),
      }),
    };
    const isLong = (name) => name.startsWith('long');
    // a selection keeps the baselines its rows are measured against
    const chosen = consumerRows ? new Set([...consumerRows, 'bare', ...(consumerRows.some(isLong) ? ['longBare'] : [])]) : undefined;
    const consumers = Object.fromEntries(Object.entries(allConsumers).filter(([name]) => !chosen || chosen.has(name)));
    const consumerRuns = await inRotatingRounds(
      Object.keys(consumers),
      Math.max(3, ROUNDS / 2),
      (name, round) => consumers[name](round),
      // the long runs' code is the short ones': warmed up with them
      (name) => (isLong(name) ? undefined : consumers[name]('warm-up'))
    );
    const rates = (name) => consumerRuns[name].map((run) => run.rate);
    const cpu = (name, side) => median(consumerRuns[name].map((run) => run[side])).toFixed(1);
    const ratios = (name, base) => rates(name).map((value, round) => value / rates(base)[round]);
    const rows = [
      { name: 'bare', base: 'bare', short: 'batch-ack loop', label: 'bare XREADGROUP + XACK per batch (same client)' },
      { name: 'each', base: 'bare', short: 'ack-per-event loop', label: 'bare XREADGROUP COUNT 100, then XACK after each event (same client)' },
      {
        name: 'floor',
        base: 'bare',
        short: 'dedupe by hand',
        label: "the group's dedupe by hand, one batch at a time: bare XREADGROUP COUNT 100, the relay's claim script over the batch, a no-op, the relay's ack script (XACK + recorded handled), same client (no overlap of reads, claims and acks, which the relay has)",
      },
      {
        name: 'relay',
        base: 'bare',
        short: 'relay',
        label: `relay consumer: each read batch claimed in one script, recorded handled with its acks, per partition; per-repository order (concurrency ${CONCURRENCY}, ${REPOSITORIES} repositories)`,
      },
      { name: 'async', base: 'bare', short: 'relay, async handler', label: 'the same relay consumer with an async handler (a promise per event, as a handler doing I/O has)' },
      { name: 'longBare', base: 'bare', short: `batch-ack loop over ${LONG_EVENTS}`, label: `bare XREADGROUP + XACK per batch over ${LONG_EVENTS} events (the next rows' baseline)` },
      { name: 'longFloor', base: 'longBare', short: `dedupe by hand over ${LONG_EVENTS}`, label: `the dedupe by hand over ${LONG_EVENTS} events: the handled record rotates a generation on the way (ratio against the batch-ack loop over ${LONG_EVENTS})` },
      {
        name: 'long',
        base: 'longBare',
        short: `relay over ${LONG_EVENTS}`,
        label: `the same relay consumer over ${LONG_EVENTS} events: the handled record rotates a generation on the way (ratio against the batch-ack loop over ${LONG_EVENTS})`,
      },
      { name: 'against', base: 'bare', short: 'relay, the other build', label: `the same relay consumer built from ${AGAINST}` },
      { name: 'longAgainst', base: 'longBare', short: `relay over ${LONG_EVENTS}, the other build`, label: `the same relay consumer over ${LONG_EVENTS} events built from ${AGAINST}` },
    ].filter((row) => row.name in consumers);
    const perRound = (name, base) => ratios(name, base).map((r) => r.toFixed(2)).join(' ');
    const commandsOf = (name) =>
      Object.entries(consumerRuns[name][0].commands)
        .map(([command, calls]) => `${command} ${calls}`)
        .join(', ');
    const has = (name) => name in consumers;
    await saveBenchReport({
      package: '@regevents/relay',
      id: 'relay-consumer',
      title: `consume ${EVENTS} events from Redis with acknowledgement`,
      baseline: 'a bare XREADGROUP COUNT 100 + XACK loop',
      unit: 'events/s',
      results: rows.map((row) => ({ name: row.label, opsPerSecond: median(rates(row.name)), ratio: median(ratios(row.name, row.base)) })),
      target: 'relay consumer >= 0.8x the bare loop',
      notes: [
        `${consumerRuns.bare.length} rotating rounds${has('relay') ? `; per-round ratios relay / batch-ack loop: ${perRound('relay', 'bare')}` : ''}${has('relay') && has('each') ? `; relay / ack-per-event loop: ${perRound('relay', 'each')}` : ''}`,
        ...(has('floor')
          ? [
              `the dedupe by hand (claim + ack scripts, one batch at a time) / batch-ack loop per round: ${perRound('floor', 'bare')}${has('relay') ? `; relay / the dedupe by hand: ${perRound('relay', 'floor')} (median ${fixed(median(ratios('relay', 'floor')), 2)}x)` : ''}`,
            ]
          : []),
        ...(has('long') ? [`per-round ratios of the ${LONG_EVENTS}-event relay run / the batch-ack loop over ${LONG_EVENTS}: ${perRound('long', 'longBare')}`] : []),
        ...(has('longFloor') ? [`the dedupe by hand over ${LONG_EVENTS} / the batch-ack loop over ${LONG_EVENTS} per round: ${perRound('longFloor', 'longBare')}${has('long') ? `; relay / the dedupe by hand over ${LONG_EVENTS}: ${perRound('long', 'longFloor')}` : ''}`] : []),
        ...[
          ['relay', 'against', ''],
          ['long', 'longAgainst', ` over ${LONG_EVENTS}`],
        ]
          .filter(([name, other]) => has(name) && has(other))
          .map(
            ([name, other, over]) =>
              `relay${over} / the other build per round: ${perRound(name, other)} (median ${fixed(median(ratios(name, other)), 2)}x); this thread's CPU per event (us), this build / the other, per round: ${consumerRuns[name].map((run, round) => `${fixed(run.nodeUs)}/${fixed(consumerRuns[other][round].nodeUs)}`).join(' ')}`
          ),
        ...(rotated.length > 0 ? [`the handled record rotated in every long run (EXISTS answered 1): ${rotated.join(', ')}`] : []),
        `CPU per event, medians (this thread / Redis's main thread): ${rows.map((row) => `${row.short} ${cpu(row.name, 'nodeUs')} / ${cpu(row.name, 'redisUs')} us`).join(', ')}`,
        ...(existsSync(schedstat) ? [`this process's other threads (V8's compiler and GC helpers), CPU per event, medians: ${rows.map((row) => `${row.short} ${cpu(row.name, 'otherThreadsUs')} us`).join(', ')}`] : []),
        `commands Redis ran per run, a script's own commands included (first round): ${rows.map((row) => `${row.short}: ${commandsOf(row.name)}`).join('; ')}`,
      ],
    });
  }

  // ---- (3) docker-registry pushing into the relay ----
  if (only.has('registry')) {
    const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1500);
    const workDir = await mkdtemp(join(tmpdir(), 'regevents-relay-bench-'));
    let target = (req, res) => res.writeHead(200).end();
    let open = true;
    const router = await serve((req, res) => {
      if (!open) {
        req.resume();
        res.writeHead(503).end();
        return;
      }
      void target(req, res);
    });
    const registry = await startRegistry({
      config: (base) =>
        registryConfig({
          ...base,
          notifications: {
            endpoints: [{ name: 'bench', url: `http://127.0.0.1:${router.address().port}/events`, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 1, backoff: '20ms' }],
          },
        }),
    });
    let registryCosts;
    try {
      const metrics = async () => (await (await fetch(registry.debugUrl)).json()).registry.notifications.endpoints.find((e) => e.name === 'bench').Metrics;
      const source = await writeOciLayout(join(workDir, 'image'), buildImage({ seed: 7, layers: 1, layerBytes: 512 }), 'v1');
      await skopeoCopy(source, `docker://${registry.host}/bench/app:1`);
      const registryRelay = createRelay({ log: createRedisLog({ client, stream: 'bench:registry' }), auth: { bearer: TOKEN } });
      const bareOk = (req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200).end());
      };
      /** Events per second, and what they cost on each side while the registry drains its queue. */
      async function drain(handler, backlog = BACKLOG) {
        while ((await metrics()).Pending > 0) await sleep(20);
        open = false;
        target = handler;
        // a backlog of pull events: one per manifest HEAD, queued while the endpoint answers 503
        for (let sent = 0; sent < backlog; sent += 50) {
          await Promise.all(Array.from({ length: 50 }, () => fetch(`${registry.url}/v2/bench/app/manifests/1`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })));
        }
        while ((await metrics()).Pending < backlog) await sleep(20);
        const successes = (await metrics()).Successes;
        return costOf(async () => {
          const started = performance.now();
          open = true;
          while ((await metrics()).Successes < successes + backlog) await sleep(5);
          return { value: backlog / ((performance.now() - started) / 1000), requests: backlog };
        });
      }
      // createWebhookHandler alone (no log), to tell the relay's cost from the receiver's it is built on
      const hooksOnly = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny(() => undefined);
      // and with the same XADD by hand: the round trip to Redis any durable append waits for, without the relay's idempotency and tag state
      const hooksXadd = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny(xaddByHand('bench:registry-by-hand'));
      const hooksIdempotent = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false }).onAny(await idempotentXaddByHand('bench:registry-idempotent-by-hand'));
      const drainTargets = { bare: bareOk, hooks: hooksOnly.node, byHand: hooksXadd.node, idempotentByHand: hooksIdempotent.node, relay: registryRelay.node };
      registryCosts = await inRotatingRounds(
        Object.keys(drainTargets),
        4,
        (name) => drain(drainTargets[name]),
        (name) => drain(drainTargets[name], 100)
      );
    } finally {
      await registry.stop();
      router.close();
      await rm(workDir, { recursive: true, force: true });
    }
    const registryRuns = Object.fromEntries(Object.entries(registryCosts).map(([name, rounds]) => [name, rounds.map((cost) => cost.value)]));
    const registryRatios = registryRuns.relay.map((value, round) => value / registryRuns.bare[round]);
    const registryTarget = 0.9;
    const drainCost = (name, pick) => median(registryCosts[name].map(pick));
    await saveBenchReport({
      package: '@regevents/relay',
      id: 'relay-registry',
      title: `docker-registry 2.8.2 draining a backlog of ${BACKLOG} events`,
      baseline: 'a bare node:http handler answering 200',
      unit: 'events/s',
      results: [
        { name: 'bare 200 handler', opsPerSecond: median(registryRuns.bare), ratio: 1 },
        { name: 'createWebhookHandler with a no-op handler (no log)', opsPerSecond: median(registryRuns.hooks), ratio: median(registryRuns.hooks.map((value, round) => value / registryRuns.bare[round])) },
        { name: 'createWebhookHandler + hand-written XADD (one Redis round trip, no idempotency)', opsPerSecond: median(registryRuns.byHand), ratio: median(registryRuns.byHand.map((value, round) => value / registryRuns.bare[round])) },
        { name: 'createWebhookHandler + hand-written idempotent append (a minimal one: one script, SET NX PX then XADD)', opsPerSecond: median(registryRuns.idempotentByHand), ratio: median(registryRuns.idempotentByHand.map((value, round) => value / registryRuns.bare[round])) },
        { name: 'relay with Redis (auth, validate, idempotent append)', opsPerSecond: median(registryRuns.relay), ratio: median(registryRatios) },
      ],
      target: `relay >= ${registryTarget}x the bare handler (the registry sends one event at a time)`,
      notes: [
        `target relay >= ${registryTarget}x the bare handler: ${median(registryRatios) >= registryTarget ? 'met' : 'not met'} (${fixed(median(registryRatios), 2)}x; the hand-written XADD, one Redis round trip per event and nothing else, ${fixed(median(registryRuns.byHand.map((value, round) => value / registryRuns.bare[round])), 2)}x)`,
        `4 rotating rounds; per-round ratios relay / bare: ${registryRatios.map((r) => r.toFixed(2)).join(' ')}; relay / createWebhookHandler alone: ${registryRuns.relay
          .map((value, round) => (value / registryRuns.hooks[round]).toFixed(2))
          .join(' ')}; relay / hand-written XADD: ${registryRuns.relay.map((value, round) => (value / registryRuns.byHand[round]).toFixed(2)).join(' ')}; relay / hand-written idempotent append: ${registryRuns.relay.map((value, round) => (value / registryRuns.idempotentByHand[round]).toFixed(2)).join(' ')}`,
        `wall time per event (medians): bare ${fixed(1e6 / median(registryRuns.bare), 0)} µs, createWebhookHandler alone ${fixed(1e6 / median(registryRuns.hooks), 0)} µs, hand-written XADD ${fixed(1e6 / median(registryRuns.byHand), 0)} µs, relay ${fixed(1e6 / median(registryRuns.relay), 0)} µs`,
        `Redis per event, one command at a time: relay EVALSHA ${fixed(drainCost('relay', (c) => c.perCall.evalsha))} µs a call, its CPU ${fixed(drainCost('relay', (c) => c.redisUs))} µs; hand-written XADD ${fixed(drainCost('byHand', (c) => c.perCall.xadd))} µs a call, its CPU ${fixed(drainCost('byHand', (c) => c.redisUs))} µs`,
        `GC per drain: relay ${fixed(drainCost('relay', (c) => c.gcMs), 0)} ms (longest pause ${fixed(drainCost('relay', (c) => c.longestGcMs))} ms), hand-written ${fixed(drainCost('byHand', (c) => c.gcMs), 0)} ms, bare ${fixed(drainCost('bare', (c) => c.gcMs), 0)} ms`,
      ],
    });
  }
} finally {
  if (client.isOpen) await client.quit();
  await redis.stop();
}

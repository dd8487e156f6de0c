import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, endpointMetrics, freePort, queueDrained, registryConfig, requirePeers, skopeoCopy, sleep, startRegistry, writeOciLayout, type RunningRegistry } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { createRedisLog, createRelay, type LogEntry } from '../src/index.js';
import { TOKEN, until, useRedis, useWorkDir, type RedisClient } from './helpers.js';
import { startProcess, type TestProcess } from './processes.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');

const PARTITIONS = 4;
const GROUP = 'faults';
const POISONED = 'poisoned/app';
const REPOSITORIES = ['team/one', 'team/two', 'team/three', POISONED];
const PUSHES_PER_REPOSITORY = 3;
/** The consumer's lease, retries and attempts (test/processes/consumer.mjs). */
const CONSUMER_CONCURRENCY = 2;


function startRegistryFor(url: string): Promise<RunningRegistry> {
  return startRegistry({
    config: (base) =>
      registryConfig({
        ...base,
        notifications: { endpoints: [{ name: 'relay', url, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 3, backoff: '200ms' }] },
      }),
  });
}

interface HandledLine {
  pid: number;
  id: string;
  repository: string;
  at: number;
}

async function handledLines(path: string): Promise<HandledLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HandledLine);
}

async function logEntries(client: RedisClient): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for await (const entry of createRelay({ log: createRedisLog({ client, partitions: PARTITIONS }), auth: { unauthenticated: true } }).replay({ from: 'beginning' })) entries.push(entry);
  return entries;
}

describe.skipIf(!peers.available)('faults: docker-registry → relay process → redis-server (appendfsync always) → consumer processes', () => {
  const started = useRedis({ appendfsync: 'always' });
  const scratch = useWorkDir('regevents-relay-faults-');

  it('with consumers SIGKILLed and restarted, the relay killed and Redis killed: every delivered event is handled once, in order per repository; a failing repository is dead-lettered without holding up the others', async () => {
    const { redis, client } = started;
    const workDir = scratch.path;
    const port = await freePort();
    const out = join(workDir, 'handled.ndjson');
    const relayArgs = [redis.url, String(port), TOKEN, String(PARTITIONS)];
    const consumerArgs = [redis.url, GROUP, String(PARTITIONS), out, POISONED];
    let relayProcess = await startProcess('relay.mjs', relayArgs);
    const consumers: TestProcess[] = [await startProcess('consumer.mjs', consumerArgs), await startProcess('consumer.mjs', consumerArgs)];
    const killed = new Set<number>();
    const registry = await startRegistryFor(`http://127.0.0.1:${port}/events`);
    const faults: string[] = [];
    try {
      // pushes: one chain per repository, side by side, each push a new image (three events)
      let seed = 100;
      const pushes = Promise.all(
        REPOSITORIES.map(async (repository) => {
          for (let n = 0; n < PUSHES_PER_REPOSITORY; n++) {
            const source = await writeOciLayout(join(workDir, `image-${++seed}`), buildImage({ seed, layers: 1, layerBytes: 512 }), 'v1');
            await skopeoCopy(source, `docker://${registry.host}/${repository}:${n}`);
          }
        })
      );
      let pushing = true;
      void pushes.finally(() => (pushing = false));

      // faults while the pushes run: each kind at least once, at random moments
      const schedule = ['consumer', 'relay', 'consumer', 'redis', 'consumer'];
      for (const fault of schedule) {
        await sleep(300 + Math.random() * 700);
        if (fault === 'consumer') {
          const index = Math.floor(Math.random() * consumers.length);
          const victim = consumers[index] as TestProcess;
          killed.add(victim.pid);
          await victim.kill();
          consumers[index] = await startProcess('consumer.mjs', consumerArgs);
        } else if (fault === 'relay') {
          await relayProcess.kill();
          await sleep(200);
          relayProcess = await startProcess('relay.mjs', relayArgs);
        } else {
          await redis.restart({ kill: true });
        }
        faults.push(`${fault}${pushing ? '' : ' (after the pushes)'}`);
      }
      await pushes;

      // the registry has sent everything, and the group has handled or dead-lettered all of it
      await queueDrained(registry.debugUrl, 'relay', 30_000);
      const log = createRedisLog({ client, partitions: PARTITIONS });
      await until(
        async () => {
          const stats = await log.groupStats(GROUP);
          return stats.lag === 0 && stats.pending === 0;
        },
        'the group to finish',
        40_000
      );

      const metrics = await endpointMetrics(registry.debugUrl, 'relay');
      const entries = await logEntries(client);
      const ids = entries.map((entry) => (entry.record.event as { id: string }).id);
      // one Success per event: the registry moves on only after a 2xx, and a 2xx means it is in the log
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(metrics.Successes);
      expect(metrics.Successes).toBe(REPOSITORIES.length * PUSHES_PER_REPOSITORY * 3);

      const lines = await handledLines(out);
      const good = entries.filter((entry) => entry.record.repository !== POISONED);
      const poisoned = entries.filter((entry) => entry.record.repository === POISONED);
      // exactly once: a second line for an event is allowed only when its first was among the last
      // lines of a consumer that was SIGKILLed before recording it as handled (at-least-once's window)
      const byPid = new Map<number, string[]>();
      for (const line of lines) byPid.set(line.pid, [...(byPid.get(line.pid) ?? []), line.id]);
      const inKillWindow = (line: HandledLine) => killed.has(line.pid) && (byPid.get(line.pid) ?? []).slice(-CONSUMER_CONCURRENCY).includes(line.id);
      const firsts = new Map<string, HandledLine>();
      for (const line of lines) {
        const first = firsts.get(line.id);
        if (!first) firsts.set(line.id, line);
        else expect(inKillWindow(first), `event ${line.id} handled twice`).toBe(true);
      }
      expect([...firsts.keys()].sort()).toEqual(good.map((entry) => (entry.record.event as { id: string }).id).sort());

      // per-repository order: the first successful handling of each event follows the log
      for (const repository of REPOSITORIES.filter((name) => name !== POISONED)) {
        const inLog = good.filter((entry) => entry.record.repository === repository).map((entry) => (entry.record.event as { id: string }).id);
        const handled = [...firsts.values()].filter((line) => line.repository === repository).map((line) => line.id);
        expect(handled, repository).toEqual(inLog);
      }

      // the failing repository went to dead letters, and did not hold the others up
      const letters = await log.listDeadLetters(GROUP, 100);
      expect(letters.map((letter) => letter.record.repository)).toEqual(poisoned.map(() => POISONED));
      expect(letters.every((letter) => letter.attempts === 3 && letter.error.includes('always fails'))).toBe(true);
      const lastGood = Math.max(...[...firsts.values()].map((line) => line.at));
      const lastDead = Math.max(...letters.map((letter) => Date.parse(letter.deadAt)));
      expect(lastGood).toBeLessThan(lastDead);
      expect(faults.length).toBe(schedule.length);
    } finally {
      await registry.stop();
      await Promise.all([relayProcess.kill(), ...consumers.map((consumer) => consumer.kill())]);
    }
  }, 120_000);
});

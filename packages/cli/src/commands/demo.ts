import { imageScenarios } from '@regevents/mock-registry';
import { createRegistryClient } from '@regevents/registry-client';
import { reconcile, RECONCILE_USER_AGENT, type Consumer } from '@regevents/relay';
import { checkPolicies, createReplicator, type Replicator } from '@regevents/replication';
import { apply, createUsageTracker, formatBytes, formatPlanTable, plan, RETENTION_USER_AGENT, type UsageStore } from '@regevents/retention';
import { EXIT } from '../cli-error.js';
import type { Io } from '../output.js';
import type { Started } from '../closing.js';
import { serveUntilInterrupted, type Serving } from '../interruption.js';
import { demoRetentionPolicy } from './demo-retention.js';
import { memoryBackend, redisBackend, type DemoBackend } from './demo-backend.js';
import { pendingNotifications, startDemoSites, type DemoSites } from './demo-sites.js';
import { serveDemoUi } from './demo-ui.js';
import { DemoStory } from './demo-story.js';

export interface DemoOptions {
  once?: boolean;
  json?: boolean;
  port: number;
  /** Keep the log, the jobs and the usage in this Redis instead of memory. */
  redis?: string;
  /** Serve the live view on 127.0.0.1 at this port (0 picks one). */
  ui?: number;
}

const DAY = 24 * 60 * 60 * 1000;
const TWO_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];
/** What users push while the relay is up, and while it is down. */
const PUSHED_WHILE_UP: [string, { layers?: number; seed?: number; platforms?: typeof TWO_PLATFORMS }][] = [
  ['demo/app:1.0.0', { layers: 2, seed: 1 }],
  ['demo/app:build-1', { seed: 2 }],
  ['demo/multi:1.0.0', { seed: 3, platforms: TWO_PLATFORMS }],
];
const PULLED = ['demo/app:1.0.0', 'demo/app:build-1'];
const PUSHED_WHILE_DOWN: [string, { seed: number }][] = [
  ['demo/app:build-2', { seed: 4 }],
  ['demo/app:build-3', { seed: 5 }],
];

/**
 * The whole story on one machine with nothing installed: two mock registries (site A, site B), a
 * relay with its memory log in front of A, replication A → B on the memory queue, usage tracking
 * and a retention policy; pushes and pulls on A, the relay down while more is pushed and A
 * restarted (its queue lost), reconciliation recovering exactly those pushes, then retention.
 */
export function demoCommand(options: DemoOptions, io: Io): Promise<number> {
  // --once is a check: cut short, it has no verdict, and a CI job's timeout must not pass
  return serveUntilInterrupted(io, 'regevents demo', (serving) => demo(serving, options, io), { interrupted: options.once ? EXIT.interrupted : undefined });
}

async function demo({ signal, stopped, started }: Serving, options: DemoOptions, io: Io): Promise<number> {
  const story = new DemoStory(io, Boolean(options.json));
  const backend = options.redis ? await redisBackend(options.redis, io, signal) : memoryBackend();
  started.add(async () => {
    await backend.close();
    if (backend.keyPrefix) story.say(`removed the demo's keys from Redis (${backend.keyPrefix}*)`);
  });
  const run = await startDemo(options, backend, story, io, started);
  const succeeded = await tellStory(run, story, signal);
  if (!options.once) {
    story.say(`still serving; try: skopeo copy --src-tls-verify=false docker://${run.sites.urls.b.replace(/^http:\/\//, '')}/demo/multi:1.0.0 oci:/tmp/multi:1.0.0`);
    story.say('Ctrl-C stops');
    await stopped;
  }
  return succeeded ? EXIT.ok : EXIT.failed;
}

/** What runs while the story is told: the sites, the replicator, the relay's consumers and the live view (`started` closes them). */
interface DemoRun {
  sites: DemoSites;
  replicator: Replicator;
  consumers: Consumer[];
  store: UsageStore;
  startConsumers(): Promise<unknown>;
  stopConsumers(): Promise<unknown>;
}

/** Each part registers its close in `started` as it is up, so a failed start (a port in use) closes what came before it. */
async function startDemo(options: DemoOptions, backend: DemoBackend, story: DemoStory, io: Io, started: Started): Promise<DemoRun> {
  const sites = await startDemoSites(options.port, backend.log, started);
  const { relay, urls } = sites;
  story.say(`mock registry on ${urls.a} (site A) and ${urls.b} (site B), relay on ${urls.relay} (${backend.description}); A notifies the relay`);
  const { policies } = checkPolicies({ name: 'a-to-b', source: { registry: urls.a, repositories: ['demo/**'] }, targets: [{ name: 'site-b', registry: urls.b }] });
  const replicator = createReplicator({ policies, queue: backend.queue, status: async (change) => story.status(change) });
  const images = relay.consumer('images', { coalesce: { client: createRegistryClient({ baseUrl: urls.a, userAgent: 'regevents-demo/0.1.0' }) } });
  images.on('image.pushed', (image) => story.image(image));
  const replication = relay.consumer('replication');
  replicator.subscribe(replication);
  const usage = createUsageTracker({ store: backend.store }).attach(relay.consumer('retention'));
  const consumers: Consumer[] = [images, replication, usage];
  const startConsumers = () => Promise.all(consumers.map((consumer) => consumer.start()));
  const stopConsumers = () => Promise.all(consumers.map((consumer) => consumer.stop()));
  started.add(() => replicator.close());
  await replicator.start();
  started.add(stopConsumers);
  await startConsumers();
  if (options.ui !== undefined) await started.part(serveDemoUi(relay, replicator, options.ui, io));
  return { sites, replicator, consumers, store: backend.store, startConsumers, stopConsumers };
}

/**
 * One step of the story: Ctrl-C before it ends the story (throwing the signal's reason); its title
 * is printed first; `settled` waits for the consumers and jobs it set off and prints what they saw.
 */
type Step = <T>(title: string, act: () => Promise<T>, settled?: boolean) => Promise<T>;

/**
 * Pushes, pulls, the outage, reconcile and retention, printed step by step; true when every job succeeded and reconcile recovered exactly the pushes made while the relay was down.
 * Ctrl-C ends it before its next step.
 */
async function tellStory({ sites, replicator, consumers, store, startConsumers, stopConsumers }: DemoRun, story: DemoStory, signal: AbortSignal): Promise<boolean> {
  const { relay, urls } = sites;
  // Users: a client with a User-Agent of their own, so their pulls count for retention.
  const user = imageScenarios(createRegistryClient({ baseUrl: urls.a, userAgent: 'docker/27.0 (demo user)' }));
  const step: Step = async (title, act, settled = true) => {
    signal.throwIfAborted();
    story.say(title);
    const result = await act();
    if (!settled) return result;
    await sites.siteA.idle();
    await story.settle(consumers, replicator);
    return result;
  };

  for (const [reference, image] of PUSHED_WHILE_UP) await step(`push ${reference}${image.platforms ? ' (multi-arch index: linux/amd64, linux/arm64)' : ''}`, () => user.pushImage(reference, image));
  for (const reference of PULLED) await step(`pull ${reference}`, () => user.pullImage(reference));

  await step('stop the relay: its receiver and its consumers', () => Promise.all([sites.stopReceiver(), stopConsumers()]), false);
  for (const [reference, image] of PUSHED_WHILE_DOWN) await step(`push ${reference} while the relay is down`, () => user.pushImage(reference, image), false);
  const lost = await step(
    'restart site A: a new registry over the same storage, on the same address',
    async () => {
      const queued = await sites.restartSiteA();
      story.record('registry.restart', `  site A's /debug/vars showed ${queued} events pending for the relay: lost with its queue; the new registry's queue starts empty`, { lost: queued, pendingAfter: pendingNotifications(sites.siteA) });
      return queued;
    },
    false,
  );
  await step('start the relay again: its receiver and its consumers', () => Promise.all([sites.startReceiver(), startConsumers()]));

  const reconciled = await step("reconcile site A against the relay's tag state", async () => {
    const result = await reconcile({ client: { baseUrl: urls.a }, relay });
    story.record('reconcile', `  reconcile: ${result.repositories} repositories, ${result.tags} tags, ${result.pushed} pushed, ${result.deleted} deleted`, { ...result });
    return result;
  });

  const removed = await runRetention(step, signal, story, urls.a, store);
  const successes = story.statuses.filter((change) => change.status === 'Success').length;
  const jobs = new Set(story.statuses.map((change) => change.jobId)).size;
  const pushes = PUSHED_WHILE_UP.length + PUSHED_WHILE_DOWN.length;
  story.record(
    'summary',
    `${pushes} images pushed (${PUSHED_WHILE_DOWN.length} while the relay was down), ${PULLED.length} pulled, ${story.images.length} image.pushed events (${reconciled.pushed} recovered by reconcile), ${successes} of ${jobs} replication jobs Success, ${removed.tags.length} tags removed by retention (${formatBytes(removed.bytes)})`,
    { pushes, pushedWhileDown: PUSHED_WHILE_DOWN.map(([reference]) => reference), pulls: PULLED.length, images: story.images.length, lost, recovered: reconciled.pushed, jobs, successes, removed: removed.tags.length },
  );
  const recovered = story.images.filter((image) => image.event.request.useragent === RECONCILE_USER_AGENT).map((image) => `${image.repository}:${image.tag}`);
  return successes === jobs && recovered.join() === PUSHED_WHILE_DOWN.map(([reference]) => reference).join();
}

/** The retention plan as of 31 days on, printed, then applied (its result line says what it did): what it removed. */
async function runRetention(step: Step, signal: AbortSignal, story: DemoStory, registry: string, store: UsageStore): Promise<{ tags: string[]; bytes: number }> {
  const client = createRegistryClient({ baseUrl: registry, userAgent: RETENTION_USER_AGENT });
  const planned = await step('retention plan for demo/**, as of 31 days from now (releases and the last pulled build stay)', () => plan(demoRetentionPolicy(), { client, store, clock: () => Date.now() + 31 * DAY }), false);
  const tags = planned.entries.filter((entry) => entry.action === 'remove').map((entry) => `${entry.repository}:${entry.tag ?? entry.digest}`);
  story.record('retention.plan', formatPlanTable(planned, { columns: ['action', 'image', 'pulls', 'bytes', 'why'], summary: false, indent: '  ' }), { removed: tags, reclaimableBytes: planned.reclaimableBytes, summary: planned.summary });
  signal.throwIfAborted();
  const report = await apply(planned, { client, store });
  story.record('retention.apply', `  applied: ${report.counts.deleted} manifests deleted, ${formatBytes(planned.reclaimableBytes)} reclaimable after garbage-collect`, { counts: report.counts });
  return { tags, bytes: planned.reclaimableBytes };
}

import { compileArtifactSelector, type ArtifactMatcher } from '@regevents/config';
import type { CopyProgress } from '@regevents/registry-client';
import type { RelayLog } from '@regevents/relay';
import type { Event } from '@regevents/types';
import { findMissingTags } from './catch-up.js';
import { clientPool, type ClientSettings } from './clients.js';
import { createMemoryQueue } from './memory-queue.js';
import type { ReplicationPolicy, ReplicationTarget } from './policy.js';
import { PermanentJobError, type JobLane, type JobQueue, type JobRun, type JobView, type ReplicationJobData } from './queue.js';
import { runJob } from './run-job.js';
import { relayStatusSink, type ReplicationStatus, type StatusChange, type StatusSink } from './status.js';

export interface ReplicatorOptions {
  policies: readonly ReplicationPolicy[];
  /** Default `createMemoryQueue()`: one process, jobs lost on exit. Use `createBullMqQueue` from `./node` for Redis. */
  queue?: JobQueue;
  /** Where each job's status changes go: a relay log (as Harbor REPLICATION events) or a function. Default: nowhere. */
  status?: RelayLog | StatusSink;
  clients?: ClientSettings;
  /**
   * The registry an event came from, as `host:port`. Default: the host of `target.url`, else
   * `request.host`; an event is replicated by the policies whose source registry has that host.
   */
  sourceOf?: (event: Event) => string | undefined;
  /** Progress of this process's copies (bytes and blobs). */
  onProgress?: (jobId: string, progress: CopyProgress) => void;
  /** Errors of scheduled catch-ups. Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface Replicator {
  /** Turns a registry event into jobs (one per matching policy and target); resolves to the ids of new jobs. */
  handle(event: Event): Promise<string[]>;
  /** Handles the push and delete events a relay consumer (or any `on(key, handler)` registration) delivers. */
  subscribe(registration: { on(key: 'push:manifest' | 'delete:manifest' | 'delete:tag', handler: (event: Event) => unknown): unknown }): void;
  /** Starts workers for every lane in this process (`work: false` only enqueues) and catch-up: now, then on each policy's schedule. */
  start(options?: { work?: boolean; catchUp?: boolean }): Promise<void>;
  /** Compares source and targets and enqueues what is missing; resolves to the ids of new jobs. */
  catchUp(policy?: string): Promise<string[]>;
  /** Enqueues a copy of one tag by hand. */
  replicate(policy: string, repository: string, tag: string): Promise<string[]>;
  /** Runs a failed job again. */
  retry(jobId: string): Promise<boolean>;
  /** Removes a policy's waiting and delayed jobs and aborts those running here (each ends in Stopped); resolves to their ids. */
  stop(policy: string): Promise<string[]>;
  jobs(): Promise<JobView[]>;
  /** Stops workers and schedules; running jobs finish. */
  close(): Promise<void>;
}

interface Lane {
  policy: ReplicationPolicy;
  target: ReplicationTarget;
  lane: JobLane;
}

async function shortHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest.slice(0, 10)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function defaultSourceOf(event: Event): string | undefined {
  const url = (event.target as { url?: string }).url;
  if (url) {
    try {
      return new URL(url).host;
    } catch {
      // fall back to the request's host
    }
  }
  return event.request.host;
}

const takesEvents = (policy: ReplicationPolicy) => policy.trigger === 'event' || (typeof policy.trigger === 'object' && policy.trigger.event === true);

/** The job an event asks for, or undefined when it asks for none. */
function jobOfEvent(event: Event, policy: ReplicationPolicy): Omit<ReplicationJobData, 'policy' | 'target' | 'createdAt'> | undefined {
  const target = event.target as { repository: string; tag?: string; digest?: string; mediaType?: string };
  const base = { repository: target.repository, cause: 'event' as const, eventId: event.id };
  if (event.action === 'push') return target.tag ? { ...base, action: 'copy', tag: target.tag, ...(target.digest ? { pushedDigest: target.digest, pushedAt: event.timestamp } : {}) } : undefined;
  if (event.action !== 'delete' || policy.deletes !== 'propagate') return undefined;
  if (target.tag) return { ...base, action: 'delete', tag: target.tag };
  return target.digest ? { ...base, action: 'delete', digest: target.digest } : undefined;
}

/**
 * Replication from registry events: each (policy, event, target) becomes a job in the target's
 * lane; workers copy with the registry client and report every transition as a status change.
 */
export function createReplicator(options: ReplicatorOptions): Replicator {
  const queue = options.queue ?? createMemoryQueue();
  const sink: StatusSink = typeof options.status === 'function' ? options.status : options.status ? relayStatusSink(options.status) : async () => undefined;
  const clientOf = clientPool(options.clients);
  const sourceOf = options.sourceOf ?? defaultSourceOf;
  const onError = options.onError ?? ((error: unknown) => console.error('[@regevents/replication]', error));
  const matchers = new Map<string, ArtifactMatcher>(options.policies.map((policy) => [policy.name, compileArtifactSelector(policy.source)]));
  const lanes = new Map<string, Lane>();
  for (const policy of options.policies) {
    for (const target of policy.targets) {
      const name = `${policy.name}.${target.name}`;
      const settings = { concurrency: target.concurrency, attempts: policy.attempts, backoffMs: policy.backoffMs, ...(target.rateLimit ? { rateLimit: target.rateLimit } : {}) };
      lanes.set(name, { policy, target, lane: queue.lane(name, settings) });
    }
  }
  const timers: ReturnType<typeof setInterval>[] = [];

  const policyNamed = (name: string) => {
    const policy = options.policies.find((candidate) => candidate.name === name);
    if (!policy) throw new TypeError(`no policy is named "${name}"`);
    return policy;
  };
  const lanesOf = (policy: ReplicationPolicy) => [...lanes.values()].filter((lane) => lane.policy === policy);

  const report = (lane: Lane, jobId: string, data: ReplicationJobData, status: ReplicationStatus, details: Partial<StatusChange> = {}) =>
    sink({ jobId, status, policy: lane.policy, target: lane.target, data, attempt: 0, maxAttempts: lane.policy.attempts, at: new Date(), ...details });

  /** Adds the job to each lane of the policy (or of one target); `identity` makes the job id, so the same cause adds a job once. */
  async function enqueue(policy: ReplicationPolicy, job: Omit<ReplicationJobData, 'policy' | 'target' | 'createdAt'>, identity: string, only?: ReplicationTarget): Promise<string[]> {
    const added: string[] = [];
    for (const lane of lanesOf(policy)) {
      if (only && lane.target !== only) continue;
      const id = `${policy.name}.${lane.target.name}.${await shortHash(`${identity}\n${lane.target.name}`)}`;
      const data: ReplicationJobData = { ...job, policy: policy.name, target: lane.target.name, createdAt: new Date().toISOString() };
      // Pending goes out before the job can start, so no worker's Running overtakes it
      if (await lane.lane.get(id)) continue;
      await report(lane, id, data, 'Pending');
      if (await lane.lane.add(id, data)) added.push(id);
    }
    return added;
  }

  async function work(lane: Lane, run: JobRun) {
    const details = { attempt: run.attempt, maxAttempts: run.maxAttempts };
    await report(lane, run.id, run.data, 'Running', details);
    try {
      const result = await runJob(
        {
          policy: lane.policy,
          target: lane.target,
          source: clientOf(lane.policy.source),
          destination: clientOf(lane.target),
          signal: run.signal,
          ...(options.onProgress ? { onProgress: (progress: CopyProgress) => options.onProgress?.(run.id, progress) } : {}),
        },
        run.data,
      );
      await report(lane, run.id, run.data, 'Success', { ...details, result });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (run.signal.aborted) {
        await report(lane, run.id, run.data, 'Stopped', details);
        throw new PermanentJobError('stopped');
      }
      const willRetry = !(error instanceof PermanentJobError) && run.attempt < run.maxAttempts;
      await report(lane, run.id, run.data, 'Error', { ...details, error: message, willRetry });
      throw error;
    }
  }

  async function catchUp(name?: string): Promise<string[]> {
    const added: string[] = [];
    for (const policy of name === undefined ? options.policies : [policyNamed(name)]) {
      for (const target of policy.targets) {
        const missing = await findMissingTags(policy, target, { source: clientOf(policy.source), destination: clientOf(target) });
        for (const tag of missing) {
          const job = { action: 'copy' as const, repository: tag.repository, tag: tag.tag, cause: 'catch-up' as const };
          // one job per missing digest: a catch-up that runs again while it waits adds nothing
          added.push(...(await enqueue(policy, job, `catch-up\n${tag.repository}:${tag.tag}@${tag.digest}`, target)));
        }
      }
    }
    return added;
  }

  const replicator: Replicator = {
    async handle(event) {
      const host = sourceOf(event);
      const added: string[] = [];
      for (const policy of options.policies) {
        if (!takesEvents(policy) || new URL(policy.source.registry).host !== host) continue;
        const job = jobOfEvent(event, policy);
        if (!job || !matchers.get(policy.name)?.repository(job.repository)) continue;
        if (job.action === 'copy' && !matchers.get(policy.name)?.matches(job.repository, job.tag as string)) continue;
        added.push(...(await enqueue(policy, job, `event\n${event.id}`)));
      }
      return added;
    },
    subscribe(registration) {
      const handler = (event: Event) => replicator.handle(event);
      registration.on('push:manifest', handler);
      registration.on('delete:manifest', handler);
      registration.on('delete:tag', handler);
    },
    async start({ work: startWorkers = true, catchUp: runCatchUp = true } = {}) {
      if (startWorkers) for (const lane of lanes.values()) await lane.lane.work((run) => work(lane, run));
      if (!runCatchUp) return;
      for (const policy of options.policies) {
        if (policy.trigger === 'manual') continue;
        const run = () => catchUp(policy.name).catch(onError);
        if (typeof policy.trigger === 'object') timers.push(setInterval(run, policy.trigger.everyMs));
        await run();
      }
    },
    catchUp,
    async replicate(name, repository, tag) {
      const policy = policyNamed(name);
      return enqueue(policy, { action: 'copy', repository, tag, cause: 'manual' }, `manual\n${repository}:${tag}\n${Date.now()}`);
    },
    async retry(jobId) {
      for (const lane of lanes.values()) {
        const job = await lane.lane.get(jobId);
        if (!job || job.state !== 'failed') continue;
        await report(lane, jobId, job.data, 'Pending');
        return lane.lane.retry(jobId);
      }
      return false;
    },
    async stop(name) {
      const policy = policyNamed(name);
      const stopped: string[] = [];
      for (const lane of lanesOf(policy)) {
        const jobs = new Map((await lane.lane.list()).map((job) => [job.id, job]));
        for (const id of await lane.lane.cancel((data) => data.policy === policy.name)) {
          const job = jobs.get(id);
          // a running job reports Stopped itself when its worker sees the abort
          if (job && job.state !== 'active') await report(lane, id, job.data, 'Stopped', { attempt: job.failures });
          stopped.push(id);
        }
      }
      return stopped;
    },
    async jobs() {
      const all = await Promise.all([...lanes.values()].map((lane) => lane.lane.list()));
      return all.flat();
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await queue.close();
    },
  };
  return replicator;
}

import { createNodeRedisClient, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { LaneClosedError, ReplicationConfigError } from './errors.js';
import { PermanentJobError, type JobHandler, type JobLane, type JobQueue, type JobResult, type JobState, type JobView, type LaneOptions, type ReplicationJobData } from './queue.js';

/** A connected node-redis (v5 or later) or ioredis client, or any other client BullMQ takes (it tells them apart by itself). */
interface QueueConnection {
  connect(): unknown;
  disconnect(): unknown;
  duplicate(): unknown;
}

/** node-redis as BullMQ tells it (`sendCommand` and `isOpen` or `isReady`, and no ioredis `defineCommand`). */
const isNodeRedis = (client: QueueConnection): boolean =>
  !('defineCommand' in client && typeof client.defineCommand === 'function') && 'sendCommand' in client && typeof client.sendCommand === 'function' && ('isOpen' in client || 'isReady' in client);

interface BullMqQueueSettings {
  /** Key prefix in Redis. Default `regevents-replication`. */
  prefix?: string;
  /**
   * How long a worker holds a job without renewing its lock; a job whose worker died is taken up
   * again within about twice this. Default 30 s (BullMQ's).
   */
  lockMs?: number;
  /** Finished jobs kept for `status` and `retry`, per lane and state. Default 10 000. */
  keepFinished?: number;
}

export type BullMqQueueOptions = BullMqQueueSettings &
  (
    | {
        /**
         * `redis://[user:password@]host:port[/db]`: the queue opens its own connections, and when Redis
         * goes away its commands and workers wait for it for ever, as workers must.
         */
        redisUrl: string;
        connection?: undefined;
      }
    | {
        /**
         * A client the caller connected, for a process that only looks at jobs and retries them
         * (`regevents replicate status`): every lane sends its commands over it, so they give up on
         * Redis as the client does (node-redis with `disableOfflineQueue`, ioredis with
         * `enableOfflineQueue: false`, fail a command at once while it is disconnected), and a lane
         * first used then answers on a later call once the client is back. An ioredis client may be
         * handed over still connecting: the first command waits for that connection attempt, and
         * fails with its error if it fails. The queue never closes it. `work()` on such a
         * queue rejects with `ReplicationConfigError`: a worker needs connections that wait for
         * Redis, which `redisUrl` gives.
         */
        connection: QueueConnection;
        redisUrl?: undefined;
      }
  );

type BullJob = Job<ReplicationJobData, JobResult, string>;

/** Redis options from a URL; BullMQ wants `maxRetriesPerRequest: null` so workers wait out a Redis restart. */
function connectionOf(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new TypeError(`a Redis URL starts with redis:// or rediss:// (got ${url.protocol})`);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Each node-redis client's one wrapper: BullMQ keeps one per ioredis client but wraps a node-redis
 * one anew for each queue, and every wrapper leaves four listeners on the client for good (past ten
 * queues, or lanes, Node warns of a leak), so every queue on a client shares the wrapper made here.
 */
const nodeRedisWrappers = new WeakMap<object, ConnectionOptions>();

/** A node-redis client wrapped as BullMQ talks to it, hearing none of the errors it passes on. */
function wrapNodeRedis(client: QueueConnection): ConnectionOptions {
  const wrapper = createNodeRedisClient(client);
  // the wrapper re-emits each of the client's errors, and the lanes' queues that listen to it stop
  // listening once closed: unheard, the next one would be an unhandled 'error' event, a crash. The
  // caller's client reports its own errors; a command's reaches its caller as its failure.
  wrapper.on('error', () => undefined);
  nodeRedisWrappers.set(client, wrapper);
  return wrapper;
}


interface ConnectingClient {
  on(event: 'error', listener: (error: unknown) => void): ConnectingClient;
  once(event: 'ready' | 'close', listener: () => void): ConnectingClient;
  off(event: string, listener: (...args: never[]) => void): ConnectingClient;
}

/**
 * Each connecting client's one wait for its attempt: every lane's first call waits on it (`jobs()`
 * asks every lane at once), and listeners of its own per lane would pass ten and outlive `close()`.
 */
const connectionAttempts = new WeakMap<object, Promise<void>>();

/**
 * Waits out a connection attempt the caller's ioredis (or other, not node-redis) client is in the
 * middle of (one handed over still connecting, say): the ready or the failure of that attempt, not
 * the reconnects after it. A client not connecting (ready, waiting to reconnect, when its commands
 * fail at once, or a lazyConnect one not yet told to connect) goes on at once.
 */
function connectionAttemptOf(connection: ConnectionOptions): Promise<void> {
  const client = connection as { status?: unknown };
  if (client.status !== 'connecting' && client.status !== 'connect') return Promise.resolve();
  let attempt = connectionAttempts.get(client);
  if (!attempt) {
    const waiting = waitForAttempt(client as ConnectingClient);
    connectionAttempts.set(client, waiting);
    const forget = () => void (connectionAttempts.get(client) === waiting && connectionAttempts.delete(client));
    waiting.then(forget, forget);
    attempt = waiting;
  }
  return attempt;
}

/** The ready or the failure of the attempt `emitter` (a client with a status as ioredis has one, so an event emitter as ioredis is) is in. */
function waitForAttempt(emitter: ConnectingClient): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const heard = (error: unknown) => void (lastError = error);
    const settle = (then: () => void) => () => {
      emitter.off('error', heard).off('ready', ready).off('close', closed);
      then();
    };
    const ready = settle(resolve);
    const closed = settle(() => reject(lastError instanceof Error ? lastError : new Error('the Redis connection closed before it was ready')));
    emitter.on('error', heard).once('ready', ready).once('close', closed);
  });
}

/** The connection every lane's queue takes: its own from `redisUrl`, or the caller's client (node-redis wrapped once, any other as it is). */
function lanesConnection(options: BullMqQueueOptions): { connection: ConnectionOptions; callersConnection: boolean; waitsOutConnectionAttempt: boolean } {
  const callers = options.connection;
  if (callers === undefined) return { connection: connectionOf(options.redisUrl), callersConnection: false, waitsOutConnectionAttempt: false };
  // BullMQ's node-redis wrapper reports a status of its own, 'connecting' however long the client reconnects
  if (isNodeRedis(callers)) return { connection: nodeRedisWrappers.get(callers) ?? wrapNodeRedis(callers), callersConnection: true, waitsOutConnectionAttempt: false };
  return { connection: callers, callersConnection: true, waitsOutConnectionAttempt: true };
}

const SAFE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** BullMQ refuses `:` in job ids and queue names; the replicator's names never carry one. */
function safeName(name: string): string {
  if (!SAFE_NAME.test(name)) throw new TypeError(`not a lane name or job id: ${JSON.stringify(name)}`);
  return name;
}

const STATES: Record<string, JobState> = { waiting: 'waiting', prioritized: 'waiting', 'waiting-children': 'waiting', paused: 'waiting', delayed: 'delayed', active: 'active', completed: 'completed', failed: 'failed' };

class BullMqLane implements JobLane {
  /** The lane's one queue, ready once its connection is up; dropped when that failed, for the next call to build anew. */
  private building: Promise<Queue<ReplicationJobData, JobResult, string>> | undefined;
  /** The queue built last, for `close()` to close at once, even while it still waits for Redis. */
  private current: Queue<ReplicationJobData, JobResult, string> | undefined;
  private closed = false;
  private readonly workers: Worker<ReplicationJobData, JobResult, string>[] = [];
  private readonly activeHere = new Map<string, ReplicationJobData>();

  constructor(
    readonly name: string,
    private readonly options: LaneOptions,
    private readonly settings: Required<BullMqQueueSettings> & { connection: ConnectionOptions; callersConnection: boolean; waitsOutConnectionAttempt: boolean },
  ) {
    safeName(name);
  }

  private readyQueue(): Promise<Queue<ReplicationJobData, JobResult, string>> {
    // the queue built before close() is closed: its commands would fail with BullMQ's 'Connection is closed'
    if (this.closed) return Promise.reject(this.closedError());
    if (!this.building) {
      const building = this.build();
      this.building = building;
      building.catch(() => {
        if (this.building === building) this.building = undefined;
      });
    }
    return this.building;
  }

  private closedError(): LaneClosedError {
    return new LaneClosedError(`lane ${this.name} is closed`);
  }

  private async build(): Promise<Queue<ReplicationJobData, JobResult, string>> {
    const { connection, callersConnection, prefix } = this.settings;
    if (this.settings.waitsOutConnectionAttempt) await connectionAttemptOf(connection);
    if (this.closed) throw this.closedError();
    // BullMQ would wait for the caller's client to be ready before a first command, however long it reconnects
    const queue = new Queue<ReplicationJobData, JobResult, string>(this.name, { connection, prefix, skipWaitingForReady: callersConnection });
    this.current = queue;
    // the caller's client reports its own errors; a command's reaches the caller as its failure
    if (callersConnection) queue.on('error', () => undefined);
    try {
      await queue.waitUntilReady();
      // close() may have come while Redis answered, and closed this queue or not yet seen it
      if (this.closed) throw this.closedError();
      return queue;
    } catch (error) {
      // a queue whose first command (INFO) failed fails every command for good: closed, it leaves the caller's client open
      await queue.close().catch(() => undefined);
      throw this.closed ? this.closedError() : error;
    }
  }

  async add(id: string, data: ReplicationJobData): Promise<boolean> {
    const jobId = safeName(id);
    const queue = await this.readyQueue();
    if (await queue.getJob(jobId)) return false;
    const keep = { count: this.settings.keepFinished };
    await queue.add('replicate', data, {
      jobId,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
    return true;
  }

  async work(handler: JobHandler): Promise<void> {
    if (this.settings.callersConnection) throw new ReplicationConfigError('a queue on a connection passed in only looks at jobs: a worker needs the connections createBullMqQueue({ redisUrl }) opens, which wait for Redis');
    const queue = await this.readyQueue();
    try {
      // a lane's limits hold across every worker process, so they live in Redis with the lane
      await queue.setGlobalConcurrency(this.options.concurrency);
      if (this.options.rateLimit) await queue.setGlobalRateLimit(this.options.rateLimit.max, this.options.rateLimit.perMs);
      else await queue.removeGlobalRateLimit();
    } catch (error) {
      throw this.closed ? this.closedError() : error;
    }
    // a worker made once close() closed the others would keep its connections, and the process, open
    if (this.closed) throw this.closedError();
    const worker = new Worker<ReplicationJobData, JobResult, string>(
      queue.name,
      async (job: BullJob, _token?: string, signal?: AbortSignal) => {
        const id = job.id as string;
        this.activeHere.set(id, job.data);
        try {
          return await handler({ id, data: job.data, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1, signal: signal ?? new AbortController().signal });
        } catch (error) {
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          throw error;
        } finally {
          this.activeHere.delete(id);
        }
      },
      {
        connection: this.settings.connection,
        prefix: this.settings.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.settings.lockMs,
        stalledInterval: this.settings.lockMs,
        // a worker killed mid-copy is not the job's fault: take it up again rather than failing it
        maxStalledCount: 100,
      },
    );
    worker.on('error', () => undefined);
    this.workers.push(worker);
    await worker.waitUntilReady();
  }

  async get(id: string): Promise<JobView | undefined> {
    if (!SAFE_NAME.test(id)) return undefined;
    const job = await (await this.readyQueue()).getJob(id);
    return job && this.viewOf(job);
  }

  async list(): Promise<JobView[]> {
    const jobs = await (await this.readyQueue()).getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
    return Promise.all(jobs.filter((job): job is BullJob => Boolean(job)).map((job) => this.viewOf(job)));
  }

  async retry(id: string): Promise<boolean> {
    if (!SAFE_NAME.test(id)) return false;
    const job = await (await this.readyQueue()).getJob(id);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  async cancel(match: (data: ReplicationJobData) => boolean): Promise<string[]> {
    const cancelled: string[] = [];
    for (const job of await (await this.readyQueue()).getJobs(['waiting', 'prioritized', 'delayed'])) {
      if (!job?.id || !match(job.data)) continue;
      // a job taken by a worker meanwhile cannot be removed: it runs, and the worker running it sees the stop
      const removed = await job.remove().then(() => true, () => false);
      if (removed) cancelled.push(job.id);
    }
    for (const [id, data] of this.activeHere) {
      if (!match(data)) continue;
      for (const worker of this.workers) worker.cancelJob(id, 'stopped');
      cancelled.push(id);
    }
    return cancelled;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.current?.close();
  }

  private async viewOf(job: BullJob): Promise<JobView> {
    const state = STATES[await job.getState()] ?? 'waiting';
    // BullMQ counts the successful attempt in attemptsMade too
    const failures = state === 'completed' ? Math.max(0, job.attemptsMade - 1) : job.attemptsMade;
    const view: JobView = { id: job.id as string, lane: this.name, data: job.data, state, failures, maxAttempts: job.opts.attempts ?? 1 };
    if (job.failedReason) view.error = job.failedReason;
    if (job.returnvalue) view.result = job.returnvalue;
    return view;
  }
}

/**
 * Lanes as BullMQ queues in Redis (6.2 or later): jobs survive worker restarts and crashes (a
 * dead worker's job is taken up again once its lock lapses), retries wait in BullMQ's delayed set
 * without holding up other jobs, and each lane's concurrency and rate limit hold across every
 * worker on every machine.
 */
export function createBullMqQueue(options: BullMqQueueOptions): JobQueue {
  // BullMQ's Queue would refuse it only on each lane's first call; the caller's mistake shows here
  if ((options.connection as { options?: { keyPrefix?: unknown } } | undefined)?.options?.keyPrefix) {
    throw new ReplicationConfigError('a connection passed in must not have a keyPrefix (BullMQ keys its queues by itself): leave it out and set createBullMqQueue({ prefix }) instead');
  }
  const settings = {
    ...lanesConnection(options),
    prefix: options.prefix ?? 'regevents-replication',
    lockMs: options.lockMs ?? 30_000,
    keepFinished: options.keepFinished ?? 10_000,
  };
  const lanes = new Map<string, BullMqLane>();
  return {
    lane(name, laneOptions) {
      let lane = lanes.get(name);
      if (!lane) {
        lane = new BullMqLane(name, laneOptions, settings);
        lanes.set(name, lane);
      }
      return lane;
    },
    async close() {
      await Promise.all([...lanes.values()].map((lane) => lane.close()));
    },
  };
}

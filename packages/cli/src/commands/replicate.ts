import { readFile } from 'node:fs/promises';
import type { CopyProgress } from '@regevents/registry-client';
import { createRelay } from '@regevents/relay';
import { createMemoryQueue, createReplicator, readPolicyFile, relayStatusSink, type JobView, type PolicyDiagnostic, type ReplicationPolicy, type Replicator, type StatusChange } from '@regevents/replication';
import { createBullMqQueue } from '@regevents/replication/node';
import { CliError, EXIT } from '../cli-error.js';
import { withCloses } from '../closing.js';
import { serveUntilInterrupted } from '../interruption.js';
import { errorLines, type Io } from '../output.js';
import { closeRedis, connectRedis } from '../redis-connection.js';
import { startHttpServer } from '../server.js';
import { openLog, type RelayLogOptions } from './relay-log.js';

export interface ReplicateOptions extends RelayLogOptions {
  policy?: string;
  /** Also receive the registry's notifications here (an embedded relay on the same log). */
  port?: number;
  host: string;
  token?: string;
}

export interface ReplicateQueryOptions extends RelayLogOptions {
  policy?: string;
  json?: boolean;
}

/** The policies of `--policy`; diagnostics go to stderr, and any error stops the command. */
export async function loadPolicies(path: string | undefined, io: Io): Promise<ReplicationPolicy[]> {
  if (!path) throw new CliError('--policy <file> is required');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --policy ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { policies, diagnostics } = readPolicyFile(text);
  for (const diagnostic of diagnostics) io.err(formatDiagnostic(path, diagnostic, io));
  if (policies.length === 0) throw new CliError(`${path}: no valid policy`);
  return policies;
}

function formatDiagnostic(path: string, diagnostic: PolicyDiagnostic, io: Io): string {
  const where = diagnostic.line === undefined ? path : `${path}:${diagnostic.line}:${diagnostic.column}`;
  const severity = diagnostic.severity === 'error' ? io.colors.red('error') : io.colors.yellow('warning');
  return `${where} ${severity} ${diagnostic.code} ${diagnostic.path}: ${diagnostic.message}`;
}

/** Jobs without `--redis`, said so on stderr. */
function memoryQueue(io: Io) {
  io.err(io.colors.yellow('no --redis: jobs are kept in memory and lost when this process stops'));
  return createMemoryQueue();
}

/** Jobs in Redis over the queue's own connections, which wait for Redis as workers must, or in memory. */
const queueOf = (options: RelayLogOptions, io: Io) => (options.redis ? createBullMqQueue({ redisUrl: options.redis }) : memoryQueue(io));

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** One line per status change; on a terminal, a line of bytes and blobs for copies in flight. */
function progressDisplay(io: Io, terminal: boolean) {
  const inFlight = new Map<string, CopyProgress>();
  let lastDraw = 0;
  const draw = () => {
    if (!terminal || inFlight.size === 0) return;
    const totals = [...inFlight.values()].reduce((sum, p) => ({ bytes: sum.bytes + p.bytesDone, of: sum.of + p.bytesTotal, blobs: sum.blobs + p.blobsDone, blobsOf: sum.blobsOf + p.blobsTotal }), { bytes: 0, of: 0, blobs: 0, blobsOf: 0 });
    process.stderr.write(`\r\x1b[2K${inFlight.size} copying: ${totals.blobs}/${totals.blobsOf} blobs, ${mebibytes(totals.bytes)} of ${mebibytes(totals.of)}`);
  };
  return {
    status(change: StatusChange) {
      if (change.status !== 'Running') inFlight.delete(change.jobId);
      const reference = change.data.tag ?? change.data.digest ?? '';
      const colour = change.status === 'Success' ? io.colors.green : change.status === 'Error' ? io.colors.red : io.colors.dim;
      const detail = change.error ? ` ${change.error}${change.willRetry ? ' (will retry)' : ''}` : change.result ? ` ${change.result.outcome}` : '';
      if (terminal) process.stderr.write('\r\x1b[2K');
      io.out(`${colour(change.status.padEnd(7))} ${change.jobId} ${change.data.action} ${change.data.repository}:${reference} → ${change.target.name}${change.attempt ? ` #${change.attempt}` : ''}${detail}`);
      draw();
    },
    progress(jobId: string, progress: CopyProgress) {
      inFlight.set(jobId, progress);
      if (Date.now() - lastDraw < 100) return;
      lastDraw = Date.now();
      draw();
    },
  };
}

/** Workers for every policy of the file: events from the relay's log, catch-up, status into the log. */
export function replicateCommand(options: ReplicateOptions, io: Io): Promise<number> {
  return serveUntilInterrupted(io, 'regevents replicate', async ({ signal, stopped, started }) => {
    const policies = await loadPolicies(options.policy, io);
    // a service started before its Redis waits for it
    const { log } = await started.part(openLog(options, io, { memoryAllowed: true, signal, deadline: false }));
    const display = progressDisplay(io, Boolean(process.stderr.isTTY));
    const toLog = relayStatusSink(log);
    const replicator = await started.part(
      createReplicator({
        policies,
        queue: queueOf(options, io),
        status: async (change) => {
          display.status(change);
          await toLog(change);
        },
        onProgress: (jobId, progress) => display.progress(jobId, progress),
        onError: errorLines(io, 'catch-up'),
      }),
    );
    const relay = createRelay({ log, auth: options.token ? { bearer: options.token } : { unauthenticated: true } });
    const consumer = relay.consumer('replication');
    replicator.subscribe(consumer);
    await replicator.start();
    started.add(() => consumer.stop());
    await consumer.start();
    const server = options.port === undefined ? undefined : await started.part(startHttpServer((req, res) => relay.node(req, res), { port: options.port, host: options.host }));
    io.err(`replicating ${policies.map((policy) => policy.name).join(', ')}${server ? `; notifications to ${server.url}/events` : ' from the relay log'}; Ctrl-C stops`);
    await stopped;
    return EXIT.ok;
  });
}

/**
 * A replicator that only looks at the queue (no workers, no catch-up), over one connection to Redis:
 * it answers within the connect deadline (its message names the host) or the command fails, and a
 * query in flight when Redis goes away, or sent after, fails at once instead of waiting for it.
 */
async function withQueue<T>(options: ReplicateQueryOptions, io: Io, use: (replicator: Replicator) => Promise<T>): Promise<T> {
  const policies = await loadPolicies(options.policy, io);
  return withCloses(async (started) => {
    const redis = options.redis ? await connectRedis(options.redis, io) : undefined;
    if (redis) started.add(() => closeRedis(redis));
    const queue = redis ? createBullMqQueue({ connection: redis }) : memoryQueue(io);
    return use(await started.part(createReplicator({ policies, queue })));
  }, errorLines(io, 'regevents replicate while closing'));
}

function formatJob(job: JobView): string {
  const reference = job.data.tag ?? job.data.digest ?? '';
  const detail = job.error ? ` ${job.error}` : job.result ? ` ${job.result.outcome}` : '';
  return `${job.state.padEnd(9)} ${job.id} ${job.data.action} ${job.data.repository}:${reference} → ${job.data.target} failures ${job.failures}/${job.maxAttempts}${detail}`;
}

export async function replicateStatusCommand(options: ReplicateQueryOptions, io: Io): Promise<number> {
  const jobs = await withQueue(options, io, (replicator) => replicator.jobs());
  for (const job of jobs.sort((a, b) => a.data.createdAt.localeCompare(b.data.createdAt))) io.out(options.json ? JSON.stringify(job) : formatJob(job));
  return jobs.some((job) => job.state === 'failed') ? EXIT.failed : EXIT.ok;
}

export async function replicateRetryCommand(id: string, options: ReplicateQueryOptions, io: Io): Promise<number> {
  const retried = await withQueue(options, io, (replicator) => replicator.retry(id));
  if (!retried) throw new CliError(`no failed job ${id} (see regevents replicate status)`, EXIT.failed);
  io.out(`${id} queued again`);
  return EXIT.ok;
}

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { createRegistryClient, type RegistryAuth, type RegistryClient } from '@regevents/registry-client';
import {
  apply,
  createRedisUsageStore,
  formatBytes,
  formatPlanJson,
  formatPlanTable,
  parseRetentionPolicy,
  plan,
  RETENTION_USER_AGENT,
  type ApplyProgress,
  type RetentionPlan,
  type RetentionPolicy,
  type UsageStore,
} from '@regevents/retention';
import { CliError, EXIT } from '../cli-error.js';
import { withCloses } from '../closing.js';
import { errorLines, type Io } from '../output.js';
import { closeRedis, connectRedis } from '../redis-connection.js';
import { credentialsRefused, registryFromFlags, type RegistryCredentialOptions } from '../registry-credentials.js';

export interface RetentionOptions extends RegistryCredentialOptions {
  policy: string;
  registry: string;
  redis?: string;
  usagePrefix?: string;
  json?: boolean;
  concurrency?: number;
  deleteTags?: boolean;
}

export interface RetentionApplyOptions extends RetentionOptions {
  yes?: boolean;
}

/** Where apply asks for confirmation and draws progress: the process's terminal, or a test's. */
export interface Terminal {
  interactive: boolean;
  ask(question: string): Promise<string>;
  /** Rewrites the current status line. */
  status(line: string): void;
}

export function processTerminal(): Terminal {
  return {
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    async ask(question) {
      const readline = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await readline.question(question);
      } finally {
        readline.close();
      }
    },
    status: (line) => void process.stderr.write(`\r\x1b[2K${line}`),
  };
}

interface Session {
  client: RegistryClient;
  registry: URL;
  auth?: RegistryAuth;
  store?: UsageStore;
  close(): Promise<void>;
}

/** The policy at `--policy`, read before Redis is opened: a wrong path is said at once, not after a wait for a Redis that is down. */
async function readPolicy(path: string, io: Io): Promise<RetentionPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --policy ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { policy, diagnostics } = parseRetentionPolicy(text);
  for (const diagnostic of diagnostics) {
    const where = diagnostic.line === undefined ? '' : `${diagnostic.line}:${diagnostic.column} `;
    const line = `${path}:${where}${diagnostic.severity} ${diagnostic.code} at ${diagnostic.path || '(document)'}: ${diagnostic.message}`;
    io.err(diagnostic.severity === 'error' ? io.colors.red(line) : io.colors.yellow(line));
  }
  if (!policy) throw new CliError(`the policy in ${path} has errors`, EXIT.failed);
  return policy;
}

/** The registry client, and the usage store at --redis (without it, plans rest on registry data alone). */
async function open(options: RetentionOptions, io: Io): Promise<Session> {
  const flags = await registryFromFlags(options.registry, options, RETENTION_USER_AGENT, io);
  const { registry, auth } = flags;
  const client = createRegistryClient(flags.client);
  if (!options.redis) {
    io.err(io.colors.yellow('no --redis: no usage history, so push times come from image configs and nothing counts as pulled'));
    return { client, registry, auth, close: async () => undefined };
  }
  const redis = await connectRedis(options.redis, io);
  return { client, registry, auth, store: createRedisUsageStore({ client: redis, prefix: options.usagePrefix }), close: () => closeRedis(redis) };
}

/**
 * Runs `use` with the session, closing it after (a failing close never replaces the error that
 * stopped the command); a registry's refusal becomes `EXIT.unauthorized`.
 */
function withSession<T>(options: RetentionOptions, io: Io, use: (session: Session) => Promise<T>): Promise<T> {
  return withCloses(async (started) => {
    const session = await started.part(open(options, io));
    try {
      return await use(session);
    } catch (error) {
      throw credentialsRefused(error, session.registry, session.auth);
    }
  }, errorLines(io, 'regevents retention while closing'));
}

function planWith(policy: RetentionPolicy, options: RetentionOptions, session: Session): Promise<RetentionPlan> {
  return plan(policy, { client: session.client, store: session.store, concurrency: options.concurrency, deleteTags: options.deleteTags });
}

/** `regevents retention plan`: what the policy would remove, as a table or JSON; changes nothing. */
export async function retentionPlanCommand(options: RetentionOptions, io: Io): Promise<number> {
  const policy = await readPolicy(options.policy, io);
  return withSession(options, io, async (session) => {
    const planned = await planWith(policy, options, session);
    io.out(options.json ? formatPlanJson(planned) : formatPlanTable(planned));
    return EXIT.ok;
  });
}

function progressLine({ done, total, result }: ApplyProgress): string {
  return `[${done}/${total}] ${result.outcome} ${result.repository}@${result.digest.slice(0, 19)}${result.detail ? ` (${result.detail})` : ''}`;
}

/** `regevents retention apply`: plans, shows the removals, asks (on a terminal, unless --yes), then deletes. */
export async function retentionApplyCommand(options: RetentionApplyOptions, io: Io, terminal: Terminal = processTerminal()): Promise<number> {
  const policy = await readPolicy(options.policy, io);
  return withSession(options, io, async (session) => {
    const planned = await planWith(policy, options, session);
    const count = planned.deletions.length + planned.tagDeletions.length;
    if (count === 0) {
      io.out('nothing to remove');
      return EXIT.ok;
    }
    if (!options.json) io.out(formatPlanTable(planned, { only: 'remove' }));
    if (!options.yes) {
      if (!terminal.interactive) throw new CliError('apply deletes manifests: pass --yes to confirm when not on a terminal');
      const answer = await terminal.ask(`Delete ${count} manifests and tags from ${planned.registry} (${formatBytes(planned.reclaimableBytes)} reclaimable)? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) {
        io.err('nothing deleted');
        return EXIT.failed;
      }
    }
    const report = await apply(planned, {
      client: session.client,
      store: session.store,
      onProgress: (progress) => (terminal.interactive ? terminal.status(progressLine(progress)) : io.err(progressLine(progress))),
    });
    if (terminal.interactive) terminal.status('');
    if (options.json) io.out(JSON.stringify(report, null, 2));
    const { deleted, gone, skipped, unsupported, failed } = report.counts;
    io.err(`${deleted} deleted, ${gone} already gone, ${skipped} skipped, ${unsupported} unsupported, ${failed} failed; run the registry's garbage-collect (without --delete-untagged) to free the blobs`);
    return failed > 0 ? EXIT.failed : EXIT.ok;
  });
}

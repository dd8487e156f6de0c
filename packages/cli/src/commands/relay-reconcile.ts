import { RECONCILE_USER_AGENT, reconcile, startReconciler, type ReconcileResult, type Reconciler, type RelayLog } from '@regevents/relay';
import type { RegistryClientOptions } from '@regevents/registry-client';
import { EXIT, messageOf } from '../cli-error.js';
import { errorLines, type Io } from '../output.js';
import { credentialsRefused, registryFromFlags, type RegistryCredentialOptions } from '../registry-credentials.js';
import { serveUntilInterrupted } from '../interruption.js';
import { withCloses, type Started } from '../closing.js';
import type { ConnectOptions } from '../redis-connection.js';
import { openLog, type RelayLogOptions } from './relay-log.js';

export interface ReconcileCommandOptions extends RelayLogOptions, RegistryCredentialOptions {
  registry: string;
  repository?: string;
  concurrency?: number;
  /** Seconds between runs; without it, one run and exit. */
  every?: number;
  /** Seconds a tag a real event wrote stays settling (`settleMs`); without it, the relay's default. */
  settle?: number;
  json?: boolean;
}

function report(result: ReconcileResult, options: ReconcileCommandOptions, io: Io): void {
  if (options.json) return io.out(JSON.stringify(result));
  const repositories = `${result.repositories} ${result.repositories === 1 ? 'repository' : 'repositories'}`;
  // a tag still settling is no difference yet, only a note that a later run will look again
  const settling = result.settling > 0 ? `, ${result.settling} settling` : '';
  io.out(`reconciled ${repositories}, ${result.tags} tag${result.tags === 1 ? '' : 's'}: appended ${result.pushed} pushed, ${result.deleted} deleted${settling}`);
}

/** `regevents relay reconcile --registry URL --redis URL`: appends what the registry has and the log never heard of; with `--every`, again and again. */
export function relayReconcileCommand(options: ReconcileCommandOptions, io: Io): Promise<number> {
  const { every } = options;
  // one run ends by itself (a Ctrl-C during it is Node's own): a close that fails after it did is printed, not thrown in place of its error
  if (every === undefined) return withCloses(async (started) => reconcileOnce(await openTarget(options, io, started), options, io), errorLines(io, 'regevents relay reconcile while closing'));
  // with --every, Ctrl-C is what ends it
  return serveUntilInterrupted(io, 'regevents relay reconcile', async ({ signal, stopped, started }) => {
    const target = await openTarget(options, io, started, { signal, deadline: false });
    const reconciler = startEvery(target, every, options, io);
    started.add(() => reconciler.stop());
    await stopped;
    return EXIT.ok;
  });
}

/** The registry and the log to reconcile it with, and what a refusal by the registry means. */
interface ReconcileTarget {
  client: RegistryClientOptions;
  relay: { log: RelayLog };
  refused(error: unknown): unknown;
}

/** Opens the target, its log's close registered in `started`; `connect` says how long to wait for Redis. */
async function openTarget(options: ReconcileCommandOptions, io: Io, started: Started, connect?: ConnectOptions): Promise<ReconcileTarget> {
  const { registry, auth, client } = await registryFromFlags(options.registry, options, RECONCILE_USER_AGENT, io);
  const { log } = await started.part(openLog(options, io, connect));
  return { client, relay: { log }, refused: (error) => credentialsRefused(error, registry, auth) };
}

/** What every run takes from the flags. */
function runOptions(options: ReconcileCommandOptions): { scope?: string; concurrency?: number; settleMs?: number } {
  return { scope: options.repository, concurrency: options.concurrency, settleMs: options.settle === undefined ? undefined : options.settle * 1000 };
}

async function reconcileOnce({ client, relay, refused }: ReconcileTarget, options: ReconcileCommandOptions, io: Io): Promise<number> {
  const result = await reconcile({ client, relay, ...runOptions(options) }).catch((error: unknown) => {
    throw refused(error);
  });
  report(result, options, io);
  return EXIT.ok;
}

function startEvery({ client, relay, refused }: ReconcileTarget, everySeconds: number, options: ReconcileCommandOptions, io: Io): Reconciler {
  return startReconciler({
    client,
    relay,
    ...runOptions(options),
    every: everySeconds * 1000,
    onResult: (result) => report(result, options, io),
    onError: (error) => {
      io.err(io.colors.red(`reconciliation failed: ${messageOf(refused(error))}`));
    },
  });
}

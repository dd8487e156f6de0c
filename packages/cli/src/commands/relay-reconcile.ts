import { RECONCILE_USER_AGENT, reconcile, startReconciler, type ReconcileResult, type RelayLog } from '@regevents/relay';
import type { RegistryClientOptions } from '@regevents/registry-client';
import { EXIT, messageOf } from '../cli-error.js';
import { errorLines, type Io } from '../output.js';
import { credentialsRefused, registryFromFlags, type RegistryCredentialOptions } from '../registry-credentials.js';
import { interruptible } from '../interruption.js';
import { runThenClose } from '../closing.js';
import { openLog, type RelayLogOptions } from './relay-log.js';

export interface ReconcileCommandOptions extends RelayLogOptions, RegistryCredentialOptions {
  registry: string;
  repository?: string;
  concurrency?: number;
  /** Seconds between runs; without it, one run and exit. */
  every?: number;
  json?: boolean;
}

function report(result: ReconcileResult, options: ReconcileCommandOptions, io: Io): void {
  if (options.json) return io.out(JSON.stringify(result));
  const repositories = `${result.repositories} ${result.repositories === 1 ? 'repository' : 'repositories'}`;
  io.out(`reconciled ${repositories}, ${result.tags} tag${result.tags === 1 ? '' : 's'}: appended ${result.pushed} pushed, ${result.deleted} deleted`);
}

/** `regevents relay reconcile --registry URL --redis URL`: appends what the registry has and the log never heard of; with `--every`, again and again. */
export function relayReconcileCommand(options: ReconcileCommandOptions, io: Io): Promise<number> {
  const { every } = options;
  // one run ends by itself (a Ctrl-C during it is Node's own); with --every, Ctrl-C is what ends it
  if (every === undefined) return withTarget(options, io, undefined, (target) => reconcileOnce(target, options, io));
  return interruptible(io, ({ signal, stopped }) => withTarget(options, io, signal, (target) => reconcileEvery(target, every, stopped, options, io)));
}

/** The registry and the log to reconcile it with, and what a refusal by the registry means. */
interface ReconcileTarget {
  client: RegistryClientOptions;
  relay: { log: RelayLog };
  refused(error: unknown): unknown;
}

/** Opens the target (`signal` gives up waiting for Redis), runs `use`, then closes the log whatever happened (`runThenClose`). */
async function withTarget(options: ReconcileCommandOptions, io: Io, signal: AbortSignal | undefined, use: (target: ReconcileTarget) => Promise<number>): Promise<number> {
  const { registry, auth, client } = await registryFromFlags(options.registry, options, RECONCILE_USER_AGENT, io);
  const { log, close } = await openLog(options, io, { signal });
  // a close that fails after `use` did is printed, not thrown in place of `use`'s error
  return runThenClose(() => use({ client, relay: { log }, refused: (error) => credentialsRefused(error, registry, auth) }), [close], errorLines(io, 'regevents relay reconcile while closing'));
}

async function reconcileOnce({ client, relay, refused }: ReconcileTarget, options: ReconcileCommandOptions, io: Io): Promise<number> {
  const result = await reconcile({ client, relay, scope: options.repository, concurrency: options.concurrency }).catch((error: unknown) => {
    throw refused(error);
  });
  report(result, options, io);
  return EXIT.ok;
}

async function reconcileEvery({ client, relay, refused }: ReconcileTarget, everySeconds: number, stopped: Promise<void>, options: ReconcileCommandOptions, io: Io): Promise<number> {
  const reconciler = startReconciler({
    client,
    relay,
    scope: options.repository,
    concurrency: options.concurrency,
    every: everySeconds * 1000,
    onResult: (result) => report(result, options, io),
    onError: (error) => {
      io.err(io.colors.red(`reconciliation failed: ${messageOf(refused(error))}`));
    },
  });
  await stopped;
  await reconciler.stop();
  return EXIT.ok;
}

import { RECONCILE_USER_AGENT, reconcile, startReconciler, type ReconcileResult } from '@regevents/relay';
import { EXIT } from '../cli-error.js';
import type { Io } from '../output.js';
import { credentialsRefused, registryFromFlags, type RegistryCredentialOptions } from '../registry-credentials.js';
import { interruptible, type Interruption } from '../interruption.js';
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
  // one run ends by itself (a Ctrl-C during it is Node's own); with --every, Ctrl-C is what ends it
  return options.every === undefined ? reconcileCommand(options, io) : interruptible(io, (interruption) => reconcileCommand(options, io, interruption));
}

async function reconcileCommand(options: ReconcileCommandOptions, io: Io, interruption?: Interruption): Promise<number> {
  const { registry, auth, client } = await registryFromFlags(options.registry, options, RECONCILE_USER_AGENT, io);
  const { log, close } = await openLog(options, io, { signal: interruption?.signal });
  const relay = { log };
  try {
    if (options.every === undefined || interruption === undefined) {
      const result = await reconcile({ client, relay, scope: options.repository, concurrency: options.concurrency }).catch((error: unknown) => {
        throw credentialsRefused(error, registry, auth);
      });
      report(result, options, io);
      return EXIT.ok;
    }
    const reconciler = startReconciler({
      client,
      relay,
      scope: options.repository,
      concurrency: options.concurrency,
      every: options.every * 1000,
      onResult: (result) => report(result, options, io),
      onError: (error) => {
        const refused = credentialsRefused(error, registry, auth);
        io.err(io.colors.red(`reconciliation failed: ${refused instanceof Error ? refused.message : String(refused)}`));
      },
    });
    await interruption.stopped;
    await reconciler.stop();
    return EXIT.ok;
  } finally {
    await close();
  }
}

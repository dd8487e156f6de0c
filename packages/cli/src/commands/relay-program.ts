import { FORMAT_IDS, type FormatId } from '@regevents/formats/model';
import type { VendorAuthOptions } from '@regevents/webhooks';
import { Option, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { Io } from '../output.js';
import { addRegistryCredentialOptions } from '../registry-credentials.js';
import { vendorAuthOption } from '../vendor-auth.js';
import type { DeadLettersOptions } from './relay-dead-letters.js';
import type { ReconcileCommandOptions } from './relay-reconcile.js';
import type { TailOptions } from './relay-tail.js';
import type { RelayOptions } from './relay.js';

export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new CliError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    return number;
  };
}

/** `--redis`, `--stream` and `--partitions`: where the log is. */
function logOptions(command: Command): Command {
  return command
    .option('--redis <url>', 'the Redis holding the log (redis://host:6379)')
    .option('--stream <name>', 'key prefix of the log (default regevents:relay)')
    .addOption(new Option('--partitions <n>', 'streams the log is spread over, by repository (default 1)').argParser(parseInteger('--partitions', 1, 1024)));
}

function formatList(value: string, all: FormatId[]): FormatId[] {
  if (!FORMAT_IDS.includes(value as FormatId)) throw new CliError(`--format must be one of ${FORMAT_IDS.join(', ')} (got "${value}")`);
  return [...all, value as FormatId];
}

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/** Adds `regevents relay`, `relay tail`, `relay dead-letters` and `relay reconcile`; `setExit` records a command's exit code. */
export function addRelayCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const relay = logOptions(program.command('relay').enablePositionalOptions())
    .description('a durable receiver: appends each registry event to a log (Redis) before answering, for consumers to read at their own pace')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').default(5055).argParser(parseInteger('--port', 0, 65535)))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'require this Bearer token from the registry')
    .option('--format <format>', `also accept this registry format (repeatable): ${FORMAT_IDS.join(', ')}`, formatList, [] as FormatId[])
    .option('--vendor-auth <vendor=value>', 'how a --format sender authenticates (repeatable; a second value for the same one is accepted too, for a rotation): harbor=<auth_header>, ghcr=<secret>, artifactory=<secret>, gitlab|acr|dockerhub|quay|gar|ecr="<Header-Name>: <value>", dockerhub|quay|gar|ecr=unauthenticated', vendorAuthOption, {} as VendorAuthOptions)
    .addOption(new Option('--ui [port]', 'also serve the live view (events, consumer lag, dead letters) on 127.0.0.1 at this port (default 5056; 0 picks a free one)').preset('5056').argParser(parseInteger('--ui', 0, 65535)))
    .option('--forward-cloudevents <url>', 'forward every event to this CloudEvents sink (consumer group forward-cloudevents)')
    .addOption(new Option('--cloudevents-mode <mode>', 'binary or structured').choices(['binary', 'structured']))
    .option('--forward-webhook <url>', 'forward every event as a signed Standard Webhook (consumer group forward-webhook)')
    .option('--sign <whsec>', 'the Standard Webhooks secret for --forward-webhook')
    .option('--enrich', 'forward the enriched view: every event normalized, with the digest of a tag delete and what else the registry left out filled in (needs --registry)')
    .option('--registry <url>', 'the registry --enrich reads (http://127.0.0.1:5000), with --creds or --authfile if it wants them');
  addRegistryCredentialOptions(relay)
    .addHelpText('after', examples('regevents relay --redis redis://127.0.0.1:6379 --token s3cret', 'regevents relay --ui', 'regevents relay --redis redis://127.0.0.1:6379 --format harbor --vendor-auth "harbor=Bearer s3cret"', 'regevents relay --forward-cloudevents http://broker.internal/ --enrich --registry http://127.0.0.1:5000'))
    .action(async (options: RelayOptions) => setExit(await (await import('./relay.js')).relayCommand(options, io)));

  logOptions(relay.command('tail'))
    .description('print the events of the log as they arrive; with --group, consume them as a member of that group')
    .option('--group <group>', 'join this consumer group (acknowledging what it prints)')
    .option('--from <where>', 'now, beginning, a log position or a time', 'now')
    .option('--json', 'one JSON entry per line')
    .option('--once', 'print what is there and exit')
    .addHelpText('after', examples('regevents relay tail --redis redis://127.0.0.1:6379 --from beginning', 'regevents relay tail --redis redis://127.0.0.1:6379 --group audit'))
    .action(async (options: TailOptions) => setExit(await (await import('./relay-tail.js')).relayTailCommand(options, io)));

  logOptions(relay.command('dead-letters'))
    .description("list a group's dead letters, send them back to the group, or drop them")
    .argument('<action>', 'list, retry or drop')
    .requiredOption('--group <group>', 'the consumer group')
    .option('--id <id>', 'a dead letter to retry or drop (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--all', 'every dead letter of the group')
    .option('--json', 'one JSON dead letter per line')
    .addHelpText('after', examples('regevents relay dead-letters list --redis redis://127.0.0.1:6379 --group ci', 'regevents relay dead-letters retry --redis redis://127.0.0.1:6379 --group ci --all'))
    .action(async (action: string, options: DeadLettersOptions) => setExit(await (await import('./relay-dead-letters.js')).relayDeadLettersCommand(action, options, io)));

  addRegistryCredentialOptions(
    logOptions(relay.command('reconcile'))
      .description('compare the registry (catalog, tags, digests) with the tags the log knows, and append one event per difference')
      .requiredOption('--registry <url>', 'the registry to read (http://127.0.0.1:5000)'),
  )
    .option('--repository <name>', 'reconcile this repository alone')
    .addOption(new Option('--concurrency <n>', 'requests in flight (default 8)').argParser(parseInteger('--concurrency', 1, 256)))
    .addOption(new Option('--every <seconds>', 'keep running: reconcile again this long after each run').argParser(parseInteger('--every', 1, 86_400)))
    .addOption(new Option('--settle <seconds>', 'leave alone (as settling) a tag a real event wrote less than this long before: the registry may not list that push yet (default 10)').argParser(parseInteger('--settle', 0, 86_400)))
    .option('--json', 'each run as one JSON line')
    .addHelpText('after', examples('regevents relay reconcile --redis redis://127.0.0.1:6379 --registry http://127.0.0.1:5000', 'regevents relay reconcile --redis redis://127.0.0.1:6379 --registry http://127.0.0.1:5000 --every 300'))
    .action(async (options: ReconcileCommandOptions) => setExit(await (await import('./relay-reconcile.js')).relayReconcileCommand(options, io)));
}

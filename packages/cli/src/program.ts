import { createRequire } from 'node:module';
import { FORMAT_IDS } from '@regevents/formats/model';
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, explained, messageOf } from './cli-error.js';
import type { LintConfigOptions } from './commands/lint-config.js';
import type { DemoOptions } from './commands/demo.js';
import type { ListenOptions } from './commands/listen.js';
import { addRelayCommands, parseInteger } from './commands/relay-program.js';
import { addReplicateCommands } from './commands/replicate-program.js';
import { addRetentionCommands } from './commands/retention-program.js';
import type { ServeOptions } from './commands/serve.js';
import type { SendOptions } from './commands/send.js';
import { isConfigRefusal } from './config-refusal.js';
import { processIo, type Io } from './output.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

/** `--port` and `--host` for a command that listens; `--port 0` picks a free port. */
function listening(command: Command, defaultPort: number): Command {
  return command
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').default(defaultPort).argParser(parsePort))
    .option('--host <host>', 'address to listen on', '127.0.0.1');
}

/** Collects a repeatable option's values. */
const repeatable = (value: string, all: string[]): string[] => [...all, value];

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('regevents')
    .description('Tools for container-registry events: validate payloads, lint registry configs, send and receive notifications.')
    .version(version)
    .option('--debug', 'print stack traces for errors')
    // Options after a command belong to it: lint-config has its own --version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('demo')
    .description('the whole story on 127.0.0.1: two mock registries, a relay, replication A → B, reconcile after an outage, retention')
    .option('--once', 'run the scenario and exit instead of serving until Ctrl-C: 0 when every job succeeded and reconcile recovered the pushes, 1 otherwise, 130 when Ctrl-C or SIGTERM cut it short')
    .option('--json', 'print one JSON story record a line (narration goes to stderr)')
    .addOption(new Option('--port <port>', 'site A\'s port (0 picks a free one)').default(0).argParser(parsePort))
    .option('--redis <url>', 'keep the relay log, the replication jobs (BullMQ) and the usage in this Redis instead of memory; the demo removes its keys when it ends')
    .addOption(new Option('--ui [port]', 'also serve the live view (events, consumer lag, dead letters, replication jobs) on 127.0.0.1 at this port (default 5056; 0 picks a free one)').preset('5056').argParser(parseInteger('--ui', 0, 65535)))
    .addHelpText('after', examples('regevents demo', 'regevents demo --once --json', 'regevents demo --redis redis://127.0.0.1:6379', 'regevents demo --ui'))
    .action(async (options: DemoOptions) => {
      const { demoCommand } = await import('./commands/demo.js');
      exitCode = await demoCommand(options, io);
    });

  listening(program.command('serve'), 5000)
    .description('the mock registry as a local development registry, logging requests, events and deliveries')
    .option('--config <file>', "a registry config.yml whose notifications section to use")
    .option('--notify <url>', 'also send notifications to this URL (repeatable)', repeatable, [] as string[])
    .option('--storage <dir>', 'keep blobs in this folder instead of memory')
    .option('--htpasswd <file>', 'require basic auth from the users of this htpasswd file (bcrypt)')
    .addOption(new Option('--flavor <flavor>', 'which registry to imitate').choices(['distribution-2.8', 'distribution-3']).default('distribution-2.8'))
    .option('--quiet', 'log events and deliveries, not every request')
    .addHelpText('after', examples('regevents serve --notify http://127.0.0.1:5055/events', 'regevents serve --config config.yml --storage ./blobs --htpasswd ./htpasswd'))
    .action(async (options: ServeOptions) => {
      const { serveCommand } = await import('./commands/serve.js');
      exitCode = await serveCommand(options, io);
    });

  program
    .command('validate')
    .description('check a notification body (an envelope or one event) against the published schemas; exit 1 if invalid')
    .argument('<file>', 'JSON file, or - for standard input')
    .option('--strict', 'reject fields the schema does not name')
    .addOption(new Option('--format <format>', 'payload format; auto detects it').choices(['auto', ...FORMAT_IDS]).default('auto'))
    .addHelpText('after', examples('regevents validate body.json', 'regevents validate harbor-push.json --format harbor', 'curl -s https://example.test/last-event | regevents validate - --strict'))
    .action(async (file: string, options: { strict?: boolean; format?: string }) => {
      const { validateCommand } = await import('./commands/validate.js');
      exitCode = await validateCommand(file, options, io);
    });

  program
    .command('lint-config')
    .description("check a registry config.yml's notifications section; exit 1 on errors (and on warnings with --strict)")
    .argument('<config>', 'the registry config.yml, or - for standard input')
    .addOption(new Option('--version <version>', 'registry version whose rules apply').choices(['2.8', '3.0', '3.1', '3']).default('2.8'))
    .option('--strict', 'fail on warnings too')
    .option('--env', 'apply REGISTRY_* variables from this environment, as the registry does')
    .addHelpText(
      'after',
      examples('regevents lint-config /etc/docker/registry/config.yml', 'REGISTRY_NOTIFICATIONS_ENDPOINTS=\'[{name: a, url: "http://x"}]\' regevents lint-config config.yml --env --version 2.8'),
    )
    .action(async (file: string, options: LintConfigOptions) => {
      const { lintConfigCommand } = await import('./commands/lint-config.js');
      exitCode = await lintConfigCommand(file, options, io);
    });

  listening(program.command('listen'), 5055)
    .description('a development endpoint for a real registry: print or record every notification that arrives')
    .option('--token <token>', 'require Authorization: Bearer <token>')
    .addOption(new Option('--format <format>', 'how to print events').choices(['pretty', 'json']).default('pretty'))
    .option('--out <file>', 'also append every event to this NDJSON file')
    .addHelpText('after', examples('regevents listen --port 5055 --token s3cret', 'regevents listen --format json --out events.ndjson'))
    .action(async (options: ListenOptions) => {
      const { listenCommand } = await import('./commands/listen.js');
      exitCode = await listenCommand(options, io);
    });

  program
    .command('send')
    .description('deliver a fixture or a file the way a registry would: content type, headers, retries with threshold and backoff')
    .argument('<fixture|file>', 'a fixture name (see `regevents fixtures list`; a scenario sends all its POSTs in order) or a file')
    .requiredOption('--to <url>', 'the receiver')
    .option('--header <header>', "add a header, 'Name: value' (repeatable)", repeatable, [] as string[])
    .option('--sign <secret>', 'add Standard Webhooks signature headers with this whsec_ secret')
    .addOption(new Option('--media-type <version>', 'events media type: v1 (distribution 2.x) or v2 (3.x)').choices(['v1', 'v2']).default('v1'))
    .option('--timeout <duration>', 'per attempt, Go duration', '1s')
    .option('--threshold <n>', 'failures retried back to back before backing off', '10')
    .option('--backoff <duration>', 'wait between attempts after the threshold, Go duration', '1s')
    .option('--max-attempts <n>', 'give up after this many attempts (0: retry forever, like the registry)', '10')
    .addHelpText(
      'after',
      examples(
        "regevents send push-by-tag --to http://127.0.0.1:5055/events --header 'Authorization: Bearer s3cret'",
        'regevents send ./body.json --to https://hooks.example.com/registry --sign whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ),
    )
    .action(async (source: string, options: SendOptions) => {
      const { sendCommand } = await import('./commands/send.js');
      exitCode = await sendCommand(source, options, io);
    });

  const fixtures = program
    .command('fixtures')
    .description('notification POSTs captured from a real registry')
    .addHelpText('after', examples('regevents fixtures list', 'regevents fixtures show push-by-tag/003 --headers'));
  fixtures
    .command('list')
    .description('list every captured fixture with what its events did')
    .action(async () => {
      const { listFixturesCommand } = await import('./commands/fixtures.js');
      exitCode = listFixturesCommand(io);
    });
  fixtures
    .command('show')
    .description('print a fixture body (a scenario name prints each of its POSTs)')
    .argument('<name>', 'e.g. 2.8.2/push-by-tag/003, push-by-tag/003 or push-by-tag')
    .option('--headers', 'also print the request headers the registry sent')
    .action(async (name: string, options: { headers?: boolean }) => {
      const { showFixtureCommand } = await import('./commands/fixtures.js');
      exitCode = showFixtureCommand(name, options, io);
    });

  addRelayCommands(program, io, (code) => (exitCode = code));
  addReplicateCommands(program, io, (code) => (exitCode = code));
  addRetentionCommands(program, io, (code) => (exitCode = code));

  // --debug works before or after a command name.
  const withDebug = (command: Command): void => {
    for (const sub of command.commands) {
      if (sub.commands.length > 0) withDebug(sub);
      else sub.option('--debug', 'print stack traces for errors');
    }
  };
  withDebug(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) return thrown.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const error = explained(thrown);
    const message = messageOf(error);
    io.err(`regevents: ${message}`);
    if (argv.includes('--debug') && thrown instanceof Error && thrown.stack) io.err(thrown.stack);
    if (error instanceof CliError) return error.exitCode;
    return (await isConfigRefusal(error)) ? EXIT.usage : EXIT.failed;
  }
}

import { Option, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { Io } from '../output.js';
import type { ReplicateOptions, ReplicateQueryOptions } from './replicate.js';

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

/** `--policy`, `--redis` and `--stream`: the policies, and the Redis holding the jobs and the relay log. */
function common(command: Command): Command {
  // not requiredOption: commander would then demand it of `replicate` before `replicate status` could parse its own
  return command
    .option('--policy <file>', 'the replication policies (YAML; required)')
    .option('--redis <url>', 'the Redis holding the jobs (BullMQ) and the relay log (redis://host:6379)')
    .option('--stream <name>', "key prefix of the relay's log (default regevents:relay)");
}

/** Adds `regevents replicate`, `replicate status` and `replicate retry`. */
export function addReplicateCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const replicate = common(program.command('replicate').enablePositionalOptions())
    .description("replicate images between registries: jobs from the relay log's events and from catch-up, status back into the log")
    .addOption(new Option('--port <port>', "also receive the registry's notifications on this port").argParser(parsePort))
    .option('--host <host>', 'address to listen on with --port', '127.0.0.1')
    .option('--token <token>', 'with --port: require this Bearer token from the registry')
    .addHelpText('after', examples('regevents relay --redis redis://127.0.0.1:6379 & regevents replicate --policy replication.yml --redis redis://127.0.0.1:6379', 'regevents replicate --policy replication.yml --port 5056'))
    .action(async (options: ReplicateOptions) => setExit(await (await import('./replicate.js')).replicateCommand(options, io)));

  common(replicate.command('status'))
    .description('list the jobs of the policies: state, failures, outcome or error (exit 1 if any failed)')
    .option('--json', 'one JSON job per line')
    .action(async (options: ReplicateQueryOptions) => setExit(await (await import('./replicate.js')).replicateStatusCommand(options, io)));

  common(replicate.command('retry'))
    .description('run a failed job again')
    .argument('<id>', 'the job id, as replicate status shows it')
    .action(async (id: string, options: ReplicateQueryOptions) => setExit(await (await import('./replicate.js')).replicateRetryCommand(id, options, io)));
}

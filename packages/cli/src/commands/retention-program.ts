import { Option, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { Io } from '../output.js';
import { addRegistryCredentialOptions } from '../registry-credentials.js';
import type { RetentionApplyOptions, RetentionOptions } from './retention.js';

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

function concurrency(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new CliError(`--concurrency must be a whole number from 1 to 64, not "${value}"`);
  return number;
}

function shared(command: Command): Command {
  return addRegistryCredentialOptions(command.requiredOption('--policy <file>', 'the retention policy (YAML)').requiredOption('--registry <url>', 'the registry (http://127.0.0.1:5000)'))
    .option('--redis <url>', "the usage the tracker recorded (the relay's Redis)")
    .option('--usage-prefix <prefix>', 'key prefix of the usage hashes (default regevents:usage)')
    .addOption(new Option('--concurrency <n>', 'requests in flight (default 8 to plan, 4 to delete)').argParser(concurrency))
    .option('--delete-tags', 'remove a tag alone when its manifest stays (registries that can: distribution 3.x)')
    .option('--json', 'print JSON instead of a table');
}

/** Adds `regevents retention plan` and `retention apply`; `setExit` records a command's exit code. */
export function addRetentionCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const retention = program.command('retention').description('clean-up by policy: keep the last N, keep tags, remove what nobody pulled; plan, then apply');
  shared(retention.command('plan'))
    .description('show what the policy keeps and removes, why, and the bytes garbage-collect would free; changes nothing')
    .addHelpText('after', examples('regevents retention plan --policy retention.yml --registry http://127.0.0.1:5000 --redis redis://127.0.0.1:6379', 'regevents retention plan --policy retention.yml --registry http://127.0.0.1:5000 --json > plan.json', 'REGEVENTS_REGISTRY_PASSWORD=… regevents retention plan --policy retention.yml --registry https://registry.example --creds ci-cleanup', 'regevents retention plan --policy retention.yml --registry https://registry.example --authfile ~/.docker/config.json'))
    .action(async (options: RetentionOptions) => setExit(await (await import('./retention.js')).retentionPlanCommand(options, io)));
  shared(retention.command('apply'))
    .description('plan, confirm (on a terminal), then delete manifests by digest, re-checking each one first; never deletes blobs')
    .option('--yes', 'do not ask for confirmation')
    .addHelpText('after', examples('regevents retention apply --policy retention.yml --registry http://127.0.0.1:5000 --redis redis://127.0.0.1:6379', 'regevents retention apply --policy retention.yml --registry http://127.0.0.1:5000 --yes', 'regevents retention apply --policy retention.yml --registry https://registry.example --creds ci-cleanup --password-stdin --yes < password.txt'))
    .action(async (options: RetentionApplyOptions) => setExit(await (await import('./retention.js')).retentionApplyCommand(options, io)));
}

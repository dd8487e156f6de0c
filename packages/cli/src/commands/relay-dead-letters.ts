import { createRelay, type DeadLetter } from '@regevents/relay';
import { CliError, EXIT } from '../cli-error.js';
import { withCloses } from '../closing.js';
import { errorLines, type Io } from '../output.js';
import { openLog, type RelayLogOptions } from './relay-log.js';

export interface DeadLettersOptions extends RelayLogOptions {
  group: string;
  id: string[];
  all?: boolean;
  json?: boolean;
}

const ACTIONS = ['list', 'retry', 'drop'] as const;
type Action = (typeof ACTIONS)[number];
const MAX_LETTERS = 10_000;

function describe(letter: DeadLetter, io: Io): string {
  return `${letter.id} ${letter.record.repository} ${io.colors.dim(letter.record.key)} attempts=${letter.attempts} ${io.colors.red(letter.error)} ${io.colors.dim(letter.deadAt)}`;
}

/** `regevents relay dead-letters list|retry|drop --group G`: what a group gave up on, sent back or thrown away. */
export async function relayDeadLettersCommand(action: string, options: DeadLettersOptions, io: Io): Promise<number> {
  if (!ACTIONS.includes(action as Action)) throw new CliError(`dead-letters takes ${ACTIONS.join(', ')} (got "${action}")`);
  if (action !== 'list' && !options.all && options.id.length === 0) throw new CliError(`dead-letters ${action} needs --id <id> (repeatable) or --all`);
  // a close that fails after the action did is printed, not thrown in place of its error
  return withCloses(async (started) => {
    const { log } = await started.part(openLog(options, io));
    const letters = createRelay({ log, auth: { unauthenticated: true } }).deadLetters(options.group);
    const all = await letters.list({ count: MAX_LETTERS });
    if (action === 'list') {
      for (const letter of all) io.out(options.json ? JSON.stringify(letter) : describe(letter, io));
      io.err(`${all.length} dead letter${all.length === 1 ? '' : 's'} in group ${options.group}`);
      return EXIT.ok;
    }
    const chosen = options.all ? all : all.filter((letter) => options.id.includes(letter.id));
    const missing = options.id.filter((id) => !all.some((letter) => letter.id === id));
    for (const letter of chosen) {
      if (action === 'retry') await letters.retry(letter);
      else await letters.drop(letter);
    }
    io.err(`${action === 'retry' ? 'sent back' : 'dropped'} ${chosen.length} dead letter${chosen.length === 1 ? '' : 's'} of group ${options.group}`);
    for (const id of missing) io.err(io.colors.yellow(`no dead letter ${id} in group ${options.group}`));
    return missing.length > 0 ? EXIT.failed : EXIT.ok;
  }, errorLines(io, 'regevents relay dead-letters while closing'));
}

import { parseEnvelope, RegEventsValidationError, validateEvent, type ValidationIssue } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { EXIT } from '../cli-error.js';
import { readInput } from '../input.js';
import { formatEvent, type Io } from '../output.js';

export interface ValidateOptions {
  strict?: boolean;
  format?: string;
}

type Outcome = { ok: true; kind: 'envelope' | 'event'; events: Event[] } | { ok: false; issues: readonly ValidationIssue[] };

function check(body: Uint8Array, strict: boolean): Outcome {
  try {
    const envelope = parseEnvelope(body, { strict });
    return { ok: true, kind: 'envelope', events: envelope.events };
  } catch (error) {
    if (!(error instanceof RegEventsValidationError)) throw error;
    // A bare event (not wrapped in {"events": [...]}) is checked as one event.
    const onlyMissingEvents = error.issues.length === 1 && error.issues[0]?.path === 'events';
    if (!onlyMissingEvents) return { ok: false, issues: error.issues };
    const result = validateEvent(JSON.parse(new TextDecoder().decode(body)), { strict });
    return result.ok ? { ok: true, kind: 'event', events: [result.value] } : { ok: false, issues: result.issues };
  }
}

export async function validateCommand(file: string, options: ValidateOptions, io: Io): Promise<number> {
  const body = await readInput(file, io);
  const name = file === '-' ? '<stdin>' : file;
  const outcome = check(body, options.strict ?? false);
  if (!outcome.ok) {
    io.err(`${name}: ${io.colors.red('invalid')} distribution notification${options.strict ? ' (strict)' : ''}`);
    for (const issue of outcome.issues) io.err(`  ${io.colors.bold(issue.path)}: ${issue.message}`);
    return EXIT.failed;
  }
  const count = outcome.events.length;
  io.out(`${name}: ${io.colors.green('valid')} distribution ${outcome.kind}${outcome.kind === 'envelope' ? ` with ${count} event${count === 1 ? '' : 's'}` : ''}`);
  for (const event of outcome.events) io.out(`  ${formatEvent(event, io.colors)}`);
  return EXIT.ok;
}

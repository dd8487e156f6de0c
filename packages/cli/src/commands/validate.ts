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

/** `{"action": ...}` without `events`: someone pasted one event rather than a POST body. */
function bareEvent(body: Uint8Array): unknown {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    const isEvent = typeof value === 'object' && value !== null && !Array.isArray(value) && !('events' in value) && 'action' in value;
    return isEvent ? value : undefined;
  } catch {
    return undefined;
  }
}

function check(body: Uint8Array, strict: boolean): Outcome {
  const event = bareEvent(body);
  if (event !== undefined) {
    const result = validateEvent(event, { strict });
    return result.ok ? { ok: true, kind: 'event', events: [result.value] } : { ok: false, issues: result.issues };
  }
  try {
    return { ok: true, kind: 'envelope', events: parseEnvelope(body, { strict }).events };
  } catch (error) {
    if (error instanceof RegEventsValidationError) return { ok: false, issues: error.issues };
    throw error;
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

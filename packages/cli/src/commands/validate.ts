import { detectFormat, normalize, RegEventsFormatError, type FormatId, type NormalizedRegistryEvent } from '@regevents/formats';
import { parseEnvelope, RegEventsValidationError, validateEvent, type ValidationIssue } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { EXIT } from '../cli-error.js';
import { readInput } from '../input.js';
import { formatEvent, formatIssue, printable, type Io } from '../output.js';

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

function describeNormalized(event: NormalizedRegistryEvent): string {
  const reference = event.tag ? `:${event.tag}` : event.digest ? `@${event.digest.slice(0, 19)}` : '';
  return `${event.kind} ${event.repository}${reference}${event.actor ? ` by ${event.actor}` : ''}`;
}

/** Another registry's payload: validated against its vendor schema and normalized, as a receiver would. */
async function validateVendorBody(format: Exclude<FormatId, 'distribution'>, body: Uint8Array, name: string, io: Io): Promise<number> {
  try {
    const events = await normalize(body, undefined, { formats: [format] });
    io.out(`${name}: ${io.colors.green('valid')} ${format} payload, ${events.length} normalized event${events.length === 1 ? '' : 's'}`);
    for (const event of events) io.out(`  ${printable(describeNormalized(event))}`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof RegEventsFormatError)) throw error;
    io.err(`${name}: ${io.colors.red('invalid')} ${format} payload`);
    for (const issue of error.issues) io.err(formatIssue(issue, io.colors));
    return EXIT.failed;
  }
}

/** A bare distribution event looks much like an ACR event: it wins when it validates as one. */
function autoFormat(body: Uint8Array): FormatId {
  const event = bareEvent(body);
  if (event !== undefined && validateEvent(event).ok) return 'distribution';
  return detectFormat(body) ?? 'distribution';
}

export async function validateCommand(file: string, options: ValidateOptions, io: Io): Promise<number> {
  const body = await readInput(file, io);
  const name = file === '-' ? '<stdin>' : file;
  const format = !options.format || options.format === 'auto' ? autoFormat(body) : (options.format as FormatId);
  if (format !== 'distribution') {
    if (options.strict) io.err(`${name}: --strict applies to distribution payloads; ${format} is checked against its vendor schema`);
    return validateVendorBody(format, body, name, io);
  }
  const outcome = check(body, options.strict ?? false);
  if (!outcome.ok) {
    io.err(`${name}: ${io.colors.red('invalid')} distribution notification${options.strict ? ' (strict)' : ''}`);
    for (const issue of outcome.issues) io.err(formatIssue(issue, io.colors));
    return EXIT.failed;
  }
  const count = outcome.events.length;
  io.out(`${name}: ${io.colors.green('valid')} distribution ${outcome.kind}${outcome.kind === 'envelope' ? ` with ${count} event${count === 1 ? '' : 's'}` : ''}`);
  for (const event of outcome.events) io.out(`  ${formatEvent(event, io.colors)}`);
  return EXIT.ok;
}

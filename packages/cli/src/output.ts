import pc from 'picocolors';
import { isManifestTarget, isTagDeleteTarget, type Event } from '@regevents/types';
import { messageOf } from './cli-error.js';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where a command reads and writes: the process's streams, or buffers for programmatic use. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  colors: Colors;
  stdin: () => Promise<Uint8Array>;
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function processIo(): Io {
  const useColor = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    colors: pc.createColors(useColor),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** An Io that keeps what a command prints, without colour; `stdin` is what the command reads for `-`. */
export function bufferedIo(stdin: string | Uint8Array = ''): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const input = typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
  return {
    stdout,
    stderr,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    colors: pc.createColors(false),
    stdin: async () => input,
  };
}

/**
 * What a terminal would act on instead of showing: C0 controls (escape sequences start with ESC),
 * DEL, C1 controls (U+009B is a one-character CSI), line and paragraph separators, and the bidi
 * controls that reorder what follows them. Everything a sender wrote goes through `printable`.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** A listener that prints each error it hears as one line on stderr, after `prefix`. */
export function errorLines(io: Io, prefix: string): (error: unknown) => void {
  return (error) => io.err(`${prefix}: ${messageOf(error)}`);
}

/** `text` with every character a terminal would act on written as a `\uXXXX` escape (JSON stays valid JSON). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One validation issue as a line: `  events[0].id: is required`. */
export function formatIssue(issue: { path: string; message: string }, colors: Colors): string {
  return `  ${colors.bold(printable(issue.path))}: ${printable(issue.message)}`;
}

const ACTION_COLOR = { push: 'green', pull: 'cyan', delete: 'red', mount: 'magenta' } as const;

function shortDigest(digest: string | undefined): string {
  if (!digest) return '';
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

/** What an event did, in a few words: `manifest demo/app:1.0`, `blob sha256:e2585dfb43f6`. */
export function describeTarget(event: Event): string {
  switch (event.action) {
    case 'push':
    case 'pull':
      return isManifestTarget(event.target)
        ? `manifest ${event.target.repository}${event.target.tag ? `:${event.target.tag}` : `@${shortDigest(event.target.digest)}`}`
        : `blob ${event.target.repository}@${shortDigest(event.target.digest)}`;
    case 'mount':
      return `blob ${event.target.repository}@${shortDigest(event.target.digest)} from ${event.target.fromRepository}`;
    case 'delete':
      return isTagDeleteTarget(event.target)
        ? `tag ${event.target.repository}:${event.target.tag}`
        : `${event.target.repository}@${shortDigest(event.target.digest)}`;
  }
}

/** One line per event: time, action, target, who. */
export function formatEvent(event: Event, colors: Colors): string {
  const color = colors[ACTION_COLOR[event.action]];
  // Registries trim trailing zeros from the fraction; a fixed-width column reads better.
  const parsed = Date.parse(event.timestamp);
  const time = Number.isNaN(parsed) ? event.timestamp : new Date(parsed).toISOString().slice(11, 23);
  const actor = event.actor.name ? ` by ${event.actor.name}` : '';
  const from = event.request.addr ? ` from ${event.request.addr}` : '';
  return `${colors.dim(printable(time))} ${color(event.action.padEnd(6))} ${printable(describeTarget(event))}${colors.dim(printable(`${actor}${from}`))}`;
}

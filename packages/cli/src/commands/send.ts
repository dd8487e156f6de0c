import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GoDurationError, parseGoDuration } from '@regevents/config';
import { EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2 } from '@regevents/types';
import { generateTestHeaders } from '@regevents/webhooks';
import { CliError, EXIT, messageOf } from '../cli-error.js';
import { findFixtures } from '../fixture-catalog.js';
import { printable, type Io } from '../output.js';
import { postFollowingRedirects } from '../redirects.js';
import { withoutCredentials } from '../url-option.js';

export interface SendOptions {
  to: string;
  header: string[];
  sign?: string;
  mediaType: 'v1' | 'v2';
  timeout: string;
  threshold: string;
  backoff: string;
  maxAttempts: string;
}

interface Envelope {
  name: string;
  body: Uint8Array<ArrayBuffer>;
  /** The first event's id: what a relay signs as the message id, stable across retries. */
  id: string;
}

function durationMs(flag: string, text: string): number {
  try {
    const ms = Number(parseGoDuration(text)) / 1e6;
    if (ms <= 0) throw new CliError(`${flag} must be positive, not "${text}"`);
    return ms;
  } catch (error) {
    if (error instanceof GoDurationError) throw new CliError(`${flag}: ${error.message}`);
    throw error;
  }
}

function count(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new CliError(`${flag} must be a whole number >= ${min}, not "${text}"`);
  return value;
}

/** Header values are often secrets (`Authorization: Bearer ...`): a malformed one is named by position, never echoed. */
function parseHeader(line: string, index: number): [string, string] {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim();
  if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new CliError(`--header number ${index + 1} must look like 'Name: value' (not printed: headers carry secrets)`);
  return [name, line.slice(colon + 1).trim()];
}

/**
 * The receiver's URL, and the basic credentials its user:password part carries: Go's client
 * (the registry's) sends those as an Authorization header, and fetch refuses URLs holding them.
 */
function receiver(to: string): { url: URL; authorization?: string } {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new CliError(`--to must be an http(s) URL, not "${withoutCredentials(to)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--to must be an http(s) URL, not "${withoutCredentials(to)}"`);
  if (url.username === '' && url.password === '') return { url };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

async function envelopesFor(source: string): Promise<Envelope[]> {
  const load = async (name: string, path: string): Promise<Envelope> => {
    const body = new Uint8Array(await readFile(path));
    let id = name;
    try {
      id = String((JSON.parse(new TextDecoder().decode(body)) as { events?: { id?: unknown }[] }).events?.[0]?.id ?? name);
    } catch {
      // Not JSON: still sent as is, which is the point when testing a receiver's error handling.
    }
    return { name, body, id };
  };
  if (existsSync(source)) return [await load(source, source)];
  return Promise.all(findFixtures(source).map((fixture) => load(fixture.name, fixture.bodyPath)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers envelopes the way distribution does: one at a time, in order, each retried until it
 * gets a status from 200 to 399 (the first `threshold` failures back to back, then one attempt per
 * `backoff`). Unlike the registry it gives up after --max-attempts (0: never), and then stops,
 * because the registry would block every later event behind the failing one.
 */
export async function sendCommand(source: string, options: SendOptions, io: Io): Promise<number> {
  const timeoutMs = durationMs('--timeout', options.timeout);
  const backoffMs = durationMs('--backoff', options.backoff);
  const threshold = count('--threshold', options.threshold, 1);
  const maxAttempts = count('--max-attempts', options.maxAttempts, 0);
  const extraHeaders = options.header.map(parseHeader);
  const { url, authorization } = receiver(options.to);

  for (const envelope of await envelopesFor(source)) {
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const headers = new Headers({
        'User-Agent': 'Go-http-client/1.1',
        'Content-Type': options.mediaType === 'v2' ? EVENTS_MEDIA_TYPE_V2 : EVENTS_MEDIA_TYPE_V1,
        'Accept-Encoding': 'gzip',
      });
      for (const [name, value] of extraHeaders) headers.append(name, value);
      // As in Go's client, an explicit Authorization header wins over the URL's credentials.
      if (authorization && !headers.has('Authorization')) headers.set('Authorization', authorization);
      if (options.sign) {
        const signed = await generateTestHeaders({ secret: options.sign, body: envelope.body, id: envelope.id });
        for (const [name, value] of Object.entries(signed)) headers.set(name, value);
      }
      const started = performance.now();
      let outcome: string;
      let delivered = false;
      try {
        const { response, redirects } = await postFollowingRedirects(url, headers, envelope.body, AbortSignal.timeout(timeoutMs));
        await response.arrayBuffer();
        delivered = response.status >= 200 && response.status < 400;
        outcome = `${response.status} ${response.statusText}`.trim() + (redirects > 0 ? ` after ${redirects} redirect${redirects === 1 ? '' : 's'}` : '');
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        outcome = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${options.timeout}` : `failed: ${messageOf(cause)}`;
      }
      const elapsed = `${Math.round(performance.now() - started)} ms`;
      const paint = delivered ? io.colors.green : io.colors.red;
      io.out(`${envelope.name} attempt ${attempt}: ${paint(printable(outcome))} ${io.colors.dim(elapsed)}`);
      if (delivered) break;
      failures += 1;
      if (maxAttempts > 0 && attempt >= maxAttempts) {
        io.err(`regevents send: ${envelope.name} was not delivered after ${attempt} attempts; a registry would keep retrying it and hold back every later event`);
        return EXIT.failed;
      }
      await sleep(failures < threshold ? 0 : backoffMs);
    }
  }
  return EXIT.ok;
}

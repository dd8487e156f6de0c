import { appendFile } from 'node:fs/promises';
import { createWebhookHandler, isKnownEvent, type WebhookHandler } from '@regevents/webhooks';
import { EXIT, messageOf } from '../cli-error.js';
import { formatEvent, formatIssue, printable, type Io } from '../output.js';
import { serveUntilInterrupted } from '../interruption.js';
import { startHttpServer } from '../server.js';

export interface ListenOptions {
  port: number;
  host: string;
  token?: string;
  format: 'pretty' | 'json';
  out?: string;
}

/** Prints (and, with --out, records) each notification, answering 200 so the registry moves on. */
function printingHandler(options: ListenOptions, io: Io): WebhookHandler {
  const seen = new Set<unknown>();
  const record = async (line: unknown) => {
    if (options.out) await appendFile(options.out, `${JSON.stringify(line)}\n`);
  };
  const hooks = createWebhookHandler({
    auth: options.token ? { bearer: options.token } : { unauthenticated: true },
    dedupe: false,
  });
  hooks.onAny(async (event, context) => {
    const redelivery = seen.has(event.id);
    seen.add(event.id);
    const entry = { receivedAt: context.delivery.receivedAt.toISOString(), redelivery, event };
    await record(entry);
    // Anyone who can reach the port writes these lines: nothing a sender wrote reaches the terminal raw.
    if (options.format === 'json') io.out(printable(JSON.stringify(entry)));
    else if (isKnownEvent(event)) io.out(`${formatEvent(event, io.colors)}${redelivery ? io.colors.yellow(' (redelivery)') : ''}`);
    else io.out(`${io.colors.yellow(`unknown action ${printable(JSON.stringify(event.action))}`)} ${io.colors.dim(printable(JSON.stringify(event).slice(0, 200)))}`);
  });
  hooks.onInvalid(async (invalid, context) => {
    await record({ receivedAt: context.delivery.receivedAt.toISOString(), invalid: invalid.issues, value: invalid.value });
    io.err(`${io.colors.red('invalid notification')} (acknowledged so the registry moves on):`);
    for (const issue of invalid.issues) io.err(formatIssue(issue, io.colors));
  });
  hooks.onError((error) => io.err(`regevents listen: ${printable(messageOf(error))}`));
  return hooks;
}

/**
 * A development endpoint for a real registry: prints (and optionally records as NDJSON) every
 * event it receives, redeliveries included, and answers 200 so the registry moves on.
 */
export function listenCommand(options: ListenOptions, io: Io): Promise<number> {
  return serveUntilInterrupted(io, 'regevents listen', async ({ stopped, started }) => {
    const server = await started.part(startHttpServer(printingHandler(options, io).node, { port: options.port, host: options.host }));
    io.err(`listening on ${server.url}/ ${options.token ? '(Bearer token required)' : '(no authentication)'}; Ctrl-C stops`);
    io.err('point a registry at it with:');
    io.err(`  notifications:\n    endpoints:\n      - name: regevents-listen\n        url: ${server.url}/events`);
    // The token stays out of the output (terminal scrollback, CI logs): the user knows it.
    if (options.token) io.err('        headers: { Authorization: [Bearer <the --token value>] }');
    await stopped;
    return EXIT.ok;
  });
}

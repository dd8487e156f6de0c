import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormatId } from '@regevents/formats';
import { createRelay, type Relay, type RelayLog } from '@regevents/relay';
import type { VendorAuthOptions } from '@regevents/webhooks';
import { prometheusRegistry } from '@regevents/relay/node';
import { EXIT } from '../cli-error.js';
import { runThenClose } from '../closing.js';
import { errorLines, type Io } from '../output.js';
import { interruptible, type Interruption } from '../interruption.js';
import { startHttpServer, type RunningServer } from '../server.js';
import { startForwarders, type ForwardFlags } from './relay-forward.js';
import { openLog, type RelayLogOptions } from './relay-log.js';
import { serveRelayUi } from './relay-ui.js';
import { vendorAuthRefusal } from '../vendor-auth.js';

export interface RelayOptions extends RelayLogOptions, ForwardFlags {
  port: number;
  host: string;
  token?: string;
  format: FormatId[];
  /** `--vendor-auth`: how the other formats' senders authenticate. */
  vendorAuth: VendorAuthOptions;
  /** Port of the live view on 127.0.0.1; none without `--ui`. */
  ui?: number;
}

/** The registry's `notifications:` entry for this relay; the token stays a placeholder: secrets are never printed. */
export function registrySnippet(url: string, withToken: boolean): string {
  const lines = ['notifications:', '  endpoints:', '    - name: regevents-relay', `      url: ${url}/events`];
  if (withToken) lines.push('      headers:', '        Authorization: [Bearer <the --token value>]');
  // the relay answers within its append deadline (750 ms), inside the registry's default 1 s
  lines.push('      timeout: 1s', '      threshold: 5', '      backoff: 1s');
  return lines.join('\n');
}

function receiver(options: RelayOptions, log: RelayLog): Relay {
  // other formats come on top of the registry's own envelopes
  const formats = options.format.length > 0 ? [...new Set<FormatId>(['distribution', ...options.format])] : undefined;
  const distribution = options.token ? { bearer: options.token } : { unauthenticated: true as const };
  try {
    return createRelay({ log, auth: { ...distribution, ...options.vendorAuth }, formats });
  } catch (error) {
    throw vendorAuthRefusal(error, options.vendorAuth);
  }
}

/** The receiver's HTTP server: the relay's routes, and GET /metrics as Prometheus text. */
function serveReceiver(relay: Relay, options: RelayOptions): Promise<RunningServer> {
  const metrics = prometheusRegistry(relay);
  return startHttpServer(
    async (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(await metrics.metrics());
        return;
      }
      await relay.node(req, res);
    },
    { port: options.port, host: options.host },
  );
}

/** The relay's receiver: every accepted event is appended to the log before the registry gets 200. GET /metrics is Prometheus text. */
export function relayCommand(options: RelayOptions, io: Io): Promise<number> {
  return interruptible(io, (interruption) => relayUntilStopped(interruption, options, io));
}

async function relayUntilStopped({ signal, stopped }: Interruption, options: RelayOptions, io: Io): Promise<number> {
  const { log, close } = await openLog(options, io, { memoryAllowed: true, signal });
  let stopForwarders: (() => Promise<void>) | undefined;
  let server: RunningServer | undefined;
  let ui: RunningServer | undefined;
  // whatever fails on the way up (a refused flag, a port in use), what was opened is closed: the process can exit
  await runThenClose(
    async () => {
      const relay = receiver(options, log);
      relay.onError(errorLines(io, 'regevents relay'));
      stopForwarders = await startForwarders(relay, options, io);
      server = await serveReceiver(relay, options);
      io.err(`relay listening on ${server.url}/ into ${log.name} ${options.token ? '(Bearer token required)' : '(no authentication)'}; metrics at ${server.url}/metrics; Ctrl-C stops`);
      ui = options.ui === undefined ? undefined : await serveRelayUi(relay, options.ui, io);
      io.err('point the registry at it with:');
      io.out(registrySnippet(server.url, Boolean(options.token)));
      await stopped;
    },
    [() => ui?.close(), () => server?.close(), () => stopForwarders?.(), close],
    errorLines(io, 'regevents relay while closing'),
  );
  return EXIT.ok;
}

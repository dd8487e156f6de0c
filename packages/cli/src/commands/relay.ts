import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormatId } from '@regevents/formats';
import { createRelay, type Relay, type RelayLog } from '@regevents/relay';
import type { VendorAuthOptions } from '@regevents/webhooks';
import { prometheusRegistry } from '@regevents/relay/node';
import { EXIT } from '../cli-error.js';
import { errorLines, type Io } from '../output.js';
import { serveUntilInterrupted } from '../interruption.js';
import { startHttpServer, type RunningServer } from '../server.js';
import { startForwarders, type ForwardFlags } from './relay-forward.js';
import { openLog, type RelayLogOptions } from './relay-log.js';
import { serveRelayUi } from './relay-ui.js';
import { vendorAuthRefusal } from '../vendor-auth-refusal.js';

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
  return serveUntilInterrupted(io, 'regevents relay', async ({ signal, stopped, started }) => {
    // a service started before its Redis waits for it
    const { log } = await started.part(openLog(options, io, { memoryAllowed: true, signal, deadline: false }));
    const relay = receiver(options, log);
    relay.onError(errorLines(io, 'regevents relay'));
    started.add(await startForwarders(relay, options, io));
    const server = await started.part(serveReceiver(relay, options));
    io.err(`relay listening on ${server.url}/ into ${log.name} ${options.token ? '(Bearer token required)' : '(no authentication)'}; metrics at ${server.url}/metrics; Ctrl-C stops`);
    if (options.ui !== undefined) await started.part(serveRelayUi(relay, options.ui, io));
    io.err('point the registry at it with:');
    io.out(registrySnippet(server.url, Boolean(options.token)));
    await stopped;
    return EXIT.ok;
  });
}

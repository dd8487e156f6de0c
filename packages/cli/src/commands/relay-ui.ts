import type { Relay } from '@regevents/relay';
import { createRelayUi } from '@regevents/relay/node';
import type { Io } from '../output.js';
import { startHttpServer, type RunningServer } from '../server.js';

/** `regevents relay --ui [port]`: the relay's live view, on loopback only whatever `--host` says. */
export async function serveRelayUi(relay: Relay, port: number, io: Io): Promise<RunningServer> {
  const ui = createRelayUi(relay);
  const server = await startHttpServer(ui.node, { port, host: '127.0.0.1' });
  io.err(`live view on ${server.url}/ (event stream, consumer groups, dead letters)`);
  return {
    ...server,
    close: async () => {
      ui.close();
      await server.close();
    },
  };
}

import type { Relay } from '@regevents/relay';
import { createRelayUi, type UiPanel } from '@regevents/relay/node';
import type { Io } from '../output.js';
import { startHttpServer, type RunningServer } from '../server.js';

export interface ServedUiOptions {
  /** Panels after the relay's own (the demo's replication jobs). */
  panels?: readonly UiPanel[];
  /** What the page shows, for the line naming its URL. */
  description?: string;
}

/** `regevents relay --ui [port]`: the relay's live view, on loopback only whatever `--host` says. */
export async function serveRelayUi(relay: Relay, port: number, io: Io, options: ServedUiOptions = {}): Promise<RunningServer> {
  const ui = createRelayUi(relay, { panels: options.panels });
  const server = await startHttpServer(ui.node, { port, host: '127.0.0.1' });
  io.err(`live view on ${server.url}/ (${options.description ?? 'event stream, consumer groups, dead letters'})`);
  return {
    ...server,
    close: async () => {
      ui.close();
      await server.close();
    },
  };
}

import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, without a path. */
  origin: string;
  port: number;
  /** Stops listening and ends the connections still open (a keep-alive or a stream would hold the close). */
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /**
   * A port of the test's own: for a server restarted on the port a registry's endpoint already
   * names (pick it with `freePort`). Default 0, which the kernel picks as it binds.
   */
  port?: number;
  /** node:http's server options, `requestTimeout` and `connectionsCheckingInterval` say. */
  server?: ServerOptions;
}

/**
 * Serves `listener` on 127.0.0.1, by default on a port the kernel picks as it binds: no other
 * process can take it between a pick and the bind (freePort's race), which is why a server the test
 * starts itself listens here.
 */
export async function serveOnLoopback(listener: RequestListener, options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const server = createServer(options.server ?? {}, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

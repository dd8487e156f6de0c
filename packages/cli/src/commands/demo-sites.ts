import { createMockRegistry, type NodeMockRegistry, type ServedRegistry } from '@regevents/mock-registry/node';
import { MemoryStorage } from '@regevents/mock-registry';
import { createRelay, type Relay } from '@regevents/relay';
import { startHttpServer, type RunningServer } from '../server.js';

/** Site A (notifying the relay), site B (the replication target) and the relay, all on 127.0.0.1. */
export interface DemoSites {
  relay: Relay;
  siteA: NodeMockRegistry;
  siteB: NodeMockRegistry;
  urls: { a: string; b: string; relay: string };
  /** Closes the relay's HTTP listener; the relay's memory log stays, as Redis would. */
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  /**
   * Stops site A as the registry shuts down (its delivery queue is dropped) and serves it again
   * on the same port over the same storage and repositories. The mock keeps its repositories
   * above the storage driver, so the same controller is served again rather than a new one.
   */
  restartSiteA(): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoSites(port: number): Promise<DemoSites> {
  const token = `demo-${crypto.randomUUID()}`;
  const relay = createRelay({ auth: { bearer: token } });
  let relayServer: RunningServer | undefined = await startHttpServer(relay.node, { port: 0, host: '127.0.0.1' });
  const relayPort = relayServer.port;
  const siteA = createMockRegistry({
    storage: new MemoryStorage(),
    config: `
      notifications:
        events: { includereferences: true }
        endpoints:
          - name: relay
            url: ${relayServer.url}/events
            headers: { Authorization: [Bearer ${token}] }
            timeout: 2s
            threshold: 3
            backoff: 250ms`,
  });
  const siteB = createMockRegistry();
  let servedA: ServedRegistry = await siteA.serve({ port, host: '127.0.0.1' });
  const servedB = await siteB.serve({ port: 0, host: '127.0.0.1' });
  return {
    relay,
    siteA,
    siteB,
    urls: { a: servedA.url, b: servedB.url, relay: `${relayServer.url}/events` },
    async stopRelay() {
      await relayServer?.close();
      relayServer = undefined;
    },
    async startRelay() {
      relayServer = await startHttpServer(relay.node, { port: relayPort, host: '127.0.0.1' });
    },
    async restartSiteA() {
      await servedA.close();
      siteA.close();
      servedA = await siteA.serve({ port: servedA.port, host: '127.0.0.1' });
    },
    async close() {
      await Promise.all([servedA.close(), servedB.close(), relayServer?.close()]);
      siteA.close();
      siteB.close();
    },
  };
}

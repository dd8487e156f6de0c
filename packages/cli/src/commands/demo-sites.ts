import { createMockRegistry, type NodeMockRegistry, type ServedRegistry } from '@regevents/mock-registry/node';
import { MemoryStorage, type MockRegistry } from '@regevents/mock-registry';
import { createRelay, type Relay, type RelayLog } from '@regevents/relay';
import type { Started } from '../closing.js';
import { startHttpServer, type RunningServer } from '../server.js';

/** Site A (notifying the relay), site B (the replication target) and the relay's receiver, all on 127.0.0.1; `started` closes them. */
export interface DemoSites {
  relay: Relay;
  /** The running site A: a new registry after `restartSiteA()`. */
  readonly siteA: NodeMockRegistry;
  siteB: NodeMockRegistry;
  urls: { a: string; b: string; relay: string };
  /** Closes the relay's HTTP listener; its log stays, as Redis would. */
  stopReceiver(): Promise<void>;
  startReceiver(): Promise<void>;
  /**
   * Stops site A as the registry shuts down and starts a new one over the same storage on the same
   * address: the content is kept, the notification queue is lost. Returns how many events were
   * still queued for the relay (the old registry's `/debug/vars` Pending), all of them lost.
   */
  restartSiteA(): Promise<number>;
}

/** Events a registry holds for its endpoints, as its `/debug/vars` counts them (`Pending`). */
export function pendingNotifications(registry: MockRegistry): number {
  return registry.debugVars().registry.notifications.endpoints.reduce((sum, endpoint) => sum + endpoint.Metrics.Pending, 0);
}

/** Each server and registry registers its close in `started` as it is up, so a port in use for site A leaves nothing running. */
export async function startDemoSites(port: number, log: RelayLog, started: Started): Promise<DemoSites> {
  const token = `demo-${crypto.randomUUID()}`;
  const relay = createRelay({ log, auth: { bearer: token } });
  let receiver: RunningServer | undefined = await startHttpServer(relay.node, { port: 0, host: '127.0.0.1' });
  started.add(() => receiver?.close());
  const receiverPort = receiver.port;
  const storageA = new MemoryStorage();
  const config = `
      notifications:
        events: { includereferences: true }
        endpoints:
          - name: relay
            url: ${receiver.url}/events
            headers: { Authorization: [Bearer ${token}] }
            timeout: 2s
            threshold: 3
            backoff: 250ms`;
  let siteA = createMockRegistry({ storage: storageA, config });
  started.add(() => siteA.close());
  const siteB = createMockRegistry();
  started.add(() => siteB.close());
  let servedA: ServedRegistry = await siteA.serve({ port, host: '127.0.0.1' });
  started.add(() => servedA.close());
  const servedB = await siteB.serve({ port: 0, host: '127.0.0.1' });
  started.add(() => servedB.close());
  return {
    relay,
    get siteA() {
      return siteA;
    },
    siteB,
    urls: { a: servedA.url, b: servedB.url, relay: `${receiver.url}/events` },
    async stopReceiver() {
      await receiver?.close();
      receiver = undefined;
    },
    async startReceiver() {
      receiver = await startHttpServer(relay.node, { port: receiverPort, host: '127.0.0.1' });
    },
    async restartSiteA() {
      const queued = pendingNotifications(siteA);
      await servedA.close();
      siteA.close();
      siteA = createMockRegistry({ storage: storageA, config });
      servedA = await siteA.serve({ port: servedA.port, host: '127.0.0.1' });
      return queued;
    },
  };
}

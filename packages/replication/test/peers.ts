import { registryConfig, serveOnLoopback, startCaptureListener, startRegistry, type CaptureListener, type RunningRegistry } from '@regevents/registry-harness';
import { createRelay, type Relay } from '@regevents/relay';

export const RELAY_TOKEN = 'replication-test-token-7c1d';

export interface SeenEvent {
  id: string;
  action: string;
  target: { repository: string; mediaType?: string; digest?: string; tag?: string };
  request: { useragent?: string; method?: string };
}

export function eventsOf(listener: CaptureListener, from = 0): SeenEvent[] {
  return listener.deliveries.slice(from).flatMap((delivery) => (JSON.parse(delivery.body.toString('utf8')) as { events: SeenEvent[] }).events);
}

export const isBlobPush = (event: SeenEvent) => event.action === 'push' && event.target.mediaType === 'application/octet-stream';

const endpoint = (name: string, url: string, token?: string) => ({
  name,
  url,
  ...(token ? { headers: { Authorization: [`Bearer ${token}`] } } : {}),
  timeout: '1s',
  threshold: 3,
  backoff: '500ms',
});

/** A real docker-registry whose notifications go to `url` (and a capture listener, to count what it did). */
export async function startNotifying(url?: string, token?: string): Promise<{ registry: RunningRegistry; listener: CaptureListener }> {
  const listener = await startCaptureListener();
  const endpoints = [endpoint('capture', listener.url), ...(url ? [endpoint('relay', url, token)] : [])];
  const registry = await startRegistry({ config: (base) => registryConfig({ ...base, notifications: { events: { includereferences: true }, endpoints } }) });
  return { registry, listener };
}

/** A relay (memory log) served over HTTP for the source registry's notifications. */
export async function startRelayServer(): Promise<{ relay: Relay; url: string; close(): Promise<void> }> {
  const relay = createRelay({ auth: { bearer: RELAY_TOKEN } }).onError(() => undefined);
  const server = await serveOnLoopback((req, res) => void relay.node(req, res));
  return { relay, url: `${server.origin}/events`, close: server.close };
}

/** Polls `check` until it holds (or the time is up, when the last error is thrown). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

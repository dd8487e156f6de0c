import { createClient } from 'redis';

/** A node-redis client that keeps trying: a test process may start while Redis restarts. */
export async function connect(url) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  for (;;) {
    try {
      await client.connect();
      return client;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

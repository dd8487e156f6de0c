import { createMockRegistry } from '@regevents/mock-registry/node';
import { imageScenarios } from '@regevents/mock-registry';
import { createRegistryClient } from '@regevents/registry-client';
import { createWebhookHandler, isKnownEvent } from '@regevents/webhooks';
import { EXIT } from '../cli-error.js';
import { formatEvent, type Io } from '../output.js';
import { startHttpServer, untilInterrupted } from '../server.js';

export interface DemoOptions {
  once?: boolean;
  json?: boolean;
  port: number;
}

/**
 * The whole loop on one machine with nothing installed: a mock registry served on 127.0.0.1, a
 * receiver built with createWebhookHandler, and a generated image pushed, pulled, copied and
 * deleted through the registry's real HTTP API. Each event prints as the receiver gets it.
 */
export async function demoCommand(options: DemoOptions, io: Io, stopped: () => Promise<unknown> = untilInterrupted): Promise<number> {
  const token = `demo-${crypto.randomUUID()}`;
  let received = 0;
  const hooks = createWebhookHandler({ auth: { bearer: token } });
  hooks.onAny((event, context) => {
    received += 1;
    if (options.json) {
      if (context.index === 0) io.out(JSON.stringify(context.envelope));
    } else if (isKnownEvent(event)) {
      io.out(`  ${formatEvent(event, io.colors)}`);
    }
  });
  const receiver = await startHttpServer(hooks.node, { port: 0, host: '127.0.0.1' });

  const registry = createMockRegistry({
    config: `
      notifications:
        endpoints:
          - name: demo-receiver
            url: ${receiver.url}/events
            headers: { Authorization: [Bearer ${token}] }
            timeout: 2s
            threshold: 3
            backoff: 250ms`,
  });
  const served = await registry.serve({ port: options.port, host: '127.0.0.1' });
  const client = imageScenarios(createRegistryClient({ baseUrl: served.url, userAgent: 'regevents-demo' }));
  const say = (line: string) => (options.json ? io.err(line) : io.out(line));
  say(`mock registry on ${served.url}, receiver on ${receiver.url}/events (Bearer token required)`);

  const steps: [string, () => Promise<unknown>][] = [
    ['push demo/app:1.0 (two layers)', () => client.pushImage('demo/app:1.0', { layers: 2 })],
    ['pull demo/app:1.0', () => client.pullImage('demo/app:1.0')],
    ['copy demo/app:1.0 to demo/app-copy:1.0 (blobs are mounted)', () => client.copyImage('demo/app:1.0', 'demo/app-copy:1.0')],
    ['delete demo/app:1.0', () => client.deleteImage('demo/app:1.0')],
  ];
  for (const [title, step] of steps) {
    say(io.colors.bold(title));
    await step();
    await registry.idle();
  }
  const attempts = registry.events.reduce((sum, recorded) => sum + recorded.deliveries.reduce((n, d) => n + d.attempts.length, 0), 0);
  say(`${received} events received by the webhook handler (${registry.events.length} emitted, ${attempts} delivery attempts)`);

  if (!options.once) {
    const address = served.url.replace(/^http:\/\//, '');
    say(`still serving; try: skopeo copy --src-tls-verify=false docker://${address}/demo/app-copy:1.0 oci:/tmp/app-copy:1.0`);
    say('Ctrl-C stops');
    await stopped();
  }
  await served.close();
  registry.close();
  await receiver.close();
  return received === registry.events.length ? EXIT.ok : EXIT.failed;
}

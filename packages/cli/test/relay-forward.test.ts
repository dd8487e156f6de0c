import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createStandardWebhooksVerifier } from '@regevents/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';
import { run } from '../src/program.js';
import { bufferedIo } from '../src/output.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let running: Background | undefined;
let sinkServer: Server | undefined;

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
  sinkServer?.close();
  sinkServer?.closeAllConnections();
});

describe('regevents relay --forward-webhook --sign, --forward-cloudevents', () => {
  it('refuses --forward-webhook without --sign', async () => {
    const io = bufferedIo();
    expect(await run(['relay', '--port', '0', '--forward-webhook', 'http://127.0.0.1:1/'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--forward-webhook needs --sign');
  });

  it('re-signs each received event for the webhook and sends it to the CloudEvents sink; the secret is never printed', async () => {
    const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
    sinkServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => sinkServer?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(sinkServer.address() as { port: number }).port}`;
    running = startRegevents(['relay', '--port', '0', '--forward-webhook', `${base}/hook`, '--sign', SECRET, '--forward-cloudevents', `${base}/ce`, '--cloudevents-mode', 'structured']);
    const [, url] = await running.waitFor(/relay listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    const body = await readFile(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: new Uint8Array(body) });
    expect(response.status).toBe(200);
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const hook = received.find((message) => message.path === '/hook');
    const ce = received.find((message) => message.path === '/ce');
    const verify = createStandardWebhooksVerifier({ secret: SECRET });
    expect(hook && (await verify({ id: String(hook.headers['webhook-id']), timestamp: String(hook.headers['webhook-timestamp']), signature: String(hook.headers['webhook-signature']), body: new TextEncoder().encode(hook.body) }))).toBe(true);
    expect(ce?.headers['content-type']).toContain('application/cloudevents+json');
    expect(running.stdout() + running.stderr()).not.toContain(SECRET.slice('whsec_'.length));
  });
});

import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { serveOnLoopback } from '@regevents/registry-harness';
import { createStandardWebhooksVerifier } from '@regevents/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';
import { regevents } from './cli.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A receiver that fails the first `failures` requests with 503. */
async function flakyReceiver(failures: number) {
  const received: Received[] = [];
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(received.length <= failures ? 503 : 200).end();
    });
  });
  return { url: `${server.origin}/hook`, received, close: server.close };
}

let listen: Background | undefined;
afterEach(async () => {
  await listen?.interrupt();
  listen = undefined;
});

describe('regevents send', () => {
  it('delivers a whole scenario to regevents listen, in order, with the configured header', async () => {
    listen = startRegevents(['listen', '--port', '0', '--token', 't0ken']);
    const [, url] = await listen.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    const sent = await regevents(['send', 'copy-to-repository', '--to', `${url}/events`, '--header', 'Authorization: Bearer t0ken']);
    expect(sent.code).toBe(0);
    expect(sent.stdout.match(/attempt 1: 200 OK/g)).toHaveLength(6);
    await listen.waitFor(/push\s+manifest other\/app:1\.0/);
    const actions = listen.stdout().trim().split('\n').map((line) => line.split(/\s+/)[1]);
    expect(actions).toEqual(['pull', 'pull', 'mount', 'pull', 'push', 'push']);
  });

  it('sends what a registry sends and retries a failing receiver with the same body', async () => {
    const receiver = await flakyReceiver(2);
    try {
      const sent = await regevents(['send', 'push-by-tag/003', '--to', receiver.url, '--threshold', '1', '--backoff', '20ms']);
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stdout).toMatch(/attempt 1: 503 Service Unavailable[\s\S]*attempt 2: 503[\s\S]*attempt 3: 200 OK/);
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => r.body.toString())).size).toBe(1);
      const headers = receiver.received[0]?.headers;
      expect(headers?.['content-type']).toBe('application/vnd.docker.distribution.events.v1+json');
      expect(headers?.['user-agent']).toBe('Go-http-client/1.1');
    } finally {
      await receiver.close();
    }
  });

  it('gives up after --max-attempts with exit 1 and says why that matters', async () => {
    const receiver = await flakyReceiver(100);
    try {
      const sent = await regevents(['send', 'push-by-tag', '--to', receiver.url, '--max-attempts', '2', '--backoff', '10ms']);
      expect(sent.code).toBe(1);
      expect(receiver.received).toHaveLength(2);
      expect(sent.stderr).toContain('2.8.2/push-by-tag/001 was not delivered after 2 attempts; a registry would keep retrying it and hold back every later event');
    } finally {
      await receiver.close();
    }
  });

  it('signs with Standard Webhooks headers a receiver can verify, with a stable id across retries', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const receiver = await flakyReceiver(1);
    try {
      const sent = await regevents(['send', 'push-by-tag/003', '--to', receiver.url, '--sign', secret, '--threshold', '5']);
      expect(sent.code).toBe(0);
      const verify = createStandardWebhooksVerifier({ secret });
      for (const { headers, body } of receiver.received) {
        const message = { id: headers['webhook-id'] as string, timestamp: headers['webhook-timestamp'] as string, signature: headers['webhook-signature'] as string };
        expect(await verify({ ...message, body: new Uint8Array(body) })).toBe(true);
        expect(await verify({ ...message, body: new Uint8Array([...body, 32]) })).toBe(false);
      }
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]);
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await receiver.close();
    }
  });

  it('follows 307 and 308 with the body intact, as the registry\'s Go client does, and gives up after 10 redirects', async () => {
    const received: Received[] = [];
    const server = await serveOnLoopback((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: { ...req.headers, ':path': req.url }, body: Buffer.concat(chunks) });
        if (req.url === '/old') res.writeHead(307, { location: '/moved' }).end();
        else if (req.url === '/moved') res.writeHead(308, { location: `http://127.0.0.1:${req.socket.localPort}/hook` }).end();
        else if (req.url === '/loop') res.writeHead(307, { location: '/loop' }).end();
        else res.writeHead(200).end();
      });
    });
    const base = server.origin;
    try {
      const sent = await regevents(['send', 'push-by-tag/003', '--to', `${base}/old`, '--header', 'Authorization: Bearer kept']);
      expect(sent.code, sent.stdout + sent.stderr).toBe(0);
      expect(sent.stdout).toMatch(/attempt 1: 200 OK after 2 redirects/);
      expect(received.map((r) => [r.headers[':path'], r.headers['content-type'], r.headers.authorization])).toEqual([
        ['/old', 'application/vnd.docker.distribution.events.v1+json', 'Bearer kept'],
        ['/moved', 'application/vnd.docker.distribution.events.v1+json', 'Bearer kept'],
        ['/hook', 'application/vnd.docker.distribution.events.v1+json', 'Bearer kept'],
      ]);
      const fixture = await readFile(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));
      for (const { body } of received) expect(body.equals(fixture)).toBe(true);

      received.length = 0;
      const looping = await regevents(['send', 'push-by-tag/003', '--to', `${base}/loop`, '--max-attempts', '1']);
      expect(looping.code).toBe(1);
      expect(looping.stdout).toContain('attempt 1: failed: stopped after 10 redirects');
      expect(received).toHaveLength(11);
    } finally {
      await server.close();
    }
  });

  it('sends a --to URL\'s user:password as basic auth, as Go\'s client does, and never prints the password', async () => {
    const receiver = await flakyReceiver(0);
    try {
      const withCredentials = receiver.url.replace('http://', 'http://relay:pa55w0rd@');
      const sent = await regevents(['send', 'push-by-tag/003', '--to', withCredentials]);
      expect(sent.code, sent.stdout + sent.stderr).toBe(0);
      expect(receiver.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('relay:pa55w0rd').toString('base64')}`);
      expect(sent.stdout + sent.stderr).not.toContain('pa55w0rd');
    } finally {
      await receiver.close();
    }
  });

  it('keeps secrets out of its errors: a malformed --header and a bad --to are not echoed', async () => {
    const cases: [string[], string][] = [
      [['--to', 'http://x', '--header', 'Authorization Bearer s3cr3t-token'], `regevents: --header number 1 must look like 'Name: value' (not printed: headers carry secrets)`],
      [['--to', 'ftp://relay:s3cr3t-token@x/hook'], 'regevents: --to must be an http(s) URL, not "ftp://***@x/hook"'],
      [['--to', 'http//relay:s3cr3t-token@x'], 'regevents: --to must be an http(s) URL, not "***@x"'],
    ];
    for (const [flags, message] of cases) {
      const result = await regevents(['send', 'push-by-tag/003', ...flags]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(message);
      expect(result.stderr).not.toContain('s3cr3t');
    }
  });

  it('refuses bad flags with one line and exit 2', async () => {
    const cases: [string[], string][] = [
      [['--to', 'ftp://x'], 'regevents: --to must be an http(s) URL, not "ftp://x"'],
      [['--to', 'http://x', '--backoff', '10'], 'regevents: --backoff: '],
      [['--to', 'http://x', '--header', 'X-Ok: 1', '--header', 'no colon'], `regevents: --header number 2 must look like 'Name: value'`],
      [['--to', 'http://x', '--max-attempts', '-1'], 'regevents: --max-attempts must be a whole number >= 0, not "-1"'],
    ];
    for (const [flags, message] of cases) {
      const result = await regevents(['send', 'push-by-tag/003', ...flags]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    }
  });
});

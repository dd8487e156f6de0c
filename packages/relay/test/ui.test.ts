import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { serveOnLoopback } from '@regevents/registry-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLog, createRelay, RelayConfigError, type Relay } from '../src/index.js';
import { createRelayUi, type RelayUi, type UiPanel } from '../src/node.js';
import { createSseHub } from '../src/sse.js';
import { PAGE_HTML } from '../src/ui-page.js';
import { freshEnvelope, registryRequest, TOKEN, until } from './helpers.js';

const HOSTILE = '</script><img src=x onerror="globalThis.pwned=1">\n\nevent: entry\ndata: {"forged":true}';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string }> {
  const served = await serveOnLoopback(handler);
  cleanups.push(served.close);
  return { url: served.origin };
}

async function startUi(options: Parameters<typeof createRelayUi>[1] = {}): Promise<{ relay: Relay; ui: RelayUi; url: string }> {
  const relay = createRelay({ log: createMemoryLog({ partitions: 2 }), auth: { bearer: TOKEN } });
  const ui = createRelayUi(relay, { intervalMs: 20, ...options });
  cleanups.push(() => ui.close());
  const { url } = await listen((req, res) => ui.node(req, res));
  return { relay, ui, url };
}

interface Message {
  event: string;
  data: unknown;
}

/** Reads an event stream into `messages` as it arrives, the way EventSource splits it. */
async function subscribe(url: string): Promise<{ messages: Message[]; raw: () => string; abort: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const messages: Message[] = [];
  let text = '';
  let pending = '';
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const decoded = decoder.decode(chunk, { stream: true });
      text += decoded;
      pending += decoded;
      const blocks = pending.split('\n\n');
      pending = blocks.pop() ?? '';
      for (const block of blocks) {
        const fields = block.split('\n').filter((line) => !line.startsWith(':'));
        const event = fields.find((line) => line.startsWith('event: '))?.slice(7);
        const data = fields.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
        if (event) messages.push({ event, data: JSON.parse(data.join('\n')) as unknown });
      }
    }
  })().catch(() => undefined);
  cleanups.push(() => controller.abort());
  return { messages, raw: () => text, abort: () => controller.abort() };
}

async function push(relay: Relay, repository?: string): Promise<{ repository: string; tag: string }> {
  const { body } = freshEnvelope('push-by-tag/003.json', repository);
  expect((await relay.fetch(registryRequest(body))).status).toBe(200);
  const manifest = (JSON.parse(body) as { events: { target: { repository: string; tag?: string } }[] }).events.find((event) => event.target.tag);
  return { repository: manifest?.target.repository ?? '', tag: manifest?.target.tag ?? '' };
}

const entries = (messages: Message[]) => messages.filter((message) => message.event === 'entry').map((message) => message.data as { repository: string; tag: string; format: string });

describe('createRelayUi', () => {
  it('streams each appended event to the page as it arrives, after a snapshot with the panels', async () => {
    const { relay, url } = await startUi();
    const stream = await subscribe(`${url}/stream`);
    await until(() => stream.messages.some((message) => message.event === 'snapshot'), 'the snapshot');
    const snapshot = stream.messages[0]?.data as { events: unknown[]; panels: { id: string }[] };
    expect(snapshot.events).toEqual([]);
    expect(snapshot.panels.map((panel) => panel.id)).toEqual(['groups', 'dead-letters']);

    const pushed = await push(relay, 'team/web');
    await until(() => entries(stream.messages).some((entry) => entry.tag === pushed.tag), 'the pushed tag on the stream');
    expect(entries(stream.messages).every((entry) => entry.repository === 'team/web' && entry.format === 'distribution')).toBe(true);
    expect(entries(stream.messages).length).toBe(JSON.parse(freshEnvelope('push-by-tag/003.json').body).events.length);

    const consumer = relay.consumer('ci', { pollMs: 10 }).onAny(() => undefined);
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await until(() => stream.messages.some((message) => message.event === 'panel' && JSON.stringify(message.data).includes('"group":"ci"')), 'the ci group in the groups panel');

    const late = await subscribe(`${url}/stream`);
    await until(() => late.messages.length > 0, 'the snapshot of a later client');
    const { events } = late.messages[0]?.data as { events: { tag: string }[] };
    expect(events.some((event) => event.tag === pushed.tag)).toBe(true);
  });

  it('sends a hostile repository name as inert data: one message, the exact name back, no markup or line break in the stream', async () => {
    const { relay, url, ui } = await startUi();
    const stream = await subscribe(`${url}/stream`);
    await until(() => stream.messages.length > 0, 'the snapshot');
    await relay.log.append({ key: 'distribution:hostile', format: 'distribution', repository: HOSTILE, receivedAt: new Date().toISOString(), event: { action: 'push', target: { repository: HOSTILE, tag: '<b>1</b>' } } });
    await until(() => entries(stream.messages).length > 0, 'the hostile entry');
    expect(entries(stream.messages)).toEqual([expect.objectContaining({ repository: HOSTILE, tag: '<b>1</b>' })]);
    expect(stream.messages.filter((message) => message.event !== 'panel').map((message) => message.event)).toEqual(['snapshot', 'entry']);
    const dataLines = stream.raw().split('\n').filter((line) => line.startsWith('data: '));
    expect(dataLines.some((line) => line.includes('<') || line.includes('>'))).toBe(false);
    expect((await ui.snapshot()).events[0]?.repository).toBe(HOSTILE);
  });

  it('serves one self-contained page that never turns data into markup', async () => {
    const { url } = await startUi();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toBe(PAGE_HTML);
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\bsrc=|\bhref=/);
    expect(html).toContain('textContent');
  });

  it('answers loopback names only, GET only, and 404 elsewhere', async () => {
    const { url } = await startUi();
    const { port } = new URL(url);
    const status = (path: string, host: string, method = 'GET') =>
      new Promise<string>((resolve, reject) => {
        const socket = connectTcp(Number(port), '127.0.0.1', () => socket.end(`${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
        let reply = '';
        socket.on('data', (chunk) => (reply += chunk.toString()));
        socket.on('end', () => resolve(reply.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
    expect(await status('/', 'evil.example:80')).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await status('/stream', `localhost:${port}`, 'POST')).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(await status('/nothing', `127.0.0.1:${port}`)).toBe('HTTP/1.1 404 Not Found');
    expect(await status('/', `[::1]:${port}`)).toBe('HTTP/1.1 200 OK');
  });

  it('forgets a client that disconnects', async () => {
    const { url, ui } = await startUi();
    const stream = await subscribe(`${url}/stream`);
    await until(() => ui.stats().clients === 1, 'the client registered');
    stream.abort();
    await until(() => ui.stats().clients === 0, 'the client removed');
    expect(ui.stats().dropped).toBe(0);
  });

  it('adds panels from other packages, shows a failing one as its error, and refuses bad or repeated ids', async () => {
    const jobs: UiPanel = { id: 'jobs', title: 'Replication jobs', columns: [{ key: 'job', label: 'job' }], rows: async () => [{ job: 'a-to-b' }] };
    const broken: UiPanel = { id: 'broken', title: 'Broken', columns: [], rows: () => Promise.reject(new Error('source away')) };
    const { ui } = await startUi({ panels: [jobs, broken] });
    const { panels } = await ui.snapshot();
    expect(panels.find((panel) => panel.id === 'jobs')?.rows).toEqual([{ job: 'a-to-b' }]);
    expect(panels.find((panel) => panel.id === 'broken')?.error).toBe('source away');
    const relay = createRelay({ auth: { unauthenticated: true } });
    expect(() => createRelayUi(relay, { panels: [{ ...jobs, id: 'groups' }] })).toThrow(RelayConfigError);
    expect(() => createRelayUi(relay, { panels: [{ ...jobs, id: '<x>' }] })).toThrow(RelayConfigError);
  });
});

describe('createSseHub', () => {
  it('drops a client that stops reading once its backlog is full, while a reading client gets every message', async () => {
    const hub = createSseHub({ maxBacklog: 8 });
    cleanups.push(() => hub.close());
    const { url } = await listen((_req, res) => hub.connect(res));
    const { port } = new URL(url);
    // a client that sends its request and never reads a byte
    const stalled = connectTcp(Number(port), '127.0.0.1', () => stalled.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    stalled.pause();
    cleanups.push(() => stalled.destroy());
    const reader = await subscribe(url);
    await until(() => hub.stats().clients === 2, 'both clients connected');

    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    // at most 64 MiB: far more than any socket buffers for a client that does not read
    while (hub.stats().dropped === 0 && sent < 1024) {
      hub.send('big', { i: sent++, chunk });
      // the reading client keeps up, as a live page does
      while (reader.messages.length < sent - 2) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.stats()).toEqual({ clients: 1, dropped: 1 });
    await until(() => reader.messages.length === sent, `all ${sent} messages at the reading client`);
    expect(reader.messages.map((message) => (message.data as { i: number }).i)).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(hub.stats()).toEqual({ clients: 1, dropped: 1 });
  });

  it('refuses a message name that would break the framing', () => {
    const hub = createSseHub();
    cleanups.push(() => hub.close());
    expect(() => hub.send('entry\ndata: x', {})).toThrow(RelayConfigError);
  });
});

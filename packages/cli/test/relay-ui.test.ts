import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { relayUrl, startRegevents, type Background } from './background.js';

const body = () => readFile(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));
let running: Background | undefined;

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
});

describe('regevents relay --ui', () => {
  it('serves the live view on loopback, and its snapshot holds what the registry sent', async () => {
    running = startRegevents(['relay', '--port', '0', '--ui', '0']);
    const receiverUrl = await relayUrl(running);
    const [, uiUrl] = await running.waitFor(/live view on (http:\/\/127\.0\.0\.1:\d+)\//);
    expect(uiUrl).not.toBe(receiverUrl);
    const page = await fetch(`${uiUrl}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>regevents relay</title>');

    const sent = await fetch(`${receiverUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: new Uint8Array(await body()) });
    expect(sent.status).toBe(200);
    const deadline = Date.now() + 10_000;
    let events: { repository: string; tag: string }[] = [];
    while (!events.some((event) => event.tag === '1.0') && Date.now() < deadline) {
      events = ((await (await fetch(`${uiUrl}/snapshot`)).json()) as { events: typeof events }).events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(events.map((event) => `${event.repository}:${event.tag}`)).toContain('demo/app:1.0');
  });

  it('refuses a port that is not one', async () => {
    running = startRegevents(['relay', '--port', '0', '--ui', 'http']);
    await running.waitFor(/--ui must be a whole number from 0 to 65535, not "http"/);
  });
});

import { join } from 'node:path';
import { imageScenarios } from '@regevents/mock-registry';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import { requirePeers, serveOnLoopback } from '@regevents/registry-harness';
import { collectPageErrors, compareScreenshots, launchChromium, PAGE_VIEWPORT, visiblePart } from '@regevents/registry-harness/browser';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLog, createRelay } from '../src/index.js';
import { createRelayUi } from '../src/node.js';
import { TOKEN, until, useWorkDir } from './helpers.js';

const peers = requirePeers('chromium');

const HOSTILE = '<img src=x onerror="globalThis.pwned=1">evil/app';

describe.skipIf(!peers.available)(`the live view in headless Chromium ${peers.reason}`, () => {
  const work = useWorkDir('regevents-ui-');
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let context: BrowserContext;

  beforeAll(async () => {
    context = await launchChromium(work.path);
  }, 60_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await context?.close();
  });

  it('shows the events of a push through a mock registry, the groups and the dead letters, and renders hostile names as text', async () => {
    const relay = createRelay({ log: createMemoryLog(), auth: { bearer: TOKEN } });
    const ui = createRelayUi(relay, { intervalMs: 50 });
    closers.push(() => ui.close());
    const relayServer = await serveOnLoopback((req, res) => void relay.node(req, res));
    const uiServer = await serveOnLoopback((req, res) => ui.node(req, res));
    closers.push(relayServer.close, uiServer.close);

    const registry = createMockRegistry({
      config: `
        notifications:
          endpoints:
            - name: relay
              url: ${relayServer.origin}/events
              headers: { Authorization: [Bearer ${TOKEN}] }
              timeout: 2s
              threshold: 3
              backoff: 100ms`,
    });
    const served = await registry.serve({ host: '127.0.0.1' });
    closers.push(() => served.close());
    const client = imageScenarios(createRegistryClient({ baseUrl: served.url, userAgent: 'regevents-ui-test' }));

    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await page.goto(uiServer.origin);
    await page.waitForSelector('#status.live');
    await page.waitForSelector('#panel-groups');
    const before = await page.screenshot();

    // a group whose builds fail for one repository: it lands in the dead letters
    const builds = relay.consumer('builds', { pollMs: 10, retryDelay: 10, maxAttempts: 2 }).onAny((event) => {
      if ((event as { target?: { repository?: string } }).target?.repository === 'team/web') throw new Error('no Dockerfile');
    });
    builds.onError(() => undefined);
    closers.push(() => builds.stop());
    await builds.start();

    await client.pushImage('demo/app:1.0', { layers: 2 });
    await client.pushImage('team/web:2.1', { layers: 1 });
    await registry.idle();
    await relay.log.append({ key: 'distribution:hostile', format: 'distribution', repository: HOSTILE, receivedAt: new Date().toISOString(), event: { action: 'push', target: { repository: HOSTILE, tag: '<b>x</b>' } } });

    const manifestRow = (repository: string, tag: string) => page.locator('#events tr', { has: page.locator('td', { hasText: repository }) }).filter({ has: page.locator('td', { hasText: new RegExp(`^${tag.replace(/[.]/g, '\\.')}$`) }) });
    await manifestRow('demo/app', '1.0').waitFor();
    await manifestRow('team/web', '2.1').waitFor();
    await page.locator('#events tr', { hasText: HOSTILE }).waitFor();
    await until(async () => (await page.locator('#panel-dead-letters td', { hasText: 'team/web' }).count()) > 0, 'the dead letter of team/web on the page', 15_000);

    const eventsText = await page.locator('#events').innerText();
    expect(eventsText).toContain('demo/app');
    expect(eventsText).toContain('1.0');
    expect(eventsText).toContain('team/web');
    expect(eventsText).toContain('2.1');
    expect(await page.locator('#panel-groups').innerText()).toMatch(/builds/);
    expect(await page.locator('#panel-dead-letters').innerText()).toContain('no Dockerfile');
    // the hostile name is a cell's text, not an element
    expect(await page.locator('#events td', { hasText: HOSTILE }).first().textContent()).toBe(HOSTILE);
    expect(await page.locator('#events td', { hasText: '<b>x</b>' }).count()).toBe(1);
    expect(await page.evaluate(() => ({ images: document.images.length, bold: document.querySelectorAll('b').length, pwned: (globalThis as { pwned?: unknown }).pwned }))).toEqual({ images: 0, bold: 0, pwned: undefined });
    expect(pageErrors).toEqual([]);

    const rows = page.locator('#events');
    const box = await rows.boundingBox();
    expect(box).not.toBeNull();
    const shown = box as NonNullable<typeof box>;
    // the rows are on screen, not scrolled away
    expect(shown.y).toBeGreaterThanOrEqual(0);
    expect(shown.y + Math.min(shown.height, 100)).toBeLessThanOrEqual(PAGE_VIEWPORT.height);
    const screenshotPath = join(work.path, 'live-view.png');
    const after = await page.screenshot({ path: screenshotPath });
    if (process.env.REGEVENTS_UI_SCREENSHOT) await page.screenshot({ path: process.env.REGEVENTS_UI_SCREENSHOT });
    const report = await compareScreenshots(page, before, after, visiblePart(shown));
    // where the rows are, the screenshot holds text that was not there before the push
    expect(report.ink / report.pixels).toBeGreaterThan(0.02);
    expect(report.changed / report.pixels).toBeGreaterThan(0.02);
  }, 60_000);
});

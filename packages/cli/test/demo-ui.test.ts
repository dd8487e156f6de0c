import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeers } from '@regevents/registry-harness';
import { collectPageErrors, compareScreenshots, launchChromium, PAGE_VIEWPORT, visiblePart } from '@regevents/registry-harness/browser';
import { afterAll, describe, expect, it } from 'vitest';
import { startRegevents, type Background } from './background.js';

const peers = requirePeers('chromium');
const STORY_IMAGES = ['demo/app:1.0.0', 'demo/app:build-1', 'demo/multi:1.0.0', 'demo/app:build-2', 'demo/app:build-3'];

describe.skipIf(!peers.available)(`regevents demo --ui in headless Chromium ${peers.reason}`, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves the live view while the story runs: its events, every consumer group, no dead letters and the replication jobs completed', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'regevents-demo-ui-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const context = await launchChromium(workDir);
    cleanups.push(() => context.close());
    const demo: Background = startRegevents(['demo', '--ui', '0']);
    cleanups.push(() => demo.interrupt());
    const [, url] = await demo.waitFor(/live view on (http:\/\/127\.0\.0\.1:\d+)\/ \(events, consumer lag per group, dead letters, replication jobs\)/);

    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await page.goto(`${url}/`);
    await page.waitForSelector('#status.live');
    const atConnect = await page.screenshot();
    await demo.waitFor(/Ctrl-C stops/);

    // a manifest row of each image: its repository and tag in cells of their own
    for (const image of STORY_IMAGES) {
      const [repository, tag] = image.split(':') as [string, string];
      await page
        .locator('#events tr', { has: page.locator('td', { hasText: new RegExp(`^${repository}$`) }) })
        .filter({ has: page.locator('td', { hasText: new RegExp(`^${tag.replace(/[.]/g, '\\.')}$`) }) })
        .first()
        .waitFor({ timeout: 15_000 });
    }
    const jobs = page.locator('#panel-replication-jobs');
    await jobs.locator('td', { hasText: 'demo/app:build-3' }).waitFor({ timeout: 15_000 });
    const jobRows = async () => (await jobs.locator('tbody tr').allInnerTexts()).filter((row) => row.includes('demo/'));
    expect((await jobRows()).map((row) => STORY_IMAGES.find((image) => row.includes(image))).sort()).toEqual([...STORY_IMAGES].sort());
    // the story's summary can print before the page's next refresh shows the last job's end
    await expect.poll(async () => (await jobRows()).filter((row) => !/\bcompleted\b/.test(row)), { timeout: 15_000 }).toEqual([]);
    const groups = await page.locator('#panel-groups').innerText();
    for (const group of ['images', 'replication', 'retention']) expect(groups).toContain(group);
    expect(await page.locator('#panel-dead-letters').innerText()).toContain('no dead letters');
    expect(pageErrors).toEqual([]);

    const box = await page.locator('#events').boundingBox();
    expect(box).not.toBeNull();
    const shown = box as NonNullable<typeof box>;
    expect(shown.y + Math.min(shown.height, 100)).toBeLessThanOrEqual(PAGE_VIEWPORT.height);
    const atEnd = await page.screenshot();
    if (process.env.REGEVENTS_UI_SCREENSHOT) await page.screenshot({ path: process.env.REGEVENTS_UI_SCREENSHOT });
    const report = await compareScreenshots(page, atConnect, atEnd, visiblePart(shown));
    // where the rows are, the screenshot holds text, and more of it than when the page connected
    expect(report.ink / report.pixels).toBeGreaterThan(0.02);
    expect(report.changed / report.pixels).toBeGreaterThan(0.02);

    expect(await demo.interrupt()).toBe(0);
  }, 90_000);
});

import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findOnPath } from './peers.js';

/** What the page tests' screenshots are taken at. */
export const PAGE_VIEWPORT = { width: 1280, height: 720 };
// the fresh machine has no display, GPU or network: nothing but the page
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's `chromium`, headless, with a profile of its own under `workDir` (check `requirePeers('chromium')` first). */
export function launchChromium(workDir: string): Promise<BrowserContext> {
  const executablePath = findOnPath('chromium');
  if (!executablePath) throw new Error('chromium is not on PATH');
  return chromium.launchPersistentContext(join(workDir, 'profile'), { executablePath, args: CHROMIUM_ARGS, headless: true, viewport: PAGE_VIEWPORT, colorScheme: 'light' });
}

/** Errors the page threw or logged, collected from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  return errors;
}

export interface InkReport {
  /** Pixels of the box that differ from its most common color: text and rules. */
  ink: number;
  /** Pixels of the box that differ between the two screenshots. */
  changed: number;
  pixels: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of `box` inside the viewport, in whole pixels. */
export function visiblePart(box: Box): Box {
  return { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.floor(box.width), height: Math.floor(Math.min(box.height, PAGE_VIEWPORT.height - box.y)) };
}

/** Decodes both PNGs in a blank page (the browser's own decoder) and compares them inside `box`. */
export async function compareScreenshots(page: Page, before: Buffer, after: Buffer, box: Box): Promise<InkReport> {
  await page.goto('about:blank');
  return page.evaluate(
    async ({ before, after, box }) => {
      const pixelsOf = async (base64: string) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        return context.getImageData(box.x, box.y, box.width, box.height).data;
      };
      const [a, b] = [await pixelsOf(before), await pixelsOf(after)];
      const counts = new Map<number, number>();
      for (let i = 0; i < b.length; i += 4) {
        const color = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
        counts.set(color, (counts.get(color) ?? 0) + 1);
      }
      const background = Math.max(...counts.values());
      let changed = 0;
      for (let i = 0; i < b.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) changed++;
      return { ink: b.length / 4 - background, changed, pixels: b.length / 4 };
    },
    { before: before.toString('base64'), after: after.toString('base64'), box },
  );
}

import { describe, expect, it } from 'vitest';
import { createRelay, RelayConfigError, type ImagePush, type LogRecord } from '../src/index.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
let ids = 0;

function record(action: 'push' | 'mount', target: Record<string, unknown>): LogRecord {
  const id = `coalesce-${++ids}`;
  const event = { id, timestamp: '2026-12-01T10:00:00Z', action, target: { repository: 'app', size: 1, length: 1, url: 'http://r', ...target }, request: { id, method: 'PUT', useragent: 'test' }, actor: {}, source: {} };
  return { key: `distribution:${id}`, format: 'distribution', repository: 'app', receivedAt: new Date().toISOString(), event };
}

describe('the coalesced view', () => {
  it('a manifest pushed by digest and then tagged is one image with a tag, carrying the blobs that came before it; a failing image handler retries the event', async () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    await relay.log.append(record('push', { mediaType: 'application/octet-stream', digest: 'sha256:layer' }));
    await relay.log.append(record('mount', { mediaType: 'application/octet-stream', digest: 'sha256:config', fromRepository: 'base' }));
    await relay.log.append(record('push', { mediaType: MANIFEST, digest: 'sha256:image' }));
    await relay.log.append(record('push', { mediaType: MANIFEST, digest: 'sha256:image', tag: '1.0' }));
    const images: ImagePush[] = [];
    let manifests = 0;
    let failures = 1;
    const view = relay.consumer('images', { coalesce: true, retryDelay: 5 });
    view.onError(() => undefined);
    view.on('push:manifest', () => void manifests++);
    view.on('image.pushed', (image) => {
      if (failures-- > 0) throw new Error('once');
      images.push(image);
    });
    await view.start();
    await view.idle();
    await view.stop();
    expect(images.map(({ tag, digest, blobs }) => ({ tag, digest, blobs }))).toEqual([{ tag: '1.0', digest: 'sha256:image', blobs: ['sha256:layer', 'sha256:config'] }]);
    expect(manifests).toBe(2); // the raw events are still there for their own keys, each once
  });

  it('a view that fails retries the event from that view: the raw handlers and the views before it do not run again', async () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    await relay.log.append(record('push', { mediaType: MANIFEST, digest: 'sha256:image', tag: '2.0' }));
    const runs = { raw: 0, image: 0, enriched: 0 };
    const view = relay.consumer('views', { coalesce: true, enrich: {}, retryDelay: 5 });
    view.onError(() => undefined);
    view.on('push:manifest', () => void runs.raw++);
    view.on('image.pushed', () => void runs.image++);
    view.on('enriched', () => {
      if (runs.enriched++ < 2) throw new Error('twice');
    });
    await view.start();
    await view.idle();
    await view.stop();
    expect(runs).toEqual({ raw: 1, image: 1, enriched: 3 });
  });

  it("on('image.pushed') without coalesce: true is a RelayConfigError", () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    expect(() => relay.consumer('raw').on('image.pushed', () => undefined)).toThrow(RelayConfigError);
  });
});

import { capturedBodies } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { BLOB_MEDIA_TYPE, isBlobTarget, isDigestDeleteTarget, isManifestTarget, isTagDeleteTarget, MANIFEST_MEDIA_TYPES, type ContentTarget, type Envelope, type Event } from '../src/index.js';

const events: Event[] = capturedBodies().flatMap((captured) => (JSON.parse(captured.body.toString('utf8')) as Envelope).events);

describe('guards on captured events', () => {
  it('tell manifests from blobs the way the registry does', () => {
    const content = events.filter((e) => e.action === 'push' || e.action === 'pull');
    expect(content.length).toBeGreaterThan(10);
    for (const event of content) {
      const manifest = isManifestTarget(event.target);
      expect(isBlobTarget(event.target)).toBe(!manifest);
      expect(manifest).toBe(MANIFEST_MEDIA_TYPES.includes(event.target.mediaType));
      if (!manifest) expect(event.target.mediaType).toBe(BLOB_MEDIA_TYPE);
    }
  });

  it('fall back to the media type when the url names neither', () => {
    const blob = { mediaType: BLOB_MEDIA_TYPE, size: 1, digest: 'sha256:00', repository: 'r', url: '' } as unknown as ContentTarget;
    expect(isManifestTarget(blob)).toBe(false);
    expect(isManifestTarget({ ...blob, mediaType: MANIFEST_MEDIA_TYPES[0] as string } as ContentTarget)).toBe(true);
  });

  it('tell tag deletes from digest deletes, in 2.x and 3.x shapes', () => {
    const deletes = events.filter((e) => e.action === 'delete');
    expect(deletes.map((e) => isTagDeleteTarget(e.target))).toEqual([false, true]);
    expect(deletes.map((e) => isDigestDeleteTarget(e.target))).toEqual([true, false]);
    expect(isTagDeleteTarget({ mediaType: '', digest: '', size: 0, repository: 'r', tag: 't' })).toBe(true);
  });
});

import { MANIFEST_MEDIA_TYPES } from './media-types.js';
import type { BlobTarget, ContentTarget, DeleteTarget, DigestDeleteTarget, ManifestTarget, TagDeleteTarget } from './events.js';

const MANIFEST_URL = /\/manifests\/[^/]+$/;
const BLOB_URL = /\/blobs\/[^/]+$/;

/**
 * A push or pull of a manifest (image, index, list) rather than a blob. The target's `url`
 * always names `/manifests/<digest>` or `/blobs/<digest>`, which is more reliable than the
 * media type (blobs are reported as application/octet-stream, manifests by their own type);
 * the media type decides only for a url that names neither (a hand-made event).
 */
export function isManifestTarget(target: ContentTarget): target is ManifestTarget {
  if (MANIFEST_URL.test(target.url)) return true;
  if (BLOB_URL.test(target.url)) return false;
  return MANIFEST_MEDIA_TYPES.includes(target.mediaType);
}

export function isBlobTarget(target: ContentTarget): target is BlobTarget {
  return !isManifestTarget(target);
}

/** A tag removal: it names a tag and no digest (3.x writes the digest as `""`). */
export function isTagDeleteTarget(target: DeleteTarget): target is TagDeleteTarget {
  return typeof target.tag === 'string' && !target.digest;
}

export function isDigestDeleteTarget(target: DeleteTarget): target is DigestDeleteTarget {
  return !isTagDeleteTarget(target);
}

import type { ManifestNode } from './inventory.js';

/** The blobs a manifest keeps alive in storage: its own bytes, its config and layers. */
function blobsOf(node: ManifestNode): { digest: string; size: number }[] {
  return [{ digest: node.digest, size: node.size }, ...node.blobs];
}

/**
 * Bytes garbage collection frees: blobs of removed manifests that no kept manifest (in any
 * repository: blob storage is shared) references; each blob counted once, for the first manifest
 * that frees it.
 */
export function reclaimableBytes(removed: readonly ManifestNode[], kept: Iterable<ManifestNode>): { total: number; perManifest: Map<ManifestNode, number> } {
  const keptBlobs = new Set<string>();
  for (const node of kept) for (const blob of blobsOf(node)) keptBlobs.add(blob.digest);
  const counted = new Set<string>();
  const perManifest = new Map<ManifestNode, number>();
  let total = 0;
  for (const node of removed) {
    let bytes = 0;
    for (const blob of blobsOf(node)) {
      if (keptBlobs.has(blob.digest) || counted.has(blob.digest)) continue;
      counted.add(blob.digest);
      bytes += blob.size;
    }
    perManifest.set(node, bytes);
    total += bytes;
  }
  return { total, perManifest };
}

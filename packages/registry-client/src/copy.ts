import type { Descriptor, Platform } from '@regevents/types';
import type { RegistryClient } from './client.js';
import { isIndex, type Manifest } from './manifests.js';
import { forEachConcurrent } from './pool.js';

export interface CopySource {
  repository: string;
  /** A tag or a digest. */
  reference: string;
}

export interface CopyTarget {
  /** The target registry; default: the source's client (a copy within one registry). */
  client?: RegistryClient;
  repository: string;
  /** Tag or digest to push the root under; default: the source reference. */
  reference?: string;
}

export interface CopyProgress {
  blobsDone: number;
  blobsTotal: number;
  /** Bytes of finished blobs (uploaded, mounted or already there) plus bytes in flight. */
  bytesDone: number;
  bytesTotal: number;
  manifestsDone: number;
  manifestsTotal: number;
}

export interface CopyOptions {
  /** Copy only these platforms of an index (matched on os, architecture and variant when given); the index is rewritten, so its digest changes. */
  platforms?: Platform[];
  /** Also copy the manifests that refer to each copied manifest (signatures, SBOMs), after their subject. */
  referrers?: boolean;
  /** Blob transfers in flight; default: the source client's `concurrency`. */
  concurrency?: number;
  onProgress?: (progress: CopyProgress) => void;
  signal?: AbortSignal;
}

export interface CopyResult {
  /** Digest of the root manifest as pushed (differs from the source's only when `platforms` rewrote an index). */
  digest: string;
  mediaType: string;
  manifests: { pushed: number; skipped: number };
  blobs: { uploaded: number; mounted: number; skipped: number };
  bytesUploaded: number;
}

/** One manifest to push: by digest, except the root, which goes under the target reference. */
interface PlannedManifest {
  manifest: Pick<Manifest, 'digest' | 'mediaType' | 'bytes'>;
  reference: string | undefined;
}

interface CopyPlan {
  /** Children before their index, referrers after their subject, the root where it belongs. */
  manifests: PlannedManifest[];
  blobs: Descriptor[];
  root: PlannedManifest;
}

function platformMatches(platform: Platform | undefined, wanted: Platform[]): boolean {
  return wanted.some((want) => platform?.os === want.os && platform.architecture === want.architecture && (want.variant === undefined || platform.variant === want.variant));
}

function withOnly(index: Manifest, kept: Descriptor[]): Pick<Manifest, 'digest' | 'mediaType' | 'bytes'> {
  return { digest: '', mediaType: index.mediaType, bytes: new TextEncoder().encode(JSON.stringify({ ...index.json, manifests: kept })) };
}

/** Reads every manifest under the root (and its referrers) to know all the blobs before moving a byte. */
async function planCopy(client: RegistryClient, source: CopySource, options: CopyOptions): Promise<CopyPlan> {
  const manifests: PlannedManifest[] = [];
  const blobs = new Map<string, Descriptor>();
  const visited = new Set<string>();
  const visit = async (manifest: Manifest, platforms: Platform[] | undefined): Promise<Pick<Manifest, 'digest' | 'mediaType' | 'bytes'>> => {
    visited.add(manifest.digest);
    let pushed: Pick<Manifest, 'digest' | 'mediaType' | 'bytes'> = manifest;
    if (isIndex(manifest.mediaType)) {
      const children = manifest.json.manifests ?? [];
      const kept = platforms ? children.filter((child) => platformMatches(child.platform, platforms)) : children;
      for (const child of kept) {
        if (visited.has(child.digest)) continue;
        const fetched = await client.getManifest(source.repository, child.digest, { signal: options.signal });
        manifests.push({ manifest: await visit(fetched, undefined), reference: undefined });
      }
      if (kept.length !== children.length) pushed = withOnly(manifest, kept);
    } else {
      for (const blob of [manifest.json.config, ...(manifest.json.layers ?? [])]) if (blob) blobs.set(blob.digest, blob);
    }
    return pushed;
  };
  const visitReferrers = async (subject: string): Promise<void> => {
    for (const referrer of await client.referrers(source.repository, subject, { signal: options.signal })) {
      if (visited.has(referrer.digest)) continue;
      const fetched = await client.getManifest(source.repository, referrer.digest, { signal: options.signal });
      manifests.push({ manifest: await visit(fetched, undefined), reference: undefined });
      await visitReferrers(referrer.digest);
    }
  };

  const rootManifest = await client.getManifest(source.repository, source.reference, { signal: options.signal });
  const root: PlannedManifest = { manifest: await visit(rootManifest, options.platforms), reference: undefined };
  manifests.push(root);
  if (options.referrers) for (const digest of [...visited]) await visitReferrers(digest);
  return { manifests, blobs: [...blobs.values()], root };
}

/**
 * Copies an image or index (children first, then the index; every blob before any manifest),
 * skipping blobs the target has (HEAD), mounting them within one registry, streaming them
 * otherwise. Reads go out with the source client's User-Agent.
 */
export async function copyImage(sourceClient: RegistryClient, source: CopySource, target: CopyTarget, options: CopyOptions = {}): Promise<CopyResult> {
  const targetClient = target.client ?? sourceClient;
  const targetReference = target.reference ?? source.reference;
  const sameRegistry = targetClient.baseUrl === sourceClient.baseUrl;
  const plan = await planCopy(sourceClient, source, options);
  plan.root.reference = targetReference;

  const result: CopyResult = { digest: '', mediaType: plan.root.manifest.mediaType, manifests: { pushed: 0, skipped: 0 }, blobs: { uploaded: 0, mounted: 0, skipped: 0 }, bytesUploaded: 0 };
  const progress: CopyProgress = {
    blobsDone: 0,
    blobsTotal: plan.blobs.length,
    bytesDone: 0,
    bytesTotal: plan.blobs.reduce((sum, blob) => sum + blob.size, 0),
    manifestsDone: 0,
    manifestsTotal: plan.manifests.length,
  };
  const report = () => options.onProgress?.({ ...progress });
  report();

  await forEachConcurrent(plan.blobs, options.concurrency ?? sourceClient.concurrency, options.signal, async (blob, signal) => {
    let inFlight = 0;
    if (await targetClient.headBlob(target.repository, blob.digest, { signal })) {
      result.blobs.skipped++;
    } else {
      const pushed = await targetClient.pushBlob(
        target.repository,
        async () => (await sourceClient.getBlob(source.repository, blob.digest, { size: blob.size, verify: false, signal })).body,
        {
          digest: blob.digest,
          size: blob.size,
          signal,
          ...(sameRegistry && source.repository !== target.repository ? { mountFrom: source.repository } : {}),
          onProgress: (sent) => {
            progress.bytesDone += sent - inFlight;
            inFlight = sent;
            report();
          },
        },
      );
      if (pushed.mounted) result.blobs.mounted++;
      else {
        result.blobs.uploaded++;
        result.bytesUploaded += blob.size;
      }
    }
    progress.bytesDone += blob.size - inFlight;
    progress.blobsDone++;
    report();
  });

  for (const planned of plan.manifests) {
    const { manifest, reference } = planned;
    const exists = reference === undefined && manifest.digest !== '' && (await targetClient.headManifest(target.repository, manifest.digest, { signal: options.signal }));
    if (exists) {
      result.manifests.skipped++;
    } else {
      const { digest } = await targetClient.putManifest(target.repository, reference ?? manifest.digest, manifest, { signal: options.signal });
      if (planned === plan.root) result.digest = digest;
      result.manifests.pushed++;
    }
    progress.manifestsDone++;
    report();
  }
  return result;
}

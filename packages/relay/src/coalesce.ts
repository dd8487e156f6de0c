import type { RegistryClient } from '@regevents/registry-client';
import { INDEX_MEDIA_TYPES, isManifestTarget, type Descriptor, type Event, type Platform } from '@regevents/types';

/** One image push, from the burst of blob events and the manifest events that made it. */
export interface ImagePush {
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
  size: number;
  /**
   * For an index: its platforms, read from the index with the view's `client` (distribution 2.8's
   * `references` name the children without their platforms), else from `references` when they carry them.
   */
  platforms?: Platform[];
  /** Digests of the layer and config blobs that arrived (pushed or mounted) for it, in order, its platforms' included. */
  blobs: string[];
  /** The distribution event of the tagged manifest push. */
  event: Event;
}

interface Pending {
  blobs: string[];
}

/** Most blobs and untagged manifests remembered per repository: the oldest go first. */
const MAX_REMEMBERED = 10_000;

function bounded<T>(list: T[]): T[] {
  return list.length > MAX_REMEMBERED ? list.slice(list.length - MAX_REMEMBERED) : list;
}

/** The image an event completes, if any, and what to forget once it was handled. */
export interface CoalescedStep {
  image?: ImagePush;
  commit: () => void;
}

/**
 * Folds a repository's events, in log order, into image pushes: blob pushes and mounts are
 * remembered until a manifest push; a manifest pushed by digest waits for its tag (a later push
 * of the same digest by tag) or for the index that lists it. Memory is bounded; what it holds is
 * this consumer's, so after a restart an image's `blobs` may miss some.
 */
export function createCoalescer(client?: RegistryClient) {
  const arrived = new Map<string, string[]>();
  const untagged = new Map<string, Map<string, Pending>>();

  /** A tagged manifest's push, with the blobs and untagged children gathered for it, and what it lets go of once handled. */
  function imageStep(event: Event, target: Descriptor & { repository: string; tag: string }, children: Descriptor[], waiting: Map<string, Pending>, blobs: string[]): CoalescedStep {
    const { repository } = target;
    const folded = [target.digest, ...children.map((child) => child.digest)];
    const image: ImagePush = {
      repository,
      tag: target.tag,
      digest: target.digest,
      mediaType: target.mediaType,
      size: target.size,
      blobs: [...new Set([...folded.flatMap((digest) => waiting.get(digest)?.blobs ?? []), ...blobs])],
      event,
    };
    const platforms = children.flatMap((child) => (child.platform ? [child.platform] : []));
    if (platforms.length > 0) image.platforms = platforms;
    return {
      image,
      commit() {
        for (const digest of folded) waiting.delete(digest);
        arrived.delete(repository);
      },
    };
  }

  return {
    /** The step a distribution event makes: at once, but for an index whose platforms are read from the registry. */
    next(event: Event): CoalescedStep | Promise<CoalescedStep> {
      const target = event.target as Descriptor & { repository: string; tag?: string; references?: Descriptor[] };
      const repository = target.repository;
      if ((event.action === 'push' || event.action === 'mount') && !isManifestTarget(target as never)) {
        return { commit: () => void arrived.set(repository, bounded([...(arrived.get(repository) ?? []), target.digest])) };
      }
      if (event.action !== 'push') return { commit: () => undefined };
      const blobs = arrived.get(repository) ?? [];
      const waiting = untagged.get(repository) ?? new Map<string, Pending>();
      if (!target.tag) {
        return {
          commit() {
            waiting.set(target.digest, { blobs: [...(waiting.get(target.digest)?.blobs ?? []), ...blobs] });
            while (waiting.size > MAX_REMEMBERED) waiting.delete(waiting.keys().next().value as string);
            untagged.set(repository, waiting);
            arrived.delete(repository);
          },
        };
      }
      // the tag checked above, as a type (no copy of the target per image)
      const tagged = target as typeof target & { tag: string };
      const isIndex = INDEX_MEDIA_TYPES.includes(target.mediaType);
      // only an index read from the registry waits: every other event is coalesced in this turn
      if (isIndex && client) return client.getManifest(repository, target.digest).then((manifest) => imageStep(event, tagged, manifest.json.manifests ?? [], waiting, blobs));
      return imageStep(event, tagged, isIndex ? (target.references ?? []) : [], waiting, blobs);
    },
  };
}

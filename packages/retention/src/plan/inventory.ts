import { collectTags, isIndex, RegistryError, type RegistryClient } from '@regevents/registry-client';
import type { Descriptor } from '@regevents/types';
import type { LimitFunction } from 'p-limit';
import type { Candidates } from '../policy/rules/index.js';
import { emptyUsage, type ManifestUsage, type PushTimeSource, type RepositoryUsage, type UsageStore } from '../usage/model.js';

/** Where what the plan knows of a tag came from: the tracker's events, or the registry alone. */
export type History = 'events' | 'registry';

/** A referrers tag: what the plan shows of it (times are epoch ms). */
export interface TagFacts {
  repository: string;
  tag: string;
  digest: string;
  pushedAt: number | undefined;
  pushedAtSource: PushTimeSource | undefined;
  lastPulledAt: number | undefined;
  pulls: number;
  history: History;
}

/**
 * A repository's tags by position, in columns: the rules read tags and times, and the plan makes
 * each tag's entry from the rest once it has decided (a plan holds hundreds of thousands: one
 * object each, made whole, and arrays that need no object per tag).
 */
export interface CandidateList extends Candidates {
  /** Per position, the tag; undefined for an untagged manifest (the plan adds those). */
  readonly tags: (string | undefined)[];
  readonly digests: string[];
  readonly pushedAtSources: (PushTimeSource | undefined)[];
  readonly pulls: number[];
  readonly histories: History[];
  /** Sized for every candidate (positions past the last one are unused). */
  readonly pushedAt: Float64Array;
  readonly lastPulledAt: Float64Array;
}

export const NO_RULE_WHY = 'no rule removes it';

/** What the plan shows of a candidate besides its times. */
export interface CandidateFacts {
  tag: string | undefined;
  digest: string;
  pushedAtSource: PushTimeSource | undefined;
  pulls: number;
  history: History;
}

/** An empty list with room for `capacity` candidates' times. */
export function candidateList(capacity: number): CandidateList {
  return { tags: [], digests: [], pushedAtSources: [], pulls: [], histories: [], pushedAt: new Float64Array(capacity), lastPulledAt: new Float64Array(capacity) };
}

/** Which candidates pickCandidates takes, and how many more its list has room for. */
interface PickOptions {
  /** The positions to take, in this order; all of them, as they are, without. */
  positions?: readonly number[];
  /** Room for this many more candidates (none by default). */
  spare?: number;
}

/**
 * The candidates of `list` at `positions`, in that order (all of them, as they are, without
 * `positions`), in a new list with room for `spare` more (`list` stays as it was). With
 * candidateList and addCandidate, the only code that names every column, so a copy or a reorder
 * leaves none out.
 */
export function pickCandidates(list: CandidateList, { positions, spare = 0 }: PickOptions = {}): CandidateList {
  const picked = <T>(column: readonly T[]) => (positions ? positions.map((position) => column[position] as T) : column.slice());
  const times = (column: Float64Array) => {
    const copy = new Float64Array((positions?.length ?? list.tags.length) + spare);
    if (positions) positions.forEach((position, at) => (copy[at] = column[position] as number));
    else copy.set(column.subarray(0, list.tags.length));
    return copy;
  };
  return { tags: picked(list.tags), digests: picked(list.digests), pushedAtSources: picked(list.pushedAtSources), pulls: picked(list.pulls), histories: picked(list.histories), pushedAt: times(list.pushedAt), lastPulledAt: times(list.lastPulledAt) };
}

/**
 * Adds a candidate to a list with room for it; times are epoch ms, undefined when unknown. A list
 * without room throws, and is left as it was: a typed array drops a write past its end unnoticed.
 */
export function addCandidate(list: CandidateList, facts: CandidateFacts, pushedAt: number | undefined, lastPulledAt: number | undefined): void {
  const position = list.tags.length;
  if (position >= list.pushedAt.length || position >= list.lastPulledAt.length) throw new RangeError(`a candidate list with room for ${Math.min(list.pushedAt.length, list.lastPulledAt.length)} candidates has no room for one more`);
  list.tags.push(facts.tag);
  list.digests.push(facts.digest);
  list.pushedAtSources.push(facts.pushedAtSource);
  list.pulls.push(facts.pulls);
  list.histories.push(facts.history);
  list.pushedAt[position] = pushedAt ?? Number.NaN;
  list.lastPulledAt[position] = lastPulledAt ?? Number.NaN;
}

/** A manifest and what it holds on to. */
export interface ManifestNode {
  digest: string;
  mediaType?: string;
  /** The manifest's own bytes (a blob in the registry's storage too). */
  size: number;
  /** Config and layers of an image. */
  blobs: Descriptor[];
  /** The manifests of an index. */
  children: string[];
  /** The manifest this one refers to (a signature, SBOM or attestation), when known. */
  subject?: string;
  pushedAt?: number;
  pushedAtSource?: PushTimeSource;
  lastPulledAt?: number;
  pulls: number;
}

export interface RepositoryInventory {
  repository: string;
  /** Sorted by tag. */
  tags: CandidateList;
  /** Tags of the referrers fallback scheme (`sha256-<hex>`): they follow their subject, never a rule. */
  referrerTags: TagFacts[];
  /** Subject digest → the digests of its referrers. */
  referrers: Map<string, string[]>;
  manifests: Map<string, ManifestNode>;
  /** Manifests the tracker saw pushed that no tag points at and that are still in the registry. */
  untagged: string[];
}

export interface InventoryOptions {
  client: RegistryClient;
  store?: UsageStore;
  /** Requests in flight per repository. */
  limit: LimitFunction;
  /** Ask the referrers API for every manifest (registries of the distribution family have none: their fallback tags are read instead). */
  referrersApi: boolean;
  signal?: AbortSignal;
}

const REFERRERS_TAG_PREFIX = 'sha256-';
const REFERRERS_TAG = /^sha256-[0-9a-f]{64}$/;
/** The prefix first: a regular expression for each of a plan's tags costs more than the rest of the loop. */
const isReferrersTag = (tag: string) => tag.startsWith(REFERRERS_TAG_PREFIX) && REFERRERS_TAG.test(tag);

function nodeFromUsage(usage: ManifestUsage): ManifestNode | undefined {
  if (usage.mediaType === undefined || usage.references === undefined || usage.size === undefined) return undefined;
  const index = isIndex(usage.mediaType);
  return {
    digest: usage.digest,
    mediaType: usage.mediaType,
    size: usage.size,
    blobs: index ? [] : usage.references,
    children: index ? usage.references.map((reference) => reference.digest) : [],
    pushedAt: usage.pushedAt,
    pushedAtSource: usage.pushedAtSource,
    lastPulledAt: usage.lastPulledAt,
    pulls: usage.pulls,
  };
}

/** The image config's `created`, the registry's own idea of when an image was made. */
async function configCreated(client: RegistryClient, repository: string, config: Descriptor | undefined, signal?: AbortSignal): Promise<number | undefined> {
  if (!config) return undefined;
  try {
    const blob = await client.getBlob(repository, config.digest, { signal });
    const created = (JSON.parse(await new Response(blob.body).text()) as { created?: unknown }).created;
    const time = typeof created === 'string' ? Date.parse(created) : Number.NaN;
    return Number.isFinite(time) ? time : undefined;
  } catch {
    return undefined;
  }
}

const byTag = (a: string | undefined, b: string | undefined) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);

/** The list in tag order: as it is, when the registry listed the tags in that order (2.8.2's storage walk does, for tags) and none came in late. */
function sortedByTag(list: CandidateList): CandidateList {
  const { tags } = list;
  let sorted = true;
  for (let position = 1; sorted && position < tags.length; position++) sorted = byTag(tags[position - 1], tags[position]) < 0;
  if (sorted) return list;
  return pickCandidates(list, { positions: Array.from(tags, (_, position) => position).sort((a, b) => byTag(tags[a], tags[b])) });
}

/**
 * Everything one repository holds that a plan needs: tags and their digests (from the tracker when
 * it knows them, else by HEAD), manifests with their blobs, children and subjects (from push events
 * with references, else by GET), referrers, and the untagged manifests the tracker saw.
 */
export async function readRepository(repository: string, options: InventoryOptions): Promise<RepositoryInventory> {
  const { client, limit, signal } = options;
  const [tagNames, usage] = await Promise.all([collectTags(client, repository, { signal }), options.store?.repository(repository) ?? Promise.resolve<RepositoryUsage>(emptyUsage())]);
  const manifests = new Map<string, ManifestNode>();
  const loading = new Map<string, Promise<ManifestNode | undefined>>();

  /** A manifest by digest, once; undefined when the registry no longer has it. `fromRegistry` ignores what push events said. */
  const manifest = (digest: string, fromRegistry = false): Promise<ManifestNode | undefined> => {
    const known = usage.manifests.get(digest);
    const fromUsage = known && !fromRegistry ? nodeFromUsage(known) : undefined;
    if (fromUsage) {
      manifests.set(digest, fromUsage);
      return Promise.resolve(fromUsage);
    }
    const started = loading.get(digest);
    if (started) return started;
    const pending = limit(async (): Promise<ManifestNode | undefined> => {
      try {
        const fetched = await client.getManifest(repository, digest, {
          signal,
        });
        const { json } = fetched;
        const node: ManifestNode = {
          digest,
          mediaType: fetched.mediaType,
          size: fetched.size,
          blobs: [...(json.config ? [json.config] : []), ...(json.layers ?? [])],
          children: (json.manifests ?? []).map((child) => child.digest),
          subject: json.subject?.digest,
          pushedAt: known?.pushedAt,
          pushedAtSource: known?.pushedAtSource,
          lastPulledAt: known?.lastPulledAt,
          pulls: known?.pulls ?? 0,
        };
        if (node.pushedAt === undefined) {
          const created = await configCreated(client, repository, json.config, signal);
          if (created !== undefined)
            Object.assign(node, {
              pushedAt: created,
              pushedAtSource: 'config-created',
            });
        }
        manifests.set(digest, node);
        return node;
      } catch (error) {
        if (error instanceof RegistryError && error.status === 404) return undefined;
        throw error;
      }
    });
    loading.set(digest, pending);
    return pending;
  };

  const tags = candidateList(tagNames.length);
  const referrerTags: TagFacts[] = [];
  const referrers = new Map<string, string[]>();
  const lookUp: string[] = [];
  // Every tag of one manifest gets the same digest string: the sets and maps keyed by digest
  // that a plan consults for every tag then compare strings by identity, not by content.
  const tagged = new Map<string, string>();
  const sameDigest = (digest: string) => {
    const known = tagged.get(digest);
    if (known !== undefined) return known;
    tagged.set(digest, digest);
    return digest;
  };
  // the tracker's tags need no request: only tags it never saw, and referrers tags, are asked for
  for (const tag of tagNames) {
    const seen = usage.tags.get(tag);
    if (!seen?.digest || isReferrersTag(tag)) lookUp.push(tag);
    else addCandidate(tags, { tag, digest: sameDigest(seen.digest), pushedAtSource: seen.pushedAtSource, pulls: seen.pulls, history: 'events' }, seen.pushedAt, seen.lastPulledAt);
  }
  await Promise.all(
    lookUp.map(async (tag) => {
      const head = await limit(() => client.headManifest(repository, tag, { signal }));
      if (!head) return; // deleted since the listing
      const seen = usage.tags.get(tag);
      const history = seen ? 'events' : 'registry';
      const subjectHex = isReferrersTag(tag) ? tag.slice(REFERRERS_TAG_PREFIX.length) : undefined;
      if (subjectHex === undefined) return addCandidate(tags, { tag, digest: sameDigest(head.digest), pushedAtSource: undefined, pulls: seen?.pulls ?? 0, history }, undefined, seen?.lastPulledAt);
      const facts: TagFacts = { repository, tag, digest: head.digest, pushedAt: undefined, pushedAtSource: undefined, lastPulledAt: seen?.lastPulledAt, pulls: seen?.pulls ?? 0, history };
      referrerTags.push(facts);
      const index = await manifest(facts.digest);
      referrers.set(`sha256:${subjectHex}`, index?.children ?? []);
    }),
  );

  // every manifest a tag names, and what those hold on to (children, referrers), transitively
  const referrerTagDigests = new Set(referrerTags.map((facts) => facts.digest));
  const untaggedSeen = [...usage.manifests.keys()].filter((digest) => !tagged.has(digest) && !referrerTagDigests.has(digest));
  const visited = new Set<string>();
  const visit = async (digest: string, fromRegistry = false): Promise<void> => {
    if (visited.has(digest)) return;
    visited.add(digest);
    const node = await manifest(digest, fromRegistry);
    if (!node) return;
    const more = [...node.children, ...(referrers.get(digest) ?? [])];
    if (options.referrersApi) {
      const found = await limit(() => client.referrers(repository, digest, { signal }));
      const list = found.map((descriptor: { digest: string }) => descriptor.digest);
      referrers.set(digest, [...new Set([...(referrers.get(digest) ?? []), ...list])]);
      more.push(...list);
    }
    await Promise.all(more.map((next) => visit(next)));
  };
  await Promise.all([...tagged.keys()].map((digest) => visit(digest)));
  // an untagged manifest is read from the registry: it may be a referrer or an index child, and may be gone
  await Promise.all(untaggedSeen.map((digest) => visit(digest, true)));
  const untagged = untaggedSeen.filter((digest) => manifests.has(digest));

  tags.digests.forEach((digest, position) => {
    const node = manifests.get(digest);
    // a pull by digest is a pull of every tag on it (NaN, never pulled, is above nothing)
    if (node?.lastPulledAt !== undefined && !(node.lastPulledAt <= (tags.lastPulledAt[position] as number))) tags.lastPulledAt[position] = node.lastPulledAt;
    if (!Number.isNaN(tags.pushedAt[position])) return;
    // the push time of a tag the tracker never saw: its config's `created`
    const source = node && node.children.length > 0 ? manifests.get(node.children[0] as string) : node;
    if (source?.pushedAt !== undefined) {
      tags.pushedAt[position] = source.pushedAt;
      tags.pushedAtSources[position] = source.pushedAtSource;
    }
  });
  return { repository, tags: sortedByTag(tags), referrerTags, referrers, manifests, untagged };
}

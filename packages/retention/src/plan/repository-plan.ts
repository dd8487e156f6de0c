import { decide, type CompiledRepositoryPolicy, type RuleRef, type Verdict } from '../policy/decide.js';
import { addCandidate, NO_RULE_WHY, pickCandidates, type CandidateList, type History, type ManifestNode, type RepositoryInventory, type TagFacts } from './inventory.js';
import { dependentsOf, keptClosure, removedClosure, type Dependents, type Relation } from './safety.js';
import type { PlanEntry, PlannedTagDeletion, Reason } from './types.js';

export interface RepositoryPlan {
  entries: PlanEntry[];
  kept: ManifestNode[];
  removed: {
    node: ManifestNode;
    level: number;
    tags: string[];
    parents: string[];
  }[];
  tagDeletions: PlannedTagDeletion[];
}

type Times = Pick<PlanEntry, 'pushedAt' | 'pushedAtSource' | 'lastPulledAt' | 'pulls'>;

function timesOf(facts: { pushedAt?: number; pushedAtSource?: TagFacts['pushedAtSource']; lastPulledAt?: number; pulls: number }, iso: (ms: number) => string): Times {
  const times: Times = { pulls: facts.pulls };
  if (facts.pushedAt !== undefined) times.pushedAt = iso(facts.pushedAt);
  if (facts.pushedAtSource !== undefined) times.pushedAtSource = facts.pushedAtSource;
  if (facts.lastPulledAt !== undefined) times.lastPulledAt = iso(facts.lastPulledAt);
  return times;
}

const RELATION_WHY: Record<Relation, { keep: string; remove: string }> = {
  'index-child': {
    keep: 'platform manifest of a kept index',
    remove: 'platform manifest of a removed index',
  },
  referrer: {
    keep: 'refers to a kept manifest (signature, SBOM, attestation)',
    remove: 'refers to a removed manifest',
  },
};

export interface RepositoryPlanOptions {
  now: number;
  deleteTags: boolean;
  /** Epoch ms as ISO text (one formatter for the whole plan). */
  iso: (ms: number) => string;
}

/**
 * The inventory's tags, then the manifests no tag points at that are candidates of their own (not
 * an index child or a referrer): a copy when there are any, so the inventory stays as it was read.
 */
function withUntagged(inventory: RepositoryInventory, dependents: Dependents): CandidateList {
  const untagged = inventory.untagged.filter((digest) => !dependents.dependent.has(digest));
  const { tags } = inventory;
  if (untagged.length === 0) return tags;
  const list = pickCandidates(tags, { spare: untagged.length });
  for (const digest of untagged) {
    const manifest = inventory.manifests.get(digest);
    addCandidate(list, { tag: undefined, digest, pushedAtSource: manifest?.pushedAtSource, pulls: manifest?.pulls ?? 0, history: 'events' }, manifest?.pushedAt, manifest?.lastPulledAt);
  }
  return list;
}

interface Decisions {
  repository: string;
  verdicts: readonly (Verdict | undefined)[];
  /** Manifests to delete. */
  removed: ReadonlyMap<string, unknown>;
  /** A kept tag of each manifest a keep rule kept. */
  keptTagOf: ReadonlyMap<string, string>;
  deleteTags: boolean;
  iso: (ms: number) => string;
}

/**
 * Each candidate's entry once digests are safe, made whole (one object a tag): removed, removed as
 * a tag alone, or kept for what shares its manifest; with the tags of each removed manifest and
 * the tags to remove alone.
 */
function candidateEntries(candidates: CandidateList, decisions: Decisions): { entries: PlanEntry[]; tagsOn: Map<string, string[]>; tagDeletions: PlannedTagDeletion[] } {
  const { repository, verdicts, removed, iso } = decisions;
  const tagDeletions: PlannedTagDeletion[] = [];
  const tagsOn = new Map<string, string[]>();
  // one text for every tag a rule gave up for the same kept manifest: CI tags share few digests
  const sharedWhy = new Map<RuleRef, Map<string, string>>();
  const sharesDigestWhy = (rule: RuleRef, digest: string) => {
    let byDigest = sharedWhy.get(rule);
    if (!byDigest) sharedWhy.set(rule, (byDigest = new Map()));
    let why = byDigest.get(digest);
    if (why === undefined) {
      const holder = decisions.keptTagOf.get(digest);
      byDigest.set(digest, (why = `${rule.description}, but ${holder ? `kept tag ${holder} points at the same manifest` : 'its manifest belongs to a kept image'}`));
    }
    return why;
  };
  /** Times as text once decided: the rules needed the numbers, the entry shows ISO. */
  const isoOrNothing = (time: number) => (Number.isNaN(time) ? undefined : iso(time));
  const entries = new Array<PlanEntry>(candidates.tags.length);
  for (let position = 0; position < entries.length; position++) {
    const tag = candidates.tags[position];
    const digest = candidates.digests[position] as string;
    const verdict = verdicts[position];
    const rule = verdict?.rule;
    let action: PlanEntry['action'] = 'keep';
    let reason: Reason = 'rule';
    let why: string;
    if (!rule) {
      reason = 'no-rule';
      why = NO_RULE_WHY;
    } else if (verdict?.action === 'keep') why = rule.description;
    else if (removed.has(digest)) {
      action = 'remove';
      why = rule.description;
      if (tag !== undefined) addTo(tagsOn, digest, tag);
    } else if (decisions.deleteTags && tag !== undefined) {
      action = 'remove';
      why = `${rule.description}; the tag alone (its manifest stays)`;
      tagDeletions.push({ repository, tag, digest });
    } else {
      reason = 'shares-digest';
      why = sharesDigestWhy(rule, digest);
    }
    entries[position] = {
      repository,
      tag,
      digest,
      action,
      reason,
      rule,
      why,
      pushedAt: isoOrNothing(candidates.pushedAt[position] as number),
      pushedAtSource: candidates.pushedAtSources[position],
      lastPulledAt: isoOrNothing(candidates.lastPulledAt[position] as number),
      pulls: candidates.pulls[position] as number,
      history: candidates.histories[position] as History,
    };
  }
  return { entries, tagsOn, tagDeletions };
}

function addTo(tagsOn: Map<string, string[]>, digest: string, tag: string): void {
  const list = tagsOn.get(digest);
  if (list) list.push(tag);
  else tagsOn.set(digest, [tag]);
}

/**
 * What a policy does to one repository, with digest-level safety applied: an entry for each of the
 * inventory's tags, the manifests no tag points at, the referrers tags and the manifests that live
 * with another. Without a policy, everything is kept. The inventory is left as it was.
 */
export function planRepository(inventory: RepositoryInventory, policy: CompiledRepositoryPolicy | undefined, options: RepositoryPlanOptions): RepositoryPlan {
  const { repository, manifests } = inventory;
  const { iso } = options;
  if (!policy) return { entries: [], kept: [...manifests.values()], removed: [], tagDeletions: [] };
  const dependents = dependentsOf(inventory);
  const node = (digest: string) => manifests.get(digest);

  const candidates = withUntagged(inventory, dependents);
  const verdicts = decide(candidates, policy, { now: options.now });

  // sets: a repository's tags share few digests
  const keptRoots = new Set<string>();
  const removedRoots = new Set<string>();
  const keptTagOf = new Map<string, string>();
  candidates.digests.forEach((digest, position) => {
    const action = verdicts[position]?.action;
    if (action !== 'remove') keptRoots.add(digest);
    else removedRoots.add(digest);
    const tag = candidates.tags[position];
    if (action === 'keep' && tag !== undefined) keptTagOf.set(digest, tag);
  });
  let kept = keptClosure(keptRoots, dependents);
  // a referrers tag follows its subject; one whose subject is not here is left alone
  const subjectOf = (facts: TagFacts) => `sha256:${facts.tag.slice('sha256-'.length)}`;
  const referrerTagKept = (facts: TagFacts) => kept.has(subjectOf(facts)) || !manifests.has(subjectOf(facts));
  kept = keptClosure([...kept, ...inventory.referrerTags.filter(referrerTagKept).map((facts) => facts.digest)], dependents);
  for (const facts of inventory.referrerTags) if (!referrerTagKept(facts)) removedRoots.add(facts.digest);
  const removed = removedClosure(removedRoots, kept, dependents);

  const { entries, tagsOn, tagDeletions } = candidateEntries(candidates, { repository, verdicts, removed, keptTagOf, deleteTags: options.deleteTags, iso });
  for (const facts of inventory.referrerTags) {
    const action = removed.has(facts.digest) ? 'remove' : 'keep';
    if (action === 'remove') addTo(tagsOn, facts.digest, facts.tag);
    entries.push({
      repository,
      tag: facts.tag,
      digest: facts.digest,
      action,
      reason: 'referrers-tag',
      why: `lists the referrers of a ${action === 'keep' ? 'kept' : 'removed'} manifest`,
      history: facts.history,
      ...timesOf(facts, iso),
    });
  }
  for (const digest of dependents.dependent) {
    const manifest = node(digest);
    if (!manifest) continue;
    const removal = removed.get(digest);
    const relation = removal?.relation ?? dependents.relationOf(digest);
    if (!relation) continue;
    const action = removal ? 'remove' : 'keep';
    entries.push({
      repository,
      digest,
      action,
      reason: relation,
      why: RELATION_WHY[relation][action],
      history: 'events',
      ...timesOf(manifest, iso),
    });
  }

  const removedNodes = [...removed].flatMap(([digest, { level }]) => {
    const manifest = node(digest);
    return manifest
      ? [
          {
            node: manifest,
            level,
            tags: tagsOn.get(digest) ?? [],
            parents: level === 0 ? [] : dependents.parentsOf(digest),
          },
        ]
      : [];
  });
  return {
    entries,
    kept: [...manifests.values()].filter((manifest) => !removed.has(manifest.digest)),
    removed: removedNodes,
    tagDeletions,
  };
}

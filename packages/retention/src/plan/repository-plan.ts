import { decide, type CompiledRepositoryPolicy, type RuleRef, type Verdict } from '../policy/decide.js';
import { addCandidate, NO_RULE_WHY, type ManifestNode, type RepositoryInventory, type TagFacts } from './inventory.js';
import { dependentsOf, keptClosure, removedClosure, type Relation } from './safety.js';
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
 * What a policy does to one repository, with digest-level safety applied: the inventory's entries,
 * with the manifests no tag points at added, filled in. Without a policy, everything is kept.
 */
export function planRepository(inventory: RepositoryInventory, policy: CompiledRepositoryPolicy | undefined, options: RepositoryPlanOptions): RepositoryPlan {
  const { repository, manifests } = inventory;
  const { iso } = options;
  if (!policy) return { entries: [], kept: [...manifests.values()], removed: [], tagDeletions: [] };
  const dependents = dependentsOf(inventory);
  const node = (digest: string) => manifests.get(digest);

  const candidates = inventory.tags;
  for (const digest of inventory.untagged) {
    if (dependents.dependent.has(digest)) continue;
    const manifest = node(digest);
    addCandidate(candidates, { repository, tag: undefined, digest, pushedAtSource: manifest?.pushedAtSource, pulls: manifest?.pulls ?? 0, history: 'events' }, manifest?.pushedAt, manifest?.lastPulledAt);
  }
  const { entries } = candidates;
  const verdicts = decide(candidates, policy, { now: options.now });

  // sets: a repository's tags share few digests
  const keptRoots = new Set<string>();
  const removedRoots = new Set<string>();
  const keptTagOf = new Map<string, string>();
  entries.forEach((candidate, position) => {
    if (verdicts[position]?.action !== 'remove') keptRoots.add(candidate.digest);
    else removedRoots.add(candidate.digest);
    if (verdicts[position]?.action === 'keep' && candidate.tag !== undefined) keptTagOf.set(candidate.digest, candidate.tag);
  });
  let kept = keptClosure(keptRoots, dependents);
  // a referrers tag follows its subject; one whose subject is not here is left alone
  const subjectOf = (facts: TagFacts) => `sha256:${facts.tag.slice('sha256-'.length)}`;
  const referrerTagKept = (facts: TagFacts) => kept.has(subjectOf(facts)) || !manifests.has(subjectOf(facts));
  kept = keptClosure([...kept, ...inventory.referrerTags.filter(referrerTagKept).map((facts) => facts.digest)], dependents);
  for (const facts of inventory.referrerTags) if (!referrerTagKept(facts)) removedRoots.add(facts.digest);
  const removed = removedClosure(removedRoots, kept, dependents);

  const tagDeletions: PlannedTagDeletion[] = [];
  const tagsOn = new Map<string, string[]>();
  const addTag = (digest: string, tag: string) => {
    const list = tagsOn.get(digest);
    if (list) list.push(tag);
    else tagsOn.set(digest, [tag]);
  };
  /** Times as text once decided: the rules needed the numbers, the entry shows ISO. */
  const isoOrUndefined = (time: number | undefined) => (time === undefined || Number.isNaN(time) ? undefined : iso(time));
  const decidedAs = (entry: PlanEntry, action: PlanEntry['action'], reason: Reason, rule: RuleRef | undefined, why: string) => {
    entry.action = action;
    entry.reason = reason;
    entry.rule = rule;
    entry.why = why;
  };
  // one text for every tag a rule gave up for the same kept manifest: CI tags share few digests
  const sharedWhy = new Map<RuleRef, Map<string, string>>();
  const sharesDigestWhy = (rule: RuleRef, digest: string) => {
    let byDigest = sharedWhy.get(rule);
    if (!byDigest) sharedWhy.set(rule, (byDigest = new Map()));
    let why = byDigest.get(digest);
    if (why === undefined) {
      const holder = keptTagOf.get(digest);
      byDigest.set(digest, (why = `${rule.description}, but ${holder ? `kept tag ${holder} points at the same manifest` : 'its manifest belongs to a kept image'}`));
    }
    return why;
  };
  /** The entry once digests are safe: removed, removed as a tag alone, or kept for what shares its manifest. */
  const decided = (entry: PlanEntry, verdict: Verdict | undefined) => {
    if (!verdict) return decidedAs(entry, 'keep', 'no-rule', undefined, NO_RULE_WHY);
    const { rule } = verdict;
    if (verdict.action === 'keep') return decidedAs(entry, 'keep', 'rule', rule, rule.description);
    if (removed.has(entry.digest)) {
      if (entry.tag !== undefined) addTag(entry.digest, entry.tag);
      return decidedAs(entry, 'remove', 'rule', rule, rule.description);
    }
    if (options.deleteTags && entry.tag !== undefined) {
      tagDeletions.push({ repository, tag: entry.tag, digest: entry.digest });
      return decidedAs(entry, 'remove', 'rule', rule, `${rule.description}; the tag alone (its manifest stays)`);
    }
    return decidedAs(entry, 'keep', 'shares-digest', rule, sharesDigestWhy(rule, entry.digest));
  };
  entries.forEach((entry, position) => {
    decided(entry, verdicts[position]);
    entry.pushedAt = isoOrUndefined(candidates.pushedAt[position]);
    entry.lastPulledAt = isoOrUndefined(candidates.lastPulledAt[position]);
  });
  for (const facts of inventory.referrerTags) {
    const action = removed.has(facts.digest) ? 'remove' : 'keep';
    if (action === 'remove') addTag(facts.digest, facts.tag);
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

import { decide, type CompiledRepositoryPolicy, type RuleRef, type Verdict } from '../policy/decide.js';
import type { Candidate } from '../policy/rules/index.js';
import type { ManifestNode, RepositoryInventory, TagFacts } from './inventory.js';
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

/** A tag, or a manifest no tag points at, with what its entry shows. */
type PlanCandidate = Candidate & Pick<TagFacts, 'pushedAtSource' | 'pulls' | 'history'>;

/** What a policy does to one repository, with digest-level safety applied. Without a policy, everything is kept. */
export function planRepository(inventory: RepositoryInventory, policy: CompiledRepositoryPolicy | undefined, options: RepositoryPlanOptions): RepositoryPlan {
  const { repository, manifests } = inventory;
  const { iso } = options;
  if (!policy) return { entries: [], kept: [...manifests.values()], removed: [], tagDeletions: [] };
  const dependents = dependentsOf(inventory);
  const node = (digest: string) => manifests.get(digest);

  const candidates: PlanCandidate[] = [...inventory.tags];
  for (const digest of inventory.untagged) {
    if (dependents.dependent.has(digest)) continue;
    const manifest = node(digest);
    candidates.push({ repository, digest, pushedAt: manifest?.pushedAt, pushedAtSource: manifest?.pushedAtSource, lastPulledAt: manifest?.lastPulledAt, pulls: manifest?.pulls ?? 0, history: 'events' });
  }
  const verdicts = decide(candidates, policy, { now: options.now });

  const keptRoots: string[] = [];
  const removedRoots: string[] = [];
  const keptTagOf = new Map<string, string>();
  candidates.forEach((candidate, position) => {
    if (verdicts[position]?.action !== 'remove') keptRoots.push(candidate.digest);
    else removedRoots.push(candidate.digest);
    if (verdicts[position]?.action === 'keep' && candidate.tag !== undefined) keptTagOf.set(candidate.digest, candidate.tag);
  });
  let kept = keptClosure(keptRoots, dependents);
  // a referrers tag follows its subject; one whose subject is not here is left alone
  const subjectOf = (facts: TagFacts) => `sha256:${facts.tag.slice('sha256-'.length)}`;
  const referrerTagKept = (facts: TagFacts) => kept.has(subjectOf(facts)) || !manifests.has(subjectOf(facts));
  kept = keptClosure([...kept, ...inventory.referrerTags.filter(referrerTagKept).map((facts) => facts.digest)], dependents);
  removedRoots.push(...inventory.referrerTags.filter((facts) => !referrerTagKept(facts)).map((facts) => facts.digest));
  const removed = removedClosure(removedRoots, kept, dependents);

  const entries: PlanEntry[] = [];
  const tagDeletions: PlannedTagDeletion[] = [];
  const tagsOn = new Map<string, string[]>();
  const addTag = (digest: string, tag: string) => {
    const list = tagsOn.get(digest);
    if (list) list.push(tag);
    else tagsOn.set(digest, [tag]);
  };
  // one object shape for every entry: plans run to hundreds of thousands of them
  const entryOf = (candidate: PlanCandidate, action: PlanEntry['action'], reason: Reason, rule: RuleRef | undefined, why: string): PlanEntry => ({
    repository,
    tag: candidate.tag,
    digest: candidate.digest,
    action,
    reason,
    rule,
    why,
    pushedAt: candidate.pushedAt === undefined ? undefined : iso(candidate.pushedAt),
    pushedAtSource: candidate.pushedAtSource,
    lastPulledAt: candidate.lastPulledAt === undefined ? undefined : iso(candidate.lastPulledAt),
    pulls: candidate.pulls,
    history: candidate.history,
  });
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
  const decided = (candidate: PlanCandidate, verdict: Verdict | undefined): PlanEntry => {
    if (!verdict) return entryOf(candidate, 'keep', 'no-rule', undefined, 'no rule removes it');
    const { rule } = verdict;
    if (verdict.action === 'keep') return entryOf(candidate, 'keep', 'rule', rule, rule.description);
    if (removed.has(candidate.digest)) {
      if (candidate.tag !== undefined) addTag(candidate.digest, candidate.tag);
      return entryOf(candidate, 'remove', 'rule', rule, rule.description);
    }
    if (options.deleteTags && candidate.tag !== undefined) {
      tagDeletions.push({ repository, tag: candidate.tag, digest: candidate.digest });
      return entryOf(candidate, 'remove', 'rule', rule, `${rule.description}; the tag alone (its manifest stays)`);
    }
    return entryOf(candidate, 'keep', 'shares-digest', rule, sharesDigestWhy(rule, candidate.digest));
  };
  candidates.forEach((candidate, position) => entries.push(decided(candidate, verdicts[position])));
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

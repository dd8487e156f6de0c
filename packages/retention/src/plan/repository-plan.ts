import { decide, type CompiledRepositoryPolicy, type Decision } from '../policy/decide.js';
import type { Candidate } from '../policy/rules/index.js';
import type { ManifestNode, RepositoryInventory, TagFacts } from './inventory.js';
import { dependentsOf, keptClosure, removedClosure, type Relation } from './safety.js';
import type { PlanEntry, PlannedTagDeletion } from './types.js';

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

const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
const latest = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

function timesOf(facts: {
  pushedAt?: number;
  pushedAtSource?: TagFacts['pushedAtSource'];
  lastPulledAt?: number;
  pulls: number;
}): Pick<PlanEntry, 'pushedAt' | 'pushedAtSource' | 'lastPulledAt' | 'pulls'> {
  const times: Pick<PlanEntry, 'pushedAt' | 'pushedAtSource' | 'lastPulledAt' | 'pulls'> = { pulls: facts.pulls };
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

/** What a policy does to one repository, with digest-level safety applied. Without a policy, everything is kept. */
export function planRepository(inventory: RepositoryInventory, policy: CompiledRepositoryPolicy | undefined, now: number, deleteTags: boolean): RepositoryPlan {
  const { repository, manifests } = inventory;
  if (!policy)
    return {
      entries: [],
      kept: [...manifests.values()],
      removed: [],
      tagDeletions: [],
    };
  const dependents = dependentsOf(inventory);
  const node = (digest: string) => manifests.get(digest);

  const tagCandidates = new Map<Candidate, TagFacts>();
  for (const facts of inventory.tags) {
    const manifest = node(facts.digest);
    tagCandidates.set(
      {
        repository,
        tag: facts.tag,
        digest: facts.digest,
        pushedAt: facts.pushedAt,
        lastPulledAt: latest(facts.lastPulledAt, manifest?.lastPulledAt),
      },
      facts,
    );
  }
  const untaggedCandidates = inventory.untagged
    .filter((digest) => !dependents.dependent.has(digest))
    .map(
      (digest): Candidate => ({
        repository,
        digest,
        pushedAt: node(digest)?.pushedAt,
        lastPulledAt: node(digest)?.lastPulledAt,
      }),
    );
  const decisions = decide([...tagCandidates.keys(), ...untaggedCandidates], policy, { now });

  const keptRoots = decisions.filter((decision) => decision.action === 'keep').map((decision) => decision.candidate.digest);
  let kept = keptClosure(keptRoots, dependents);
  // a referrers tag follows its subject; one whose subject is not here is left alone
  const subjectOf = (facts: TagFacts) => `sha256:${facts.tag.slice('sha256-'.length)}`;
  const referrerTagKept = (facts: TagFacts) => kept.has(subjectOf(facts)) || !manifests.has(subjectOf(facts));
  kept = keptClosure([...kept, ...inventory.referrerTags.filter(referrerTagKept).map((facts) => facts.digest)], dependents);
  const removedRoots = [
    ...decisions.filter((decision) => decision.action === 'remove').map((decision) => decision.candidate.digest),
    ...inventory.referrerTags.filter((facts) => !referrerTagKept(facts)).map((facts) => facts.digest),
  ];
  const removed = removedClosure(removedRoots, kept, dependents);

  const keptTagOf = new Map<string, string>();
  for (const decision of decisions) if (decision.action === 'keep' && decision.candidate.tag !== undefined) keptTagOf.set(decision.candidate.digest, decision.candidate.tag);

  const entries: PlanEntry[] = [];
  const tagDeletions: PlannedTagDeletion[] = [];
  const tagsOn = new Map<string, string[]>();
  const addTag = (digest: string, tag: string) => {
    const list = tagsOn.get(digest);
    if (list) list.push(tag);
    else tagsOn.set(digest, [tag]);
  };
  /** What becomes of a decision once digests are safe: removed, removed as a tag alone, or kept for what shares its manifest. */
  const outcomeOf = (decision: Decision): Pick<PlanEntry, 'action' | 'reason' | 'why'> => {
    const { candidate, rule } = decision;
    if (!rule) return { action: 'keep', reason: 'no-rule', why: 'no rule removes it' };
    if (decision.action === 'keep' || removed.has(candidate.digest)) return { action: decision.action, reason: 'rule', why: rule.description };
    if (deleteTags && candidate.tag !== undefined) {
      tagDeletions.push({ repository, tag: candidate.tag, digest: candidate.digest });
      return { action: 'remove', reason: 'rule', why: `${rule.description}; the tag alone (its manifest stays)` };
    }
    const holder = keptTagOf.get(candidate.digest);
    return { action: 'keep', reason: 'shares-digest', why: `${rule.description}, but ${holder ? `kept tag ${holder} points at the same manifest` : 'its manifest belongs to a kept image'}` };
  };
  // one object shape for every entry: plans run to hundreds of thousands of them
  const entryOf = (decision: Decision): PlanEntry => {
    const { candidate } = decision;
    const facts = tagCandidates.get(candidate);
    const { action, reason, why } = outcomeOf(decision);
    return {
      repository,
      tag: candidate.tag,
      digest: candidate.digest,
      action,
      reason,
      rule: decision.rule,
      why,
      pushedAt: iso(candidate.pushedAt),
      pushedAtSource: facts ? facts.pushedAtSource : node(candidate.digest)?.pushedAtSource,
      lastPulledAt: iso(candidate.lastPulledAt),
      pulls: facts ? facts.pulls : (node(candidate.digest)?.pulls ?? 0),
      history: facts?.history ?? 'events',
    };
  };
  for (const decision of decisions) {
    const entry = entryOf(decision);
    entries.push(entry);
    if (entry.action === 'remove' && entry.tag !== undefined && removed.has(entry.digest)) addTag(entry.digest, entry.tag);
  }
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
      ...timesOf(facts),
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
      ...timesOf(manifest),
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

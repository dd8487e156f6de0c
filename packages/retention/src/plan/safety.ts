import type { RepositoryInventory } from './inventory.js';

export type Relation = 'index-child' | 'referrer';

export interface Dependents {
  /** Digest → the manifests that live and die with it, and how they relate. */
  of(digest: string): { digest: string; relation: Relation }[];
  /** Manifests that depend on another one (never candidates of their own). */
  readonly dependent: Set<string>;
  /** How a dependent manifest relates to (the first of) its parents. */
  relationOf(digest: string): Relation | undefined;
  /** The manifests a dependent one lives with. */
  parentsOf(digest: string): string[];
}

/** Index children and referrers of every manifest of a repository. */
export function dependentsOf(inventory: RepositoryInventory): Dependents {
  const map = new Map<string, { digest: string; relation: Relation }[]>();
  const dependent = new Map<string, Relation>();
  const parents = new Map<string, string[]>();
  const add = (parent: string, digest: string, relation: Relation) => {
    if (!parents.get(digest)?.includes(parent)) parents.set(digest, [...(parents.get(digest) ?? []), parent]);
    const list = map.get(parent) ?? [];
    if (!list.some((item) => item.digest === digest)) list.push({ digest, relation });
    map.set(parent, list);
    if (!dependent.has(digest)) dependent.set(digest, relation);
  };
  // referrers first: a referrer is also a child of its subject's fallback index, and is named for the subject
  for (const node of inventory.manifests.values()) if (node.subject) add(node.subject, node.digest, 'referrer');
  for (const [subject, referrers] of inventory.referrers) for (const referrer of referrers) add(subject, referrer, 'referrer');
  for (const node of inventory.manifests.values()) for (const child of node.children) add(node.digest, child, 'index-child');
  return {
    of: (digest) => map.get(digest) ?? [],
    dependent: new Set(dependent.keys()),
    relationOf: (digest) => dependent.get(digest),
    parentsOf: (digest) => parents.get(digest) ?? [],
  };
}

/**
 * Digest-level safety: starting from the digests kept tags and kept manifests name, everything they
 * hold on to (index children, referrers, transitively) is kept too.
 */
export function keptClosure(roots: Iterable<string>, dependents: Dependents): Set<string> {
  const kept = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const digest = pending.pop() as string;
    if (kept.has(digest)) continue;
    kept.add(digest);
    for (const next of dependents.of(digest)) pending.push(next.digest);
  }
  return kept;
}

/**
 * What goes with the removed roots: their dependents that nothing kept holds, with the level each
 * is deleted at (parents first) and the relation that took it.
 */
export function removedClosure(roots: ReadonlySet<string>, kept: Set<string>, dependents: Dependents): Map<string, { level: number; relation?: Relation }> {
  const removed = new Map<string, { level: number; relation?: Relation }>();
  // breadth first, so each manifest gets the level of its nearest root
  const pending: { digest: string; level: number; relation?: Relation }[] = [...roots].map((digest) => ({ digest, level: 0 }));
  for (let next = 0; next < pending.length; next++) {
    const item = pending[next] as { digest: string; level: number; relation?: Relation };
    if (kept.has(item.digest) || removed.has(item.digest)) continue;
    removed.set(item.digest, { level: item.level, relation: item.relation });
    for (const next of dependents.of(item.digest))
      pending.push({
        digest: next.digest,
        level: item.level + 1,
        relation: next.relation,
      });
  }
  return removed;
}

import type { PushTimeSource } from '../usage/model.js';
import type { RuleRef } from '../policy/decide.js';
import type { History } from './inventory.js';

/**
 * Why an entry is kept or removed:
 * - `rule`: the rule named in `rule` decided it;
 * - `no-rule`: no rule removed it, and what no rule removes is kept;
 * - `shares-digest`: a rule removed the tag, but its manifest stays for a kept tag or parent
 *   (deleting the digest would delete the kept one too);
 * - `index-child`: a platform manifest of an index, kept or removed with it;
 * - `referrer`: a signature, SBOM or attestation, kept or removed with its subject;
 * - `referrers-tag`: the `sha256-<hex>` tag listing a subject's referrers, kept or removed with it.
 */
export type Reason = 'rule' | 'no-rule' | 'shares-digest' | 'index-child' | 'referrer' | 'referrers-tag';

export interface PlanEntry {
  repository: string;
  /** Undefined for a manifest no tag points at. */
  tag?: string;
  digest: string;
  action: 'keep' | 'remove';
  reason: Reason;
  /** The deciding rule (`rule` reasons, and `shares-digest` for the rule that wanted it gone). */
  rule?: RuleRef;
  /** One line for people. */
  why: string;
  /** ISO times and counts the rules used. */
  pushedAt?: string;
  pushedAtSource?: PushTimeSource;
  lastPulledAt?: string;
  pulls: number;
  history: History;
}

/** A manifest to delete by digest, with the tags that pointed at it when planned. */
export interface PlannedDeletion {
  repository: string;
  digest: string;
  tags: string[];
  /** Parents before children: an index (level 0) goes before its platform manifests (level 1). */
  level: number;
  /** The index or subject this manifest goes with (level above 0): if one of them stays, so does this one. */
  parents: string[];
  /** Bytes of the manifest and its blobs that nothing kept references (each blob counted once in the plan). */
  reclaimableBytes: number;
}

/** A tag to remove alone (its manifest stays), where the registry can delete tags (`deleteTags`). */
export interface PlannedTagDeletion {
  repository: string;
  tag: string;
  digest: string;
}

export interface RetentionPlan {
  /** When the plan was made (ISO); `apply` skips a manifest pushed or pulled again after this. */
  createdAt: string;
  registry: string;
  entries: PlanEntry[];
  deletions: PlannedDeletion[];
  tagDeletions: PlannedTagDeletion[];
  /** Bytes the registry's garbage collection frees after `apply`: blobs referenced by nothing kept. */
  reclaimableBytes: number;
  summary: {
    repositories: number;
    /** Repositories no policy selects: read (their blobs count as kept), never changed. */
    untouchedRepositories: number;
    tags: { kept: number; removed: number };
    manifests: { kept: number; removed: number };
  };
}

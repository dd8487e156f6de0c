import type { PlanEntry, RetentionPlan } from './types.js';

/** A column of the plan table: what the rules saw of each tag, or what its removal frees. */
export type PlanColumn = 'action' | 'repository' | 'tag' | 'image' | 'digest' | 'pushed' | 'pulled' | 'pulls' | 'bytes' | 'why';

export interface TableOptions {
  /** Only removals (`remove`), only what stays (`keep`), or everything. Default everything. */
  only?: 'remove' | 'keep';
  /**
   * The columns, in order. Default action, repository, tag, digest, pushed, pulled (dates), why;
   * `image` is repository:tag in one, `bytes` what a removal reclaims (`-` for what stays; a
   * manifest's bytes on the first of its rows, `0 B` on the others, so the column adds up).
   */
  columns?: readonly PlanColumn[];
  /** The line of totals under the table. Default true. */
  summary?: boolean;
  /** Put before every line (an indent). Default none. */
  indent?: string;
}

const DEFAULT_COLUMNS: readonly PlanColumn[] = ['action', 'repository', 'tag', 'digest', 'pushed', 'pulled', 'why'];

const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** Bytes as people read them: 1.5 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

type Cell = (entry: PlanEntry, row: number, reclaimedOnRow: (row: number) => number | undefined) => string;

const COLUMNS: Record<PlanColumn, { header: string; cell: Cell }> = {
  action: { header: 'ACTION', cell: (entry) => entry.action },
  repository: { header: 'REPOSITORY', cell: (entry) => entry.repository },
  tag: { header: 'TAG', cell: (entry) => entry.tag ?? '<untagged>' },
  image: { header: 'IMAGE', cell: (entry) => `${entry.repository}:${entry.tag ?? '<untagged>'}` },
  digest: { header: 'DIGEST', cell: (entry) => shortDigest(entry.digest) },
  pushed: { header: 'PUSHED', cell: (entry) => entry.pushedAt?.slice(0, 10) ?? '-' },
  pulled: { header: 'PULLED', cell: (entry) => entry.lastPulledAt?.slice(0, 10) ?? '-' },
  pulls: { header: 'PULLS', cell: (entry) => String(entry.pulls) },
  bytes: {
    header: 'BYTES',
    cell: (entry, row, reclaimedOnRow) => {
      const bytes = entry.action === 'remove' ? reclaimedOnRow(row) : undefined;
      return bytes === undefined ? '-' : formatBytes(bytes);
    },
  },
  why: { header: 'WHY', cell: (entry) => entry.why },
};

const manifestKey = (of: { repository: string; digest: string }) => `${of.repository}@${of.digest}`;

/**
 * What removing each of `entries` (the rows printed) reclaims: a manifest's bytes on the first row
 * that removes it, 0 on its other rows (so the rows add up to the plan's total), undefined when it deletes nothing.
 */
export function reclaimedByRow(plan: RetentionPlan, entries: readonly PlanEntry[]): (row: number) => number | undefined {
  const freed = new Map(plan.deletions.map((deletion) => [manifestKey(deletion), deletion.reclaimableBytes]));
  const counted = new Set<string>();
  const byRow = entries.map((entry) => {
    const key = manifestKey(entry);
    const bytes = freed.get(key);
    if (bytes === undefined) return undefined;
    if (entry.action !== 'remove' || counted.has(key)) return 0;
    counted.add(key);
    return bytes;
  });
  return (row) => byRow[row];
}

/** The plan as an aligned text table, one line per tag or manifest, then a summary line. */
export function formatPlanTable(plan: RetentionPlan, options: TableOptions = {}): string {
  const columns = (options.columns ?? DEFAULT_COLUMNS).map((name) => COLUMNS[name]);
  const entries = plan.entries.filter((entry) => options.only === undefined || entry.action === options.only);
  // only the bytes column needs what each row reclaims: worked out once, when it is first asked for
  let reclaimed: ((row: number) => number | undefined) | undefined;
  const reclaimedOnRow = (row: number) => (reclaimed ??= reclaimedByRow(plan, entries))(row);
  const rows = [columns.map((column) => column.header), ...entries.map((entry, row) => columns.map((column) => column.cell(entry, row, reclaimedOnRow)))];
  // a loop, not Math.max(...column): a spread of a few hundred thousand rows overflows the stack
  const widths = columns.map(() => 0);
  for (const cells of rows) cells.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  const indent = options.indent ?? '';
  const lines = rows.map((cells) => indent + cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '));
  if (options.summary ?? true) {
    const { tags, manifests } = plan.summary;
    lines.push('', `${indent}${tags.removed} tags and ${manifests.removed} manifests to remove, ${tags.kept} tags kept; ${formatBytes(plan.reclaimableBytes)} reclaimable after garbage-collect`);
  }
  return lines.join('\n');
}

/** The plan as JSON text (the same value `plan` returned; `apply` accepts it back). */
export function formatPlanJson(plan: RetentionPlan): string {
  return JSON.stringify(plan, null, 2);
}

import type { PlanEntry, RetentionPlan } from './types.js';

export interface TableOptions {
  /** Only removals (`remove`), only what stays (`keep`), or everything. Default everything. */
  only?: 'remove' | 'keep';
}

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

function row(entry: PlanEntry): string[] {
  return [entry.action, entry.repository, entry.tag ?? '<untagged>', shortDigest(entry.digest), entry.pushedAt?.slice(0, 10) ?? '-', entry.lastPulledAt?.slice(0, 10) ?? '-', entry.why];
}

/** The plan as an aligned text table, one line per tag or manifest, then a summary line. */
export function formatPlanTable(plan: RetentionPlan, options: TableOptions = {}): string {
  const entries = plan.entries.filter((entry) => options.only === undefined || entry.action === options.only);
  const rows = [['ACTION', 'REPOSITORY', 'TAG', 'DIGEST', 'PUSHED', 'PULLED', 'WHY'], ...entries.map(row)];
  // a loop, not Math.max(...column): a spread of a few hundred thousand rows overflows the stack
  const widths = rows[0]!.map(() => 0);
  for (const cells of rows) cells.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  const lines = rows.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '));
  const { tags, manifests } = plan.summary;
  lines.push('', `${tags.removed} tags and ${manifests.removed} manifests to remove, ${tags.kept} tags kept; ${formatBytes(plan.reclaimableBytes)} reclaimable after garbage-collect`);
  return lines.join('\n');
}

/** The plan as JSON text (the same value `plan` returned; `apply` accepts it back). */
export function formatPlanJson(plan: RetentionPlan): string {
  return JSON.stringify(plan, null, 2);
}

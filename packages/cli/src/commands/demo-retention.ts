import { formatBytes, parseRetentionPolicy, type RetentionPlan, type RetentionPolicy } from '@regevents/retention';

/** Releases stay, so does the most recently pulled build; builds nobody pulled for 30 days go. */
export const DEMO_RETENTION_POLICY = `
policies:
  - repositories: ['demo/**']
    rules:
      - keep: { tags: { semver: '>=1.0.0' } }
      - keep: { last: 1, by: pulled }
      - remove: { notPulledFor: 30d }
`;

export function demoRetentionPolicy(): RetentionPolicy {
  const { policy, diagnostics } = parseRetentionPolicy(DEMO_RETENTION_POLICY);
  if (!policy || diagnostics.length > 0) throw new Error(`the demo's retention policy has diagnostics: ${JSON.stringify(diagnostics)}`);
  return policy;
}

/** The plan as the demo shows it: each tag kept or removed, why, and the bytes its removal frees. */
export function formatDemoPlan(plan: RetentionPlan): string[] {
  const freed = new Map(plan.deletions.map((deletion) => [`${deletion.repository}@${deletion.digest}`, deletion.reclaimableBytes]));
  const rows = [
    ['ACTION', 'IMAGE', 'PULLS', 'BYTES', 'WHY'],
    ...plan.entries.map((entry) => {
      const bytes = freed.get(`${entry.repository}@${entry.digest}`);
      return [entry.action, `${entry.repository}:${entry.tag ?? '<untagged>'}`, String(entry.pulls), entry.action === 'remove' && bytes !== undefined ? formatBytes(bytes) : '-', entry.why];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  return rows.map((cells) => `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}`);
}

import { parseRetentionPolicy, type RetentionPolicy } from '@regevents/retention';

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

import type { ReplicationTarget } from './policy.js';

/** Where a source repository lands on a target: under the target's namespace, when it has one. */
export function targetRepository(target: Pick<ReplicationTarget, 'namespace'>, repository: string): string {
  return target.namespace ? `${target.namespace}/${repository}` : repository;
}

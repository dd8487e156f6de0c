import { createMockRegistry } from '@regevents/mock-registry/node';

/**
 * A registry whose catalog waits for `whileHeld` before it answers: `retention` and `relay reconcile`
 * list it after they connected to Redis and read Redis after it, so the catalog is where Redis can
 * go away (or stop answering).
 */
export async function registryHoldingCatalog(whileHeld: () => Promise<void>) {
  const clock = { now: () => Date.now(), sleep: whileHeld };
  const registry = createMockRegistry({ clock });
  registry.failRequests({ match: { path: '/_catalog' }, latencyMs: 1, times: 1 });
  await registry.pushImage('app:1', { seed: 1 });
  return { registry, server: await registry.serve() };
}

import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import { createMemoryUsageStore, createUsageTracker, parseRetentionPolicy } from '@regevents/retention';
import { readRepository } from '../dist/plan/inventory.js';
import { planRepository } from '../dist/plan/repository-plan.js';
import { compilePolicy } from '../dist/policy/decide.js';
import pLimit from 'p-limit';
const store = createMemoryUsageStore(); const tracker = createUsageTracker({ store }); const pending = [];
let requests = 0;
const registry = createMockRegistry({ notifications: { events: { includeReferences: true }, endpoints: [] }, observer: { onEvent: (r) => void pending.push(tracker.record(r.event)), onRequest: () => requests++ } });
const server = await registry.serve();
const images = []; for (let i = 0; i < 20; i++) images.push(await registry.pushImage(`base:${i}`, { seed: i + 1 }));
for (let t = 0; t < 1000; t++) await registry.pushImage(`team-0/app:${t % 50 === 0 ? `v1.${t}.0` : `build-${t}`}`, images[t % 20]);
await Promise.all(pending);
const client = createRegistryClient({ baseUrl: server.url });
const { policy } = parseRetentionPolicy(`policies:\n  - repositories: ['**']\n    rules:\n      - keep: { last: 10, by: pushed }\n      - keep: { tags: { semver: '>=1.0.0' } }\n      - remove: { notPulledFor: 720h }\n`);
const compiled = compilePolicy(policy);
for (let round = 0; round < 40; round++) {
  const r0 = requests; let t = performance.now();
  const inv = await readRepository('team-0/app', { client, store, limit: pLimit(8), referrersApi: false });
  const read = performance.now() - t; t = performance.now();
  const p = planRepository(inv, compiled.policyFor('team-0/app'), Date.now() + 60 * 86400000, false);
  if (round % 10 === 9) console.log('read', read.toFixed(1), 'plan', (performance.now() - t).toFixed(1), 'requests', requests - r0, 'entries', p.entries.length);
}
t = performance.now(); let n = 0; for await (const _ of client.tags('team-0/app')) n++; console.log('list', (performance.now() - t).toFixed(1));
var t;
registry.close(); await server.close();

import { requirePeers, runScenarioOnRealRegistry, scenarios } from '@regevents/registry-harness';
import { describe, it } from 'vitest';
import { parseEnvelope } from '../src/index.js';

const peers = requirePeers('docker-registry', 'skopeo');
const live = ['push-by-tag', 'copy-to-repository', 'delete-by-tag'].map((name) => scenarios.find((s) => s.name === name));

describe.skipIf(!peers.available)(`live envelopes from the real docker-registry ${peers.reason}`, () => {
  // each scenario has its own registry, listener and folder, and mostly waits for deliveries to settle: they run at once
  it.concurrent.for(live.map((scenario) => [scenario?.name, scenario] as const))('%s: every envelope validates in strict mode', async ([, scenario], { expect }) => {
    if (!scenario) throw new Error('scenario missing from the harness');
    const run = await runScenarioOnRealRegistry(scenario);
    expect(run.deliveries.length).toBeGreaterThan(0);
    const actions = new Set<string>();
    for (const delivery of run.deliveries) {
      const envelope = parseEnvelope(delivery.body, { strict: true });
      for (const event of envelope.events) actions.add(event.action);
    }
    const expected = { 'push-by-tag': ['push'], 'copy-to-repository': ['mount', 'pull', 'push'], 'delete-by-tag': ['delete', 'pull'] }[scenario.name];
    expect([...actions].sort()).toEqual(expected);
  });
});

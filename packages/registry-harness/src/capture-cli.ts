import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runScenarioOnRealRegistry, writeCapture } from './capture.js';
import { requirePeers } from './peers.js';
import { scenarios } from './scenarios.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: fileURLToPath(new URL('../../../fixtures/distribution', import.meta.url)) },
    only: { type: 'string', multiple: true },
  },
});

const peers = requirePeers('docker-registry', 'skopeo', 'htpasswd');
if (!peers.available) {
  console.error(`fixtures:capture ${peers.reason}`);
  process.exit(1);
}
const chosen = values.only ? scenarios.filter((s) => values.only?.includes(s.name)) : scenarios;
if (chosen.length === 0) {
  console.error(`no scenario named ${values.only?.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(1);
}
for (const scenario of chosen) {
  const run = await runScenarioOnRealRegistry(scenario);
  const dir = await writeCapture(values.out as string, scenario, run);
  console.log(`${scenario.name}: ${run.deliveries.length} deliveries -> ${dir}`);
}

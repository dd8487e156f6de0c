import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildImage,
  CAPTURE_ENDPOINT,
  skopeo,
  skopeoCopy,
  skopeoDelete,
  writeOciLayout,
  requirePeers,
  runScenarioOnRealRegistry,
  SCENARIO_USER,
  scenarios,
  scenarioDeliveries,
  startScenarioListener,
  writeHtpasswd,
  queueDrained,
  type CapturedDelivery,
  type Scenario,
} from '@regevents/registry-harness';
import { describe, it } from 'vitest';
import { createMockRegistry } from '../src/index.js';
import { serve } from '../src/node/index.js';
import { eventStream, redeliveryPattern } from './event-stream.js';

const peers = requirePeers('docker-registry', 'skopeo', 'htpasswd');

/** The mock's config: the same endpoint the real runs use, written as registry YAML (JSON is YAML). */
function mockConfig(scenario: Scenario, url: string): string {
  return JSON.stringify({
    version: 0.1,
    notifications: {
      events: { includereferences: scenario.registry.includeReferences ?? false },
      endpoints: [{ ...CAPTURE_ENDPOINT, url }],
    },
  });
}

/** Runs a scenario with skopeo against `serve()` exactly as runScenarioOnRealRegistry runs it against the real one. */
async function runScenarioOnMock(scenario: Scenario): Promise<CapturedDelivery[]> {
  const workDir = await mkdtemp(join(tmpdir(), `regevents-mock-${scenario.name}-`));
  const listener = await startScenarioListener(scenario);
  let htpasswd: string | undefined;
  if (scenario.registry.auth) {
    await writeHtpasswd(join(workDir, 'htpasswd'), { [SCENARIO_USER.name]: SCENARIO_USER.password });
    htpasswd = await readFile(join(workDir, 'htpasswd'), 'utf8');
  }
  const registry = createMockRegistry({ config: mockConfig(scenario, listener.url), auth: htpasswd ? { type: 'basic', realm: 'regevents', htpasswd } : undefined });
  const served = await serve(registry);
  try {
    return await scenarioDeliveries(scenario, { host: `127.0.0.1:${served.port}`, workDir }, listener, () => queueDrained(() => registry.debugVars(), CAPTURE_ENDPOINT.name));
  } finally {
    registry.close();
    await served.close();
    await listener.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function pushLocal(target: { host: string; workDir: string }, reference: string, extraArgs: string[] = [], platforms = 1): Promise<void> {
  const spec = platforms > 1 ? { seed: 5, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] } : { seed: 6, layers: 2 };
  const source = await writeOciLayout(join(target.workDir, `local-${platforms}`), buildImage(spec), 'v1');
  const all = platforms > 1 ? ['--all'] : [];
  await skopeo(['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', ...all, ...extraArgs, source, `docker://${target.host}/${reference}`]);
}

/** More situations than the fixture capture covers, compared the same way. */
const extraScenarios: Scenario[] = [
  {
    name: 'push-docker-schema2',
    description: 'skopeo converts to a Docker schema 2 manifest (--format v2s2) while pushing',
    registry: { includeReferences: true },
    act: (t) => pushLocal(t, 'demo/docker:1.0', ['--format', 'v2s2']),
  },
  {
    name: 'pull-index-by-digest',
    description: 'skopeo pulls every platform of an index',
    registry: {},
    setup: (t) => pushLocal(t, 'demo/multi:1.0', [], 2),
    act: (t) => skopeoCopy(`docker://${t.host}/demo/multi:1.0`, `oci:${join(t.workDir, 'pulled')}:1.0`, { all: true }),
  },
  {
    name: 'delete-index-with-two-tags',
    description: 'an index tagged twice is deleted: one delete for the digest, one per tag',
    registry: {},
    setup: async (t) => {
      await pushLocal(t, 'demo/multi:1.0', [], 2);
      await skopeoCopy(`docker://${t.host}/demo/multi:1.0`, `docker://${t.host}/demo/multi:stable`, { all: true });
    },
    act: (t) => skopeoDelete(`docker://${t.host}/demo/multi:stable`),
  },
];

describe.skipIf(!peers.available)('differential: skopeo against serve() and against docker-registry 2.8', () => {
  // each scenario has its own registries, listener and folder, and mostly waits for deliveries to settle: they run at once
  for (const scenario of [...scenarios, ...extraScenarios]) {
    it.concurrent(`${scenario.name}: ${scenario.description}`, async ({ expect }) => {
      const [real, mock] = await Promise.all([runScenarioOnRealRegistry(scenario).then((run) => run.deliveries), runScenarioOnMock(scenario)]);
      const realStream = eventStream(real);
      const mockStream = eventStream(mock);
      expect(realStream.length).toBeGreaterThan(0);
      // The same sequence of (action, mediaType, repository, tag, fromRepository, method).
      expect(mockStream.map((e) => e.shape)).toEqual(realStream.map((e) => e.shape));
      // The same fields present, in the same order, per event.
      expect(mockStream.map((e) => e.keys)).toEqual(realStream.map((e) => e.keys));
      // Same image, same digests and sizes (and references when enabled).
      expect(mockStream.map((e) => e.content)).toEqual(realStream.map((e) => e.content));
      // Same headers: content type, Go's user agent, the configured Authorization.
      expect(mockStream.map((e) => e.headers)).toEqual(realStream.map((e) => e.headers));
      // Redeliveries re-send the same event at the same positions.
      expect(redeliveryPattern(mockStream)).toEqual(redeliveryPattern(realStream));
      // Bodies are laid out as Go's MarshalIndent with three spaces, no trailing newline.
      for (const delivery of mock) {
        const text = delivery.body.toString('utf8');
        expect(text).toBe(JSON.stringify(JSON.parse(text), null, 3));
      }
    });
  }
});

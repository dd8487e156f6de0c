import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaptureListener, type CaptureListener, type CapturedDelivery } from './listener.js';
import { queueDrained, registryConfig, startRegistry, writeHtpasswd } from './registry.js';
import { SCENARIO_USER, type Scenario, type ScenarioTarget } from './scenarios.js';
import { skopeoVersion } from './skopeo.js';

/** The endpoint every capture configures; the header shows how configured headers arrive. */
export const CAPTURE_ENDPOINT = {
  name: 'capture',
  headers: { Authorization: ['Bearer regevents-capture-token'] },
  timeout: '2s',
  threshold: 3,
  backoff: '250ms',
} as const;

export interface ScenarioRun {
  registryVersion: string;
  /** Only the deliveries caused by the scenario's act step. */
  deliveries: CapturedDelivery[];
}

/** A capture listener that fails the first attempts of every event as the scenario asks. */
export function startScenarioListener(scenario: Scenario): Promise<CaptureListener> {
  const failures = scenario.failFirstAttempts ?? 0;
  return startCaptureListener({ respond: (_delivery, attempt) => (attempt < failures ? 500 : 200) });
}

/**
 * Runs a scenario against any registry at `target` and returns only the deliveries its act step
 * caused: setup first, wait for that to settle, then act and wait again. Settling is `drained`
 * (the registry's queue for the capture endpoint is empty: it queues each event before it answers
 * the request that caused it), then the listener's quiet spell: a quiet spell alone can be a
 * loaded machine's delay before the first delivery.
 */
export async function scenarioDeliveries(scenario: Scenario, target: ScenarioTarget, listener: CaptureListener, drained: () => Promise<void>): Promise<CapturedDelivery[]> {
  const settle = async () => {
    await drained();
    await listener.settle();
  };
  if (scenario.setup) {
    await scenario.setup(target);
    await settle();
  }
  const mark = listener.deliveries.length;
  await scenario.act(target);
  await settle();
  return listener.deliveries.slice(mark);
}

/** Runs one scenario against a fresh real registry and returns what its endpoint received. */
export async function runScenarioOnRealRegistry(scenario: Scenario): Promise<ScenarioRun> {
  const workDir = await mkdtemp(join(tmpdir(), `regevents-${scenario.name}-`));
  const listener = await startScenarioListener(scenario);
  let htpasswdPath: string | undefined;
  if (scenario.registry.auth) {
    htpasswdPath = join(workDir, 'htpasswd');
    await writeHtpasswd(htpasswdPath, { [SCENARIO_USER.name]: SCENARIO_USER.password });
  }
  const registry = await startRegistry({
    config: (base) =>
      registryConfig({
        ...base,
        htpasswdPath,
        notifications: {
          events: { includereferences: scenario.registry.includeReferences ?? false },
          endpoints: [{ ...CAPTURE_ENDPOINT, url: listener.url }],
        },
      }),
  });
  try {
    const deliveries = await scenarioDeliveries(scenario, { host: registry.host, workDir }, listener, () => queueDrained(registry.debugUrl, CAPTURE_ENDPOINT.name));
    return { registryVersion: registry.version, deliveries };
  } finally {
    await registry.stop();
    await listener.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Stores each delivery byte for byte, with a sidecar naming scenario, versions and sequence. */
export async function writeCapture(outRoot: string, scenario: Scenario, run: ScenarioRun): Promise<string> {
  const dir = join(outRoot, run.registryVersion, scenario.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const client = `skopeo ${await skopeoVersion()}`;
  for (const [index, delivery] of run.deliveries.entries()) {
    const stem = String(index + 1).padStart(3, '0');
    await writeFile(join(dir, `${stem}.json`), delivery.body);
    const sidecar = {
      scenario: scenario.name,
      description: scenario.description,
      sequence: index + 1,
      source: { registry: 'docker-registry (CNCF distribution)', version: run.registryVersion, client, capturedWith: 'npm run fixtures:capture' },
      request: { method: delivery.method, path: delivery.path, headers: delivery.rawHeaders },
      response: { status: delivery.status },
    };
    await writeFile(join(dir, `${stem}.meta.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  }
  return dir;
}

import { join } from 'node:path';
import { buildImage, writeOciLayout } from './images.js';
import { skopeoCopy, skopeoDelete } from './skopeo.js';

/** Credentials of the one user the authenticated scenarios push as. */
export const SCENARIO_USER = { name: 'alice', password: 'wonderland-secret' } as const;

export interface ScenarioTarget {
  /** `HOST:PORT` of the registry under test. */
  host: string;
  /** A scratch folder for OCI layouts, and skopeo's blob-info cache for the scenario's runs (`scenarioCache`). */
  workDir: string;
}

/** The blob-info cache a scenario's skopeo runs share, as one user's runs share theirs: a copy mounts what the setup's push recorded. */
const scenarioCache = (target: ScenarioTarget) => ({ blobInfoCache: join(target.workDir, 'skopeo-data') });

/**
 * One thing a user does to a registry. The same scenarios drive the real
 * registry (fixture capture, integration tests) and the mock registry
 * (differential tests), so both event streams come from identical actions.
 */
export interface Scenario {
  name: string;
  description: string;
  registry: { includeReferences?: boolean; auth?: boolean };
  /** Listener answers 500 to the first N attempts of every event. */
  failFirstAttempts?: number;
  /** Runs first; its events are not part of the scenario. */
  setup?: (target: ScenarioTarget) => Promise<void>;
  act: (target: ScenarioTarget) => Promise<void>;
}

const SINGLE = { seed: 1, layers: 1, layerBytes: 2048 };
const MULTI = { seed: 2, layers: 1, layerBytes: 1024, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] };

function credsFor(scenario: Pick<Scenario, 'registry'>): string | undefined {
  return scenario.registry.auth ? `${SCENARIO_USER.name}:${SCENARIO_USER.password}` : undefined;
}

async function pushSingle(target: ScenarioTarget, repository: string, tag: string, destCreds?: string): Promise<void> {
  const source = await writeOciLayout(join(target.workDir, 'single'), buildImage(SINGLE), 'v1');
  await skopeoCopy(source, `docker://${target.host}/${repository}:${tag}`, { destCreds, ...scenarioCache(target) });
}

async function pushMulti(target: ScenarioTarget, repository: string, tag: string): Promise<void> {
  const source = await writeOciLayout(join(target.workDir, 'multi'), buildImage(MULTI), 'v1');
  await skopeoCopy(source, `docker://${target.host}/${repository}:${tag}`, { all: true, ...scenarioCache(target) });
}

export const scenarios: Scenario[] = [
  {
    name: 'push-by-tag',
    description: 'skopeo copies a single-platform OCI image to demo/app:1.0',
    registry: {},
    act: (t) => pushSingle(t, 'demo/app', '1.0'),
  },
  {
    name: 'push-index-all',
    description: 'skopeo copies a two-platform OCI index with --all to demo/multi:1.0',
    registry: {},
    act: (t) => pushMulti(t, 'demo/multi', '1.0'),
  },
  {
    name: 'pull-by-tag',
    description: 'skopeo copies demo/app:1.0 from the registry to a local OCI layout',
    registry: {},
    setup: (t) => pushSingle(t, 'demo/app', '1.0'),
    act: (t) => skopeoCopy(`docker://${t.host}/demo/app:1.0`, `oci:${join(t.workDir, 'pulled')}:1.0`, scenarioCache(t)),
  },
  {
    name: 'copy-to-repository',
    description: 'skopeo copies demo/app:1.0 to other/app:1.0 on the same registry (blobs are mounted)',
    registry: {},
    setup: (t) => pushSingle(t, 'demo/app', '1.0'),
    act: (t) => skopeoCopy(`docker://${t.host}/demo/app:1.0`, `docker://${t.host}/other/app:1.0`, scenarioCache(t)),
  },
  {
    name: 'delete-by-tag',
    description: 'skopeo deletes demo/app:1.0 (the registry resolves the tag, then deletes by digest)',
    registry: {},
    setup: (t) => pushSingle(t, 'demo/app', '1.0'),
    act: (t) => skopeoDelete(`docker://${t.host}/demo/app:1.0`, scenarioCache(t)),
  },
  {
    name: 'push-authenticated',
    description: `htpasswd auth on; skopeo pushes demo/app:1.0 as ${SCENARIO_USER.name}`,
    registry: { auth: true },
    act: (t) => pushSingle(t, 'demo/app', '1.0', credsFor({ registry: { auth: true } })),
  },
  {
    name: 'push-with-references',
    description: 'events.includereferences on; skopeo pushes a single-platform image by tag',
    registry: { includeReferences: true },
    act: (t) => pushSingle(t, 'demo/app', '1.0'),
  },
  {
    name: 'push-index-with-references',
    description: 'events.includereferences on; skopeo pushes a two-platform index with --all',
    registry: { includeReferences: true },
    act: (t) => pushMulti(t, 'demo/multi', '1.0'),
  },
  {
    name: 'redelivery',
    description: 'the listener answers 500 to the first two attempts of every event; the registry re-sends the same event',
    registry: {},
    failFirstAttempts: 2,
    act: (t) => pushSingle(t, 'demo/app', '1.0'),
  },
];

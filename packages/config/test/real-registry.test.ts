import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope, Event } from '@regevents/types';
import {
  registryConfig,
  requirePeers,
  scenarios,
  startCaptureListener,
  startRegistry,
  type CapturedDelivery,
  type RunningRegistry,
} from '@regevents/registry-harness';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryConfig, shouldDeliver, stringifyNotificationsConfig, type EndpointConfig, type NotificationsConfig } from '../src/index.js';

const peers = requirePeers('docker-registry', 'skopeo');

function endpoint(name: string, url: string, ignore: EndpointConfig['ignore']): EndpointConfig {
  return { name, disabled: false, url: `${url}?endpoint=${name}`, headers: { 'X-Endpoint': [name] }, timeoutMs: 2000, threshold: 3, backoffMs: 250, ignore };
}

/** One registry, several endpoints: `everything` records the full stream the others are filtered from. */
function endpointsFor(listenerUrl: string): EndpointConfig[] {
  return [
    endpoint('everything', listenerUrl, { mediaTypes: [], actions: [] }),
    // a configured Content-Type is appended to the registry's own (the duplicate-header warning)
    { ...endpoint('no-blobs', listenerUrl, { mediaTypes: ['application/octet-stream'], actions: [] }), headers: { 'content-type': ['application/json'] } },
    endpoint('no-pulls', listenerUrl, { mediaTypes: [], actions: ['pull'] }),
    // same actions, plus a media type no event has: on 2.8 this is what makes ignore.actions work
    endpoint('no-pulls-armed', listenerUrl, { mediaTypes: ['application/x-regevents-never'], actions: ['pull'] }),
  ];
}

/** An endpoint as /debug/vars publishes it: Go field names, durations in nanoseconds, nulls for empty lists. */
function asPublished(endpoint: EndpointConfig): Record<string, unknown> {
  const orNull = (list: string[]) => (list.length > 0 ? list : null);
  return {
    name: endpoint.name,
    url: endpoint.url,
    Headers: Object.keys(endpoint.headers).length > 0 ? endpoint.headers : null,
    Timeout: Math.round(endpoint.timeoutMs * 1e6),
    Threshold: endpoint.threshold,
    Backoff: Math.round(endpoint.backoffMs * 1e6),
    mediaTypes: endpoint.ignore.mediaTypes,
    Actions: orNull(endpoint.ignore.actions),
  };
}

/** What the running registry configured, in the same shape; the two media type lists merged as the registry does. */
async function publishedEndpoints(registry: RunningRegistry): Promise<Record<string, unknown>[]> {
  const vars = (await (await fetch(registry.debugUrl)).json()) as { registry: { notifications: { endpoints: PublishedEndpoint[] } } };
  return vars.registry.notifications.endpoints.map((entry) => ({
    name: entry.name,
    url: entry.url,
    Headers: entry.Headers,
    Timeout: entry.Timeout,
    Threshold: entry.Threshold,
    Backoff: entry.Backoff,
    mediaTypes: [...(entry.Ignore.MediaTypes ?? []), ...(entry.IgnoredMediaTypes ?? [])],
    Actions: entry.Ignore.Actions,
  }));
}

interface PublishedEndpoint {
  name: string;
  url: string;
  Headers: Record<string, string[]> | null;
  Timeout: number;
  Threshold: number;
  Backoff: number;
  IgnoredMediaTypes: string[] | null;
  Ignore: { MediaTypes: string[] | null; Actions: string[] | null };
}

const eventsOf = (deliveries: CapturedDelivery[], name: string): Event[] =>
  deliveries
    .filter((delivery) => delivery.path.endsWith(`endpoint=${name}`))
    .flatMap((delivery) => (JSON.parse(delivery.body.toString('utf8')) as Envelope).events);

const act = (name: string) => {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`no harness scenario ${name}`);
  return scenario.act;
};

describe.skipIf(!peers.available)(`real docker-registry ${peers.reason}`, () => {
  let registry: RunningRegistry;
  let listener: Awaited<ReturnType<typeof startCaptureListener>>;
  let workDir: string;
  let notifications: NotificationsConfig;
  let configText = '';

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'regevents-config-'));
    listener = await startCaptureListener();
    notifications = { events: { includeReferences: false }, endpoints: endpointsFor(listener.url) };
    registry = await startRegistry({
      config: (base) => {
        // JSON is YAML: re-emit the harness's base config and append the generated block
        configText = `${stringify(registryConfig(base))}${stringifyNotificationsConfig(notifications)}`;
        return configText;
      },
    });
    const target = { host: registry.host, workDir };
    await act('push-by-tag')(target);
    await act('pull-by-tag')(target);
    await listener.settle();
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await listener?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('reads the generated config back with the same meaning and no errors', () => {
    const parsed = parseRegistryConfig(configText);
    expect(parsed.errors).toEqual([]);
    expect(parsed.notifications).toEqual(notifications);
  });

  it('the registry holds the generated settings (checked on /debug/vars)', async () => {
    expect(await publishedEndpoints(registry)).toEqual(notifications.endpoints.map(asPublished));
  });

  it('a configured Content-Type arrives next to the registry\'s own, as duplicate-header warns', () => {
    expect(parseRegistryConfig(configText).diagnostics.filter((diagnostic) => diagnostic.code === 'duplicate-header')).toHaveLength(1);
    const delivery = listener.deliveries.find((candidate) => candidate.path.endsWith('endpoint=no-blobs')) as CapturedDelivery;
    const contentTypes = delivery.rawHeaders.filter(([name]) => name.toLowerCase() === 'content-type').map(([, value]) => value);
    expect(contentTypes).toEqual(['application/vnd.docker.distribution.events.v1+json', 'application/json']);
  });

  it('the scenario produced pushes and pulls of blobs and manifests', () => {
    const all = eventsOf(listener.deliveries, 'everything');
    expect(new Set(all.map((event) => event.action))).toEqual(new Set(['push', 'pull']));
    expect(all.some((event) => event.target.mediaType === 'application/octet-stream')).toBe(true);
    expect(all.some((event) => event.target.mediaType !== 'application/octet-stream')).toBe(true);
  });

  it.each(['no-blobs', 'no-pulls', 'no-pulls-armed'])('endpoint %s receives exactly the events shouldDeliver predicts for 2.8', (name) => {
    const config = notifications.endpoints.find((candidate) => candidate.name === name) as EndpointConfig;
    const all = eventsOf(listener.deliveries, 'everything');
    const predicted = all.filter((event) => shouldDeliver(config, event, { version: '2.8' })).map((event) => event.id);
    expect(eventsOf(listener.deliveries, name).map((event) => event.id)).toEqual(predicted);
  });

  it('on 2.8.2 ignore.actions alone filters nothing, while 3.1 semantics would have dropped the pulls', () => {
    const all = eventsOf(listener.deliveries, 'everything');
    const actionsOnly = notifications.endpoints.find((candidate) => candidate.name === 'no-pulls') as EndpointConfig;
    expect(eventsOf(listener.deliveries, 'no-pulls')).toHaveLength(all.length);
    expect(all.filter((event) => shouldDeliver(actionsOnly, event, { version: '3.1' })).length).toBeLessThan(all.length);
    expect(eventsOf(listener.deliveries, 'no-pulls-armed').some((event) => event.action === 'pull')).toBe(false);
  });
});

const tricky = `notifications:
  endpoints:
    - name: bare-numbers
      url: http://127.0.0.1:9/bare
      timeout: 500
      backoff: 1.5
      threshold: 0
    - &units
      name: units
      url: http://127.0.0.1:9/units
      timeout: -1s
      backoff: 1h2m3.5s
      threshold: 2.9
      headers: {Authorization: [Bearer x, second]}
      ignoredmediatypes: [a/b]
      ignore: {mediatypes: [c/d], actions: [pull]}
    - <<: *units
      name: merged
      disabled: off
    - name: switched-off
      url: http://127.0.0.1:9/off
      disabled: yes
`;

/** Starts the real registry on the harness base config plus `notifications` text. */
const startWith = (notificationsYaml: string, env?: Record<string, string>) =>
  startRegistry({ config: (base) => `${stringify(registryConfig(base))}${notificationsYaml}`, env });

describe.skipIf(!peers.available)(`the real registry agrees with parseRegistryConfig ${peers.reason}`, () => {
  const cases: Array<{ name: string; yaml: string; env?: Record<string, string> }> = [
    { name: 'bare numbers are nanoseconds, floats truncate, non-positive values get defaults, merge keys, YAML 1.1 booleans', yaml: tricky },
    {
      name: '2.x environment: the whole list as YAML; indexed variables are ignored',
      yaml: 'notifications:\n  endpoints:\n    - name: from-file\n      url: http://127.0.0.1:9/file\n',
      env: {
        REGISTRY_NOTIFICATIONS_ENDPOINTS: '[{name: from-env, url: "http://127.0.0.1:9/env", timeout: 3s, headers: {X-A: [b]}}]',
        REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT: '5s',
      },
    },
    {
      name: 'only the first YAML document is read, even when a later one is broken',
      yaml: 'notifications:\n  endpoints:\n    - name: first\n      url: http://127.0.0.1:9/first\n---\nnotifications: [broken\n',
    },
  ];

  it.each(cases)('$name', async ({ yaml, env }) => {
    const parsed = parseRegistryConfig(yaml, { env });
    expect(parsed.errors).toEqual([]);
    const registry = await startWith(yaml, env);
    try {
      expect(await publishedEndpoints(registry)).toEqual(parsed.notifications.endpoints.filter((entry) => !entry.disabled).map(asPublished));
    } finally {
      await registry.stop();
    }
  }, 30_000);

  const refused: Array<{ code: string; yaml: string; env?: Record<string, string> }> = [
    { code: 'invalid-duration', yaml: 'notifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1:9/a", backoff: "500"}\n' },
    { code: 'header-not-list', yaml: 'notifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1:9/a", headers: {Authorization: Bearer x}}\n' },
    { code: 'invalid-type', yaml: 'notifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1:9/a", threshold: ten}\n' },
    { code: 'yaml-syntax', yaml: 'notifications:\n  endpoints: []\n', env: { REGISTRY_NOTIFICATIONS_ENDPOINTS: '[{name: a, url: x' } },
  ];

  it.each(refused)('an error diagnostic ($code) means the registry refuses to start', async ({ code, yaml, env }) => {
    const parsed = parseRegistryConfig(yaml, { env });
    const errorCodes = parsed.errors.map((diagnostic) => diagnostic.code);
    expect(new Set(errorCodes)).toEqual(new Set([code]));
    await expect(startWith(yaml, env)).rejects.toThrow(/exited during start-up/);
  }, 30_000);
});

describe.skipIf(!peers.available)(`events.includereferences through the environment on the real registry ${peers.reason}`, () => {
  it.each([
    ['REGISTRY_NOTIFICATIONS_EVENTCONFIG_INCLUDEREFERENCES', true],
    ['REGISTRY_NOTIFICATIONS_EVENTS_INCLUDEREFERENCES', false],
  ])('%s=true turns references on: %s', async (name, expected) => {
    const env = { [name]: 'true' };
    const listener = await startCaptureListener();
    const yaml = stringifyNotificationsConfig({ events: { includeReferences: false }, endpoints: [endpoint('only', listener.url, { mediaTypes: [], actions: [] })] });
    const parsed = parseRegistryConfig(yaml, { env });
    expect(parsed.notifications.events.includeReferences).toBe(expected);
    const workDir = await mkdtemp(join(tmpdir(), 'regevents-config-env-'));
    const registry = await startWith(yaml, env);
    try {
      await act('push-by-tag')({ host: registry.host, workDir });
      await listener.settle();
      const manifestPush = eventsOf(listener.deliveries, 'only').find((event) => event.action === 'push' && event.target.mediaType !== 'application/octet-stream');
      expect(manifestPush).toBeDefined();
      expect(manifestPush !== undefined && 'references' in manifestPush.target).toBe(expected);
    } finally {
      await registry.stop();
      await listener.close();
      await rm(workDir, { recursive: true, force: true });
    }
  }, 60_000);
});

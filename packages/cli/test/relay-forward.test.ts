import { readFile } from 'node:fs/promises';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { startCaptureListener, until, type CaptureListener, type CapturedDelivery } from '@regevents/registry-harness';
import { createMemoryLog, createRelay, ENRICH_USER_AGENT, type RelayLog } from '@regevents/relay';
import { createStandardWebhooksVerifier } from '@regevents/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { relayUrl, startRegevents, type Background } from './background.js';
import { runInProcess } from './cli.js';
import { startForwarders } from '../src/commands/relay-forward.js';
import { bufferedIo } from '../src/output.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let running: Background | undefined;
let sink: CaptureListener | undefined;

/** A delivery the capture listener recorded, with its headers as a record and its body as text. */
const asReceived = (delivery: CapturedDelivery) => ({ path: delivery.path, headers: Object.fromEntries(delivery.rawHeaders.map(([name, value]) => [name.toLowerCase(), value])), body: delivery.body.toString() });

/** A capture listener as the forwarders' destination: `base` to name paths under, `received()` what reached it. */
async function startSink(): Promise<{ base: string; received: () => ReturnType<typeof asReceived>[] }> {
  const listener = (sink = await startCaptureListener());
  return { base: new URL(listener.url).origin, received: () => listener.deliveries.map(asReceived) };
}

const fixtureBody = async (path: string) => new Uint8Array(await readFile(new URL(`../../../fixtures/${path}`, import.meta.url)));

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
  await sink?.close();
  sink = undefined;
});

describe('regevents relay --forward-webhook --sign, --forward-cloudevents', () => {
  it('refuses --forward-webhook without --sign', async () => {
    const io = await runInProcess(['relay', '--port', '0', '--forward-webhook', 'http://127.0.0.1:1/']);
    expect(io.code).toBe(2);
    expect(io.stderr).toContain('--forward-webhook needs --sign');
  });

  it('re-signs each received event for the webhook and sends it to the CloudEvents sink; the secret is never printed', async () => {
    const { base, received } = await startSink();
    running = startRegevents(['relay', '--port', '0', '--forward-webhook', `${base}/hook`, '--sign', SECRET, '--forward-cloudevents', `${base}/ce`, '--cloudevents-mode', 'structured']);
    const url = await relayUrl(running);
    const body = await fixtureBody('distribution/2.8.2/push-by-tag/003.json');
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body });
    expect(response.status).toBe(200);
    await until(() => received().length >= 2, 'both forwarded deliveries', 5_000, 25);
    const hook = received().find((message) => message.path === '/hook');
    const ce = received().find((message) => message.path === '/ce');
    const verify = createStandardWebhooksVerifier({ secret: SECRET });
    expect(hook && (await verify({ id: String(hook.headers['webhook-id']), timestamp: String(hook.headers['webhook-timestamp']), signature: String(hook.headers['webhook-signature']), body: new TextEncoder().encode(hook.body) }))).toBe(true);
    expect(ce?.headers['content-type']).toContain('application/cloudevents+json');
    expect(running.stdout() + running.stderr()).not.toContain(SECRET.slice('whsec_'.length));
  });
});

/** A memory log whose createGroup refuses `group` once another group's consumer holds its leases; `released` lists the groups whose leases were given back. */
function logRefusingGroup(group: string): { log: RelayLog; released: string[] } {
  const memory = createMemoryLog();
  const released: string[] = [];
  let leased: () => void = () => undefined;
  const otherLeased = new Promise<void>((resolve) => (leased = resolve));
  const log = new Proxy(memory, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      if (key === 'createGroup') return async (name: string, ...rest: unknown[]) => (name === group ? otherLeased.then(() => Promise.reject(new Error(`createGroup ${name} refused`))) : method(name, ...rest));
      if (key === 'lease') return async (name: string, ...rest: unknown[]) => method(name, ...rest).finally(() => name !== group && leased());
      if (key === 'releaseLeases') return async (name: string, ...rest: unknown[]) => method(name, ...rest).finally(() => released.push(name));
      return method;
    },
  });
  return { log, released };
}

describe('startForwarders', () => {
  it('when one forwarder fails to start, stops the ones that did before rethrowing its error', async () => {
    const { log, released } = logRefusingGroup('forward-webhook');
    const relay = createRelay({ log, auth: { unauthenticated: true } });
    const flags = { forwardCloudevents: 'http://127.0.0.1:1/ce', forwardWebhook: 'http://127.0.0.1:1/hook', sign: SECRET };
    await expect(startForwarders(relay, flags, bufferedIo())).rejects.toThrow('createGroup forward-webhook refused');
    expect(released).toEqual(['forward-cloudevents']);
  });
});

describe('regevents relay --enrich', () => {
  it.each([
    [['--enrich'], '--enrich goes with --forward-cloudevents or --forward-webhook'],
    [['--forward-cloudevents', 'http://127.0.0.1:1/', '--enrich'], '--enrich needs --registry'],
    [['--forward-cloudevents', 'http://127.0.0.1:1/', '--registry', 'http://127.0.0.1:1'], '--registry goes with --enrich'],
    [['--forward-cloudevents', 'http://127.0.0.1:1/', '--enrich', '--registry', 'ftp://u:hunter2@127.0.0.1:1'], '--registry'],
  ])('refuses %j with exit 2 and never echoes a password', async (flags, message) => {
    const io = await runInProcess(['relay', '--port', '0', ...flags]);
    expect(io.code).toBe(2);
    expect(io.stderr).toContain(message);
    expect(io.stderr).not.toContain('hunter2');
  });

  it('forwards the enriched view: a Docker Hub push with the digest read from --registry (as regevents-enrich), a tag delete with the digest the log held', async () => {
    const registry = createMockRegistry();
    const served = await registry.serve();
    try {
      const image = await registry.pushImage('svendowideit/testhook:latest');
      const { base, received } = await startSink();
      running = startRegevents(['relay', '--port', '0', '--format', 'dockerhub', '--vendor-auth', 'dockerhub=unauthenticated', '--forward-cloudevents', `${base}/ce`, '--cloudevents-mode', 'structured', '--enrich', '--registry', served.url]);
      const url = await relayUrl(running);
      await running.waitFor(/forwarding every event, enriched, \(group forward-cloudevents\)/);
      const post = async (body: Uint8Array<ArrayBuffer>, contentType: string) => (await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': contentType }, body })).status;
      expect(await post(await fixtureBody('vendors/dockerhub/push.json'), 'application/json')).toBe(200);
      for (const name of ['push-by-tag/003.json', 'delete-by-tag/003.json']) expect(await post(await fixtureBody(`distribution/2.8.2/${name}`), 'application/vnd.docker.distribution.events.v1+json')).toBe(200);
      await until(() => received().length >= 3, 'three forwarded events', 5_000, 25);
      const data = received().map((message) => (JSON.parse(message.body) as { data: { kind: string; repository: string; digest?: string; derived?: unknown } }).data);
      const pushed = data.find((event) => event.kind === 'artifact.pushed' && event.repository !== 'svendowideit/testhook');
      expect(data.find((event) => event.repository === 'svendowideit/testhook')).toMatchObject({ digest: image.manifest.digest, derived: { digest: 'registry' } });
      expect(data.find((event) => event.kind === 'tag.deleted')).toMatchObject({ digest: pushed?.digest, derived: { digest: 'log-state' } });
      expect(pushed?.digest).toMatch(/^sha256:/);
      const reads = registry.events.filter((recorded) => recorded.event.action === 'pull');
      expect(reads.length).toBeGreaterThanOrEqual(1);
      expect(reads.every((recorded) => recorded.event.request.useragent === ENRICH_USER_AGENT)).toBe(true);
    } finally {
      registry.close();
      await served.close();
    }
  });
});

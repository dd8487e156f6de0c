import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { serveOnLoopback, vendorFixture, vendorFixtures, type VendorFixture } from '@regevents/registry-harness';
import { describe, expect, it, vi } from 'vitest';
import { createWebhookHandler, FORMAT_IDS, HandlerFailedError, NORMALIZED_KINDS, WebhookConfigError, type ErrorContext, type InvalidPayload, type NormalizedKind, type WebhookHandler, type WebhookHandlerOptions } from '../src/index.js';
import { fixture, handFedNodeRequest, TOKEN } from './helpers.js';

// Reference HMACs from node:crypto, independent of the WebCrypto code under test.
const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

const SECRETS = {
  harbor: 'Bearer harbor-auth-header-9f8e7d',
  gitlab: 'Bearer gitlab-notify-secret-77a1',
  acr: 'acr-custom-header-5d6e4f',
  ghcr: 'ghcr-webhook-secret-0c1d2e',
  artifactory: 'jfrog-webhook-secret-4e5f6a',
  dockerhub: 'relay-dockerhub-8a8b8c',
  quay: 'relay-quay-3c4d5e',
  gar: 'relay-gar-1f2e3d',
  ecr: 'ecr-api-key-6b7c8d',
};

/** One receiver for every format, each vendor with its own credentials. */
function multiVendor(overrides: Partial<WebhookHandlerOptions> = {}): WebhookHandler {
  return createWebhookHandler({
    formats: FORMAT_IDS,
    auth: {
      bearer: TOKEN,
      harbor: { authHeader: SECRETS.harbor },
      gitlab: { headers: { Authorization: SECRETS.gitlab } },
      acr: { headers: { 'X-Acr-Token': SECRETS.acr } },
      ghcr: { secret: SECRETS.ghcr },
      artifactory: { secret: SECRETS.artifactory, mode: 'hmac' },
      dockerhub: { headers: { 'X-Relay-Token': SECRETS.dockerhub } },
      quay: { headers: { 'X-Relay-Token': SECRETS.quay } },
      gar: { headers: { 'X-Relay-Token': SECRETS.gar } },
      ecr: { headers: { 'X-Api-Key': SECRETS.ecr } },
    },
    ...overrides,
  });
}

/** The headers each vendor sends, with its secret (or, `wrong`, the same scheme with another secret). */
function credentials(folder: string, body: string, wrong = false): Record<string, string> {
  const secret = (value: string) => (wrong ? `${value}-wrong` : value);
  switch (folder) {
    case 'harbor':
    case 'harbor-cloudevents':
      return { authorization: secret(SECRETS.harbor) };
    case 'gitlab':
      return { authorization: secret(SECRETS.gitlab) };
    case 'acr':
      return { 'x-acr-token': secret(SECRETS.acr) };
    case 'ghcr':
      return { 'x-github-event': 'package', 'x-hub-signature-256': `sha256=${hmacHex(secret(SECRETS.ghcr), body)}` };
    case 'artifactory':
      return { 'x-jfrog-event-auth': hmacHex(secret(SECRETS.artifactory), body) };
    case 'dockerhub':
    case 'quay':
    case 'gar':
      return { 'x-relay-token': secret(SECRETS[folder]) };
    case 'ecr':
      return { 'x-api-key': secret(SECRETS.ecr) };
    default:
      throw new Error(`no credentials for ${folder}`);
  }
}

function post(hooks: WebhookHandler, body: string | Uint8Array, headers: Record<string, string>, contentType = 'application/json'): Promise<Response> {
  return hooks.fetch(new Request('http://127.0.0.1/events', { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) }), { remoteAddress: '127.0.0.1' });
}

function deliverFixture(hooks: WebhookHandler, f: VendorFixture, wrong = false): Promise<Response> {
  const contentType = (f.meta['headers'] as Record<string, string> | undefined)?.['Content-Type'] ?? 'application/json';
  return post(hooks, f.text, credentials(f.folder, f.text, wrong), contentType);
}

interface Recorded {
  dispatched: [registered: NormalizedKind, kind: NormalizedKind, registry: string, id: string][];
  invalid: InvalidPayload[];
  errors: [unknown, ErrorContext][];
}

/** Registers one handler per normalized kind (and onInvalid, onError), recording what each receives. */
function record(hooks: WebhookHandler): Recorded {
  const recorded: Recorded = { dispatched: [], invalid: [], errors: [] };
  for (const kind of NORMALIZED_KINDS) hooks.on(kind, (event) => void recorded.dispatched.push([kind, event.kind, event.registry.kind, event.id]));
  hooks.onInvalid((invalid) => void recorded.invalid.push(invalid));
  hooks.onError((error, context) => void recorded.errors.push([error, context]));
  return recorded;
}

/** What each fixture is, read from the fixture itself (its event type, action or result), not from this SDK. */
const EXPECTED: Record<string, { kinds: NormalizedKind[]; registry: string }> = {
  'harbor/push-artifact': { kinds: ['artifact.pushed'], registry: 'harbor' },
  'harbor/pull-artifact': { kinds: ['artifact.pulled'], registry: 'harbor' },
  'harbor/delete-artifact': { kinds: ['artifact.deleted'], registry: 'harbor' },
  'harbor/scanning-completed': { kinds: ['scan.completed'], registry: 'harbor' },
  'harbor/scanning-failed': { kinds: ['scan.failed'], registry: 'harbor' },
  'harbor/scanning-stopped': { kinds: ['scan.stopped'], registry: 'harbor' },
  'harbor/quota-exceed': { kinds: ['quota.exceeded'], registry: 'harbor' },
  'harbor/quota-warning': { kinds: ['quota.warning'], registry: 'harbor' },
  'harbor/replication': { kinds: ['replication.status'], registry: 'harbor' },
  'harbor/tag-retention': { kinds: ['retention.finished'], registry: 'harbor' },
  'harbor-cloudevents/push-artifact': { kinds: ['artifact.pushed'], registry: 'harbor' },
  'harbor-cloudevents/pull-artifact': { kinds: ['artifact.pulled'], registry: 'harbor' },
  'harbor-cloudevents/delete-artifact': { kinds: ['artifact.deleted'], registry: 'harbor' },
  'harbor-cloudevents/scanning-completed': { kinds: ['scan.completed'], registry: 'harbor' },
  'harbor-cloudevents/scanning-failed': { kinds: ['scan.failed'], registry: 'harbor' },
  'harbor-cloudevents/scanning-stopped': { kinds: ['scan.stopped'], registry: 'harbor' },
  'harbor-cloudevents/quota-exceed': { kinds: ['quota.exceeded'], registry: 'harbor' },
  'harbor-cloudevents/quota-warning': { kinds: ['quota.warning'], registry: 'harbor' },
  'harbor-cloudevents/replication': { kinds: ['replication.status'], registry: 'harbor' },
  'harbor-cloudevents/tag-retention': { kinds: ['retention.finished'], registry: 'harbor' },
  'gitlab/push-with-meta': { kinds: ['artifact.pushed'], registry: 'gitlab' },
  'gitlab/rename': { kinds: ['repository.renamed'], registry: 'gitlab' },
  'acr/push': { kinds: ['artifact.pushed'], registry: 'acr' },
  'acr/delete': { kinds: ['artifact.deleted'], registry: 'acr' },
  'acr/chart-push': { kinds: ['artifact.pushed'], registry: 'acr' },
  'acr/chart-delete': { kinds: ['artifact.deleted'], registry: 'acr' },
  'dockerhub/push': { kinds: ['artifact.pushed'], registry: 'dockerhub' },
  'quay/repo-push': { kinds: ['artifact.pushed'], registry: 'quay' },
  'ghcr/package-published': { kinds: ['artifact.pushed'], registry: 'ghcr' },
  'gar/insert-digest': { kinds: ['artifact.pushed'], registry: 'gar' },
  'gar/insert-tag': { kinds: ['artifact.pushed'], registry: 'gar' },
  'gar/delete-tag': { kinds: ['tag.deleted'], registry: 'gar' },
  'gar/push-insert-tag': { kinds: ['artifact.pushed'], registry: 'gar' },
  'ecr/image-push': { kinds: ['artifact.pushed'], registry: 'ecr' },
  'ecr/image-delete': { kinds: ['artifact.deleted'], registry: 'ecr' },
  'artifactory/docker-pushed': { kinds: ['artifact.pushed'], registry: 'artifactory' },
};

const payloadFixtures = vendorFixtures().filter((f) => f.folder !== 'harbor-policy');

/** Fixtures whose payload carries nothing that tells one occurrence from another (no id, no time): each delivery runs. */
const WITHOUT_OCCURRENCE_ID = new Set(['quay/repo-push', 'gar/insert-digest', 'gar/insert-tag', 'gar/delete-tag', 'artifactory/docker-pushed']);

describe('vendor formats through one multi-vendor receiver', () => {
  it('has an expectation for every vendor payload fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(payloadFixtures.map((f) => f.name).sort());
  });

  it.each(payloadFixtures.map((f) => [f.name, f] as const))('%s: authenticated, reaches its on(kind) handler once; a redelivery is deduplicated unless nothing identifies the occurrence', async (name, f) => {
    const expected = EXPECTED[name];
    if (!expected) throw new Error(`no expectation for ${name}`);
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect(recorded.dispatched.map(([registered]) => registered)).toEqual(expected.kinds);
    for (const [registered, kind, registry] of recorded.dispatched) expect([kind, registry]).toEqual([registered, expected.registry]);
    expect(recorded.invalid).toEqual([]);
    expect(recorded.errors).toEqual([]);

    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect(recorded.dispatched).toHaveLength(expected.kinds.length * (WITHOUT_OCCURRENCE_ID.has(name) ? 2 : 1));
  });

  it.each(payloadFixtures.map((f) => [f.name, f] as const))('%s: a wrong credential gets 401 and runs nothing', async (_name, f) => {
    const hooks = multiVendor();
    const recorded = record(hooks);
    const response = await deliverFixture(hooks, f, true);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Unauthorized');
    expect(recorded).toEqual({ dispatched: [], invalid: [], errors: [] });
  });

  it("one vendor's valid credentials do not admit another vendor's body", async () => {
    const hooks = multiVendor();
    const recorded = record(hooks);
    const harbor = vendorFixture('harbor/push-artifact');
    const acr = vendorFixture('acr/push');
    expect((await post(hooks, harbor.text, credentials('acr', harbor.text))).status).toBe(401);
    expect((await post(hooks, acr.text, credentials('harbor', acr.text))).status).toBe(401);
    expect((await post(hooks, harbor.text, { authorization: `Bearer ${TOKEN}` })).status).toBe(401);
    // a GitHub signature over another body proves nothing about this one
    const ghcr = vendorFixture('ghcr/package-published');
    expect((await post(hooks, ghcr.text, credentials('ghcr', `${ghcr.text} `))).status).toBe(401);
    expect(recorded).toEqual({ dispatched: [], invalid: [], errors: [] });
  });

  it('JFrog: the plain secret passes in secret mode and is refused in hmac mode', async () => {
    const f = vendorFixture('artifactory/docker-pushed');
    const plainSecret = { 'x-jfrog-event-auth': SECRETS.artifactory };
    const hmacOnly = multiVendor();
    const hmacRecorded = record(hmacOnly);
    expect((await post(hmacOnly, f.text, plainSecret)).status).toBe(401);
    expect(hmacRecorded.dispatched).toEqual([]);

    const secretMode = createWebhookHandler({ formats: ['artifactory'], auth: { artifactory: { secret: ['previous-secret', SECRETS.artifactory], mode: 'secret' } } });
    const recorded = record(secretMode);
    expect((await post(secretMode, f.text, plainSecret)).status).toBe(200);
    expect((await post(secretMode, f.text, credentials('artifactory', f.text))).status).toBe(401);
    expect(recorded.dispatched.map(([kind]) => kind)).toEqual(['artifact.pushed']);
  });

  it('GHCR: a signed body replayed with new X-GitHub-Delivery ids runs once (the id comes from what the signature covers)', async () => {
    const f = vendorFixture('ghcr/package-published');
    const hooks = multiVendor();
    const recorded = record(hooks);
    for (const delivery of ['72d3162e-cc78-11e3-81ab-4c9367dc0958', crypto.randomUUID(), crypto.randomUUID()]) {
      expect((await post(hooks, f.text, { ...credentials('ghcr', f.text), 'x-github-delivery': delivery })).status).toBe(200);
    }
    expect(recorded.dispatched).toHaveLength(1);
    // another signed body (another version) is another event
    const updated = JSON.stringify({ ...(JSON.parse(f.text) as object), action: 'updated' });
    expect((await post(hooks, updated, credentials('ghcr', updated))).status).toBe(200);
    expect(recorded.dispatched).toHaveLength(2);
  });

  it('Quay: two separate pushes of one repo:tag are two events (nothing in the body tells them apart)', async () => {
    const f = vendorFixture('quay/repo-push');
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect(recorded.dispatched.map(([kind, , registry]) => [kind, registry])).toEqual([
      ['artifact.pushed', 'quay'],
      ['artifact.pushed', 'quay'],
    ]);
    expect(new Set(recorded.dispatched.map(([, , , id]) => id)).size).toBe(2);
  });

  it("dedupe is scoped by sender and format: an ACR body carrying a distribution event's id does not suppress that event", async () => {
    const envelope = JSON.parse(new TextDecoder().decode(fixture('push-by-tag/003.json').body)) as { events: { id: string }[] };
    const acr = { ...(JSON.parse(vendorFixture('acr/push').text) as object), id: envelope.events[0]?.id };
    const hooks = multiVendor();
    const recorded = record(hooks);
    const pushes: string[] = [];
    hooks.on('push', (event) => void pushes.push(event.id));
    expect((await post(hooks, JSON.stringify(acr), credentials('acr', ''))).status).toBe(200);
    expect(recorded.dispatched.map(([, , registry]) => registry)).toEqual(['acr']);
    expect((await post(hooks, JSON.stringify(envelope), { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(pushes).toEqual(envelope.events.map((event) => event.id));
  });
});

describe('GAR through an authenticated Pub/Sub push subscription', () => {
  // A key pair standing in for Google's; tokens are signed with node:crypto, independently of the verifier.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const audience = 'https://hooks.example.com/gar';
  const serviceAccountEmail = 'gar-push@my-project.iam.gserviceaccount.com';
  const oidcToken = (claims: Record<string, unknown>) => {
    const seconds = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${encode({ iss: 'https://accounts.google.com', aud: audience, email: serviceAccountEmail, email_verified: true, iat: seconds, exp: seconds + 600, ...claims })}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
  };

  it('admits the subscription\'s own token, refuses another service account\'s, and says so in toString without secrets', async () => {
    const hooks = createWebhookHandler({ formats: ['gar'], auth: { gar: { pubsub: { audience, serviceAccountEmail, keys } } } });
    const recorded = record(hooks);
    const f = vendorFixture('gar/push-insert-tag');
    expect((await post(hooks, f.text, { authorization: `Bearer ${oidcToken({ email: 'intruder@other.iam.gserviceaccount.com' })}` })).status).toBe(401);
    expect((await post(hooks, f.text, {})).status).toBe(401);
    expect(recorded.dispatched).toEqual([]);
    expect((await post(hooks, f.text, { authorization: `Bearer ${oidcToken({})}` })).status).toBe(200);
    expect(recorded.dispatched).toEqual([['artifact.pushed', 'artifact.pushed', 'gar', '2070443601311540']]);
    expect(String(hooks)).toContain('gar: pubsub oidc(1)');
  });

  it('refuses to start without an audience or a service account, and says what auth.gar takes', () => {
    expect(() => createWebhookHandler({ formats: ['gar'], auth: { gar: {} as never } })).toThrow(/auth\.gar needs \{ pubsub: \{ audience, serviceAccountEmail \} \}/);
    expect(() => createWebhookHandler({ formats: ['gar'], auth: { gar: { pubsub: { audience, serviceAccountEmail: [] } } } })).toThrow(/auth\.gar\.pubsub\.serviceAccountEmail lists no value/);
    expect(() => createWebhookHandler({ formats: ['gar'], auth: { gar: { pubsub: { audience: '', serviceAccountEmail } } } })).toThrow(/auth\.gar\.pubsub\.audience is empty/);
  });
});

describe('response policy for vendor formats', () => {
  it('an authenticated body in no known format goes to onInvalid and is acknowledged; invalid: "reject" answers 400', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await post(hooks, body, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(recorded.invalid.map(({ issues, value }) => [issues[0]?.path, value])).toEqual([['(body)', { hello: 'world' }]]);
    expect(recorded.dispatched).toEqual([]);

    const strict = multiVendor({ invalid: 'reject' });
    const strictRecorded = record(strict);
    expect((await post(strict, body, { 'x-acr-token': SECRETS.acr })).status).toBe(400);
    expect(strictRecorded.invalid).toHaveLength(1);
  });

  it('an unauthenticated body in no known format gets 401, and onInvalid does not run', async () => {
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await post(hooks, '{"hello":"world"}', { authorization: 'Bearer guessed' })).status).toBe(401);
    expect(recorded.invalid).toEqual([]);
  });

  it('a recognised but invalid payload goes to onInvalid with its format and issues', async () => {
    const payload = JSON.parse(vendorFixture('harbor/push-artifact').text) as Record<string, unknown>;
    payload['occur_at'] = 'yesterday';
    const body = JSON.stringify(payload);
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await post(hooks, body, credentials('harbor', body))).status).toBe(200);
    expect(recorded.invalid).toHaveLength(1);
    expect(recorded.invalid[0]?.format).toBe('harbor');
    expect(recorded.invalid[0]?.issues.some((issue) => issue.path.includes('occur_at'))).toBe(true);
    expect(recorded.dispatched).toEqual([]);
  });

  it('a format not listed in formats is acknowledged as invalid for an authenticated sender', async () => {
    const hooks = createWebhookHandler({ formats: ['distribution'], auth: { bearer: TOKEN } });
    const recorded = record(hooks);
    const body = vendorFixture('harbor/push-artifact').text;
    expect((await post(hooks, body, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(recorded.invalid.map(({ format, issues }) => [format, issues[0]?.message])).toEqual([['harbor', 'is harbor, which is not among the accepted formats']]);
    expect(recorded.dispatched).toEqual([]);
  });

  it('an event with no normalized meaning (ECR FAILURE) is acknowledged and runs nothing', async () => {
    const payload = JSON.parse(vendorFixture('ecr/image-push').text) as { detail: { result: string } };
    payload.detail.result = 'FAILURE';
    const body = JSON.stringify(payload);
    const hooks = multiVendor();
    const recorded = record(hooks);
    expect((await post(hooks, body, credentials('ecr', body))).status).toBe(200);
    expect(recorded).toEqual({ dispatched: [], invalid: [], errors: [] });
  });

  it('a throwing handler gives 500 and onError; the redelivery runs it again', async () => {
    const f = vendorFixture('dockerhub/push');
    const hooks = multiVendor();
    const errors: [unknown, ErrorContext][] = [];
    let attempts = 0;
    hooks
      .on('artifact.pushed', () => {
        attempts++;
        if (attempts === 1) throw new Error('downstream unavailable');
      })
      .onError((error, context) => void errors.push([error, context]));
    expect((await deliverFixture(hooks, f)).status).toBe(500);
    expect(errors).toHaveLength(1);
    const [error, context] = errors[0] ?? [];
    expect(error).toBeInstanceOf(HandlerFailedError);
    expect(context?.normalized?.registry.kind).toBe('dockerhub');
    expect((error as HandlerFailedError).eventId).toBe(context?.normalized?.id);
    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect((await deliverFixture(hooks, f)).status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('a sender that cannot authenticate is accepted only when opted out explicitly, and only for its own format', async () => {
    const hooks = createWebhookHandler({ formats: ['dockerhub', 'harbor'], auth: { dockerhub: { unauthenticated: true }, harbor: { authHeader: SECRETS.harbor } } });
    const recorded = record(hooks);
    expect((await post(hooks, vendorFixture('dockerhub/push').text, {})).status).toBe(200);
    expect((await post(hooks, vendorFixture('harbor/push-artifact').text, {})).status).toBe(401);
    expect(recorded.dispatched.map(([kind, , registry]) => [kind, registry])).toEqual([['artifact.pushed', 'dockerhub']]);
  });

  it('works through .node as well (node:http on loopback)', async () => {
    const hooks = multiVendor();
    const recorded = record(hooks);
    const server = await serveOnLoopback(hooks.node);
    try {
      const f = vendorFixture('ghcr/package-published');
      const send = (headers: Record<string, string>) => fetch(`${server.origin}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: f.text });
      expect((await send(credentials('ghcr', f.text, true))).status).toBe(401);
      expect((await send(credentials('ghcr', f.text))).status).toBe(200);
      expect(recorded.dispatched.map(([kind, , registry]) => [kind, registry])).toEqual([['artifact.pushed', 'ghcr']]);
    } finally {
      await server.close();
    }
  });
});

describe('distribution envelopes with formats', () => {
  const body = fixture('push-by-tag/003.json').body;
  const event = (JSON.parse(body.toString()) as { events: [{ id: string }] }).events[0];

  it('dispatch both the distribution keys and the normalized kind, under one deduplication claim', async () => {
    const hooks = createWebhookHandler({ formats: ['distribution', 'harbor'], auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } });
    const calls: string[] = [];
    hooks
      .on('push:manifest', (e) => void calls.push(`push:manifest ${e.id}`))
      .on('artifact.pushed', (e, context) => void calls.push(`artifact.pushed ${e.id} ${e.registry.kind} ${context.format}`))
      .on(['push:manifest', 'artifact.pushed'], (e) => void calls.push(`both ${'action' in e ? e.action : e.kind}`))
      .onAny((e) => void calls.push(`any ${e.action}`));
    const send = () => post(hooks, body, { authorization: `Bearer ${TOKEN}` }, 'application/vnd.docker.distribution.events.v1+json');
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect(calls).toEqual([`push:manifest ${event.id}`, `artifact.pushed ${event.id} distribution distribution`, 'both push', 'any push']);
  });

  it('sent as CloudEvents, a distribution envelope matches no format (the content type rules the plain formats out) and runs nothing', async () => {
    const hooks = createWebhookHandler({ formats: ['distribution', 'harbor'], auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } });
    const recorded = record(hooks);
    expect((await post(hooks, body, { authorization: `Bearer ${TOKEN}` }, 'application/cloudevents+json')).status).toBe(200);
    expect(recorded.invalid.map(({ issues }) => issues[0]?.message)).toEqual(['matches no known registry format']);
    expect(recorded.dispatched).toEqual([]);
  });

  it('from a GitLab sender (its own credentials), a plain envelope is read as GitLab: normalized kinds only', async () => {
    const hooks = createWebhookHandler({ formats: ['distribution', 'gitlab'], auth: { bearer: TOKEN, gitlab: { headers: { Authorization: SECRETS.gitlab } } } });
    const calls: string[] = [];
    hooks.on('push:manifest', () => void calls.push('push:manifest')).on('artifact.pushed', (e, context) => void calls.push(`artifact.pushed ${e.registry.kind} ${context.format}`));
    expect((await post(hooks, body, { authorization: SECRETS.gitlab })).status).toBe(200);
    expect(calls).toEqual(['artifact.pushed gitlab gitlab']);
    expect((await post(hooks, body, { authorization: 'Bearer neither' })).status).toBe(401);
  });

  it('a GitLab-extended envelope authenticated as distribution is handled as distribution, as without formats', async () => {
    const hooks = createWebhookHandler({ formats: ['distribution'], auth: { bearer: TOKEN } });
    const calls: string[] = [];
    hooks.on('push:manifest', (e) => void calls.push(`push:manifest ${e.target.repository}`)).on('artifact.pushed', (e) => void calls.push(`artifact.pushed ${e.registry.kind}`));
    expect((await post(hooks, vendorFixture('gitlab/push-with-meta').text, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(calls).toEqual(['push:manifest root/test', 'artifact.pushed distribution']);
  });
});

describe('what waits for a promise with formats', () => {
  const body = fixture('push-by-tag/003.json').body;

  it('a distribution delivery is answered from its body\'s last event when no check needs a promise (token, static headers, signatures it does not carry)', () => {
    const hooks = multiVendor();
    const calls: string[] = [];
    hooks.on('push:manifest', (e) => void calls.push(`push:manifest ${e.action}`)).on('artifact.pushed', (e) => void calls.push(`artifact.pushed ${e.registry.kind}`));
    const exchange = handFedNodeRequest({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' });
    void hooks.node(exchange.req, exchange.res);
    exchange.send(body);
    expect(exchange.status()).toBe(200);
    expect(calls).toEqual(['push:manifest push', 'artifact.pushed distribution']);
  });

  it('a delivery without the signature header its only sender needs gets 401 before its body is read', () => {
    const hooks = createWebhookHandler({ formats: ['ghcr', 'artifactory'], auth: { ghcr: { secret: SECRETS.ghcr }, artifactory: { secret: SECRETS.artifactory } } });
    const exchange = handFedNodeRequest({ 'x-github-event': 'package', 'content-type': 'application/json' });
    void hooks.node(exchange.req, exchange.res);
    expect(exchange.status()).toBe(401);
    expect(exchange.req.listenerCount('data')).toBe(0);
  });

  it('a check that needs a promise still decides (the GHCR signature, on WebCrypto): the answer waits for it', async () => {
    const f = vendorFixture('ghcr/package-published');
    const hooks = multiVendor();
    const recorded = record(hooks);
    for (const wrong of [true, false]) {
      const exchange = handFedNodeRequest({ 'content-type': 'application/json', ...credentials('ghcr', f.text, wrong) });
      const answered = hooks.node(exchange.req, exchange.res);
      exchange.send(f.text);
      expect(exchange.status()).toBeUndefined();
      await answered;
      expect(exchange.status()).toBe(wrong ? 401 : 200);
    }
    expect(recorded.dispatched.map(([kind, , registry]) => [kind, registry])).toEqual([['artifact.pushed', 'ghcr']]);
  });
});

describe('configuration', () => {
  it('refuses options that cannot work, naming the option', () => {
    const cases: [WebhookHandlerOptions, RegExp][] = [
      [{ formats: ['harbor'], auth: {} }, /formats lists 'harbor': auth\.harbor is required/],
      [{ auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } }, /auth\.harbor needs the formats option/],
      [{ formats: ['harbor'], auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } }, /auth\.bearer authenticates distribution envelopes, but formats does not list 'distribution'/],
      [{ formats: ['distribution'], auth: { bearer: TOKEN, acr: { headers: { 'X-Acr-Token': SECRETS.acr } } } }, /auth\.acr is set, but formats lists none of 'acr'/],
      [{ formats: ['harbour' as never], auth: {} }, /formats lists "harbour", which is none of/],
      [{ formats: [], auth: {} }, /formats must list/],
      [{ formats: ['ghcr'], auth: { ghcr: { secret: process.env.REGEVENTS_SURELY_UNSET as string } } }, /auth\.ghcr\.secret is empty.*environment variable/],
      [{ formats: ['acr'], auth: { acr: { headers: {} } } }, /auth\.acr\.headers lists no header/],
      [{ formats: ['acr'], auth: { acr: { headers: { 'bad name': 'x' } } } }, /auth\.acr\.headers name must be a header name/],
      [{ formats: ['artifactory'], auth: { artifactory: { secret: 's', mode: 'sometimes' as never } } }, /auth\.artifactory\.mode must be/],
      [{ formats: ['quay'], auth: { quay: {} as never } }, /auth\.quay needs \{ headers: \{ name: value \} \} or \{ unauthenticated: true \}/],
    ];
    for (const [options, message] of cases) expect(() => createWebhookHandler(options), String(message)).toThrow(message);
  });

  it("says in fields which sender's credentials a refusal is about, and which formats", () => {
    const refusal = (options: WebhookHandlerOptions) => {
      try {
        createWebhookHandler(options);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const cases: [WebhookHandlerOptions, { option: string; formats: string[] }][] = [
      [{ formats: ['distribution', 'harbor-cloudevents'], auth: { bearer: TOKEN } }, { option: 'auth.harbor', formats: ['harbor-cloudevents'] }],
      [{ auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } }, { option: 'auth.harbor', formats: ['harbor', 'harbor-cloudevents'] }],
      [{ formats: ['distribution'], auth: { bearer: TOKEN, acr: { headers: { 'X-Acr-Token': SECRETS.acr } } } }, { option: 'auth.acr', formats: ['acr'] }],
      [{ formats: ['harbor'], auth: { bearer: TOKEN, harbor: { authHeader: SECRETS.harbor } } }, { option: 'auth.bearer', formats: ['distribution'] }],
    ];
    for (const [options, fields] of cases) {
      const error = refusal(options);
      expect(error).toBeInstanceOf(WebhookConfigError);
      expect(error).toMatchObject(fields);
    }
    // other refusals name their option in the message alone
    expect(refusal({ formats: [], auth: {} })).toMatchObject({ option: undefined, formats: undefined });
  });

  it('normalized kinds need formats; misspelled keys are refused at run time too', () => {
    const plain = createWebhookHandler({ auth: { bearer: TOKEN } });
    expect(() => plain.on('artifact.pushed', vi.fn())).toThrow(/on\("artifact\.pushed"\) needs the formats option/);
    expect(() => multiVendor().on('artifact.pushd' as never, vi.fn())).toThrow(/got "artifact\.pushd"/);
  });
});

import { connect } from 'node:net';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bufferedIo, run } from '@regevents/cli';
import { parseRegistryConfig } from '@regevents/config';
import { matchesTriggerFilter, UnsupportedFilterError, type SubscriptionsAPIFilter } from '@regevents/formats';
import { createMockRegistry, type MockRegistryOptions } from '@regevents/mock-registry';
import { serveOnLoopback, type LoopbackServer } from '@regevents/registry-harness';
import { createWebhookHandler, type InvalidPayload, type WebhookHandler } from '@regevents/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANG_THRESHOLD_MS, timed } from './bounded.js';
import { CAPTURED_BODY, deliver, EVENTS_CONTENT_TYPE } from './webhook-requests.js';

const TOKEN = 'hostile-token';
const AUTH: [string, string] = ['authorization', `Bearer ${TOKEN}`];
const MAX_BODY_BYTES = 64 * 1024;
const capturedEvent = JSON.parse(CAPTURED_BODY).events[0] as Record<string, unknown>;
const withEvent = (patch: string) => `{"events":[${JSON.stringify(capturedEvent).replace(/}$/, `,${patch}}`)}]}`;
/** The captured event with `target[field]` set to raw JSON text, which may not be JSON at all (NaN). */
const withTarget = (field: string, raw: string) => {
  const event = structuredClone(capturedEvent) as { target: Record<string, unknown> };
  event.target[field] = '\u0000raw';
  return `{"events":[${JSON.stringify(event).replace('"\\u0000raw"', raw)}]}`;
};

/** `invalid: 'reject'` makes every verdict visible as a status: 400 for a payload that is not a valid notification. */
function rejectingHandler(): WebhookHandler {
  return createWebhookHandler({ auth: { bearer: TOKEN }, invalid: 'reject', maxBodyBytes: MAX_BODY_BYTES, dedupe: false }).onError(() => {});
}

/** A body that trickles `chunks` pieces, `gapMs` apart, then ends or fails like a dropped connection. */
function tricklingBody(text: string, chunks: number, gapMs: number, end: 'close' | 'error'): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.byteLength / chunks);
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      if (sent >= bytes.byteLength) {
        if (end === 'close') controller.close();
        else controller.error(new Error('connection reset by peer'));
        return;
      }
      controller.enqueue(bytes.slice(sent, sent + size));
      sent += size;
    },
  });
}

describe('hostile input to createWebhookHandler: each row has its expected status', () => {
  const rows: { name: string; headers?: [string, string][]; body: () => BodyInit; status: number }[] = [
    // sizes
    { name: 'body over maxBodyBytes with Content-Length', body: () => `{"events":[],"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`, status: 413 },
    { name: 'body over maxBodyBytes streamed without Content-Length', body: () => tricklingBody(`{"events":[],"pad":"${'x'.repeat(MAX_BODY_BYTES * 4)}"}`, 64, 0, 'close'), status: 413 },
    { name: 'lying Content-Length smaller than the body', headers: [['content-length', '5']], body: () => CAPTURED_BODY, status: 200 },
    { name: 'slow but complete body (20 chunks, 25 ms apart)', body: () => tricklingBody(CAPTURED_BODY, 20, 25, 'close'), status: 200 },
    { name: 'body stream that breaks mid-way (peer reset)', body: () => tricklingBody(CAPTURED_BODY, 4, 10, 'error'), status: 400 },
    { name: 'empty body', body: () => '', status: 400 },
    // headers
    { name: 'no Content-Type', headers: [['content-type', '']], body: () => CAPTURED_BODY, status: 415 },
    { name: 'Content-Type text/plain', headers: [['content-type', 'text/plain']], body: () => CAPTURED_BODY, status: 415 },
    { name: 'Content-Type with parameters and odd case', headers: [['content-type', 'Application/JSON ; charset=utf-8']], body: () => CAPTURED_BODY, status: 200 },
    { name: 'repeated Content-Type (fetch joins them with ", ")', headers: [['content-type', EVENTS_CONTENT_TYPE], ['content-type', 'text/plain']], body: () => CAPTURED_BODY, status: 415 },
    { name: 'non-numeric Content-Length', headers: [['content-length', 'lots']], body: () => CAPTURED_BODY, status: 200 },
    // prototype keys and numbers
    { name: '__proto__ key inside an event', body: () => withEvent('"__proto__":{"polluted":true}'), status: 400 },
    // the handler reads only `events` from the envelope: other top-level keys are ignored, never merged
    { name: 'constructor.prototype at the top level', body: () => `{"constructor":{"prototype":{"polluted":true}},${CAPTURED_BODY.slice(1)}`, status: 200 },
    { name: 'constructor key inside an event', body: () => withEvent('"constructor":{"prototype":{"polluted":true}}'), status: 400 },
    { name: 'duplicate "events" key: the last wins, as in JSON.parse', body: () => `${CAPTURED_BODY.slice(0, -1)},"events":[{"action":"push"}]}`, status: 400 },
    { name: 'NaN as a size (not JSON)', body: () => withTarget('size', 'NaN'), status: 400 },
    { name: 'size 1e400 (parses to Infinity)', body: () => withTarget('size', '1e400'), status: 400 },
    { name: 'size 2^53 + 1 (not a safe integer)', body: () => withTarget('size', '9007199254740993'), status: 400 },
    { name: 'size -0', body: () => withTarget('size', '-0'), status: 200 },
    { name: '20,000 nested arrays inside an event (tolerated unknown field, no stack overflow)', body: () => withEvent(`"x":${'['.repeat(20_000)}${']'.repeat(20_000)}`), status: 200 },
    { name: 'events is an object', body: () => '{"events":{"0":{}}}', status: 400 },
    // encodings
    { name: 'invalid UTF-8 inside a string', body: () => new Uint8Array([...new TextEncoder().encode('{"events":["'), 0xc3, 0x28, ...new TextEncoder().encode('"]}')]), status: 400 },
    // RFC 8259 lets a parser ignore a BOM; the UTF-8 decoder does
    { name: 'UTF-8 byte order mark before the JSON', body: () => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CAPTURED_BODY)]), status: 200 },
    { name: 'UTF-16 body', body: () => new Uint8Array(Buffer.from(CAPTURED_BODY, 'utf16le')), status: 400 },
  ];

  it.each(rows)('$name -> $status', async ({ headers = [], body, status }) => {
    expect(await deliver(rejectingHandler(), [AUTH, ...headers], body())).toBe(status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

const vendorBody = (name: string) => readFileSync(new URL(`../../../fixtures/vendors/${name}.json`, import.meta.url), 'utf8');
const GHCR_SECRET = 'hostile-ghcr-secret';
const ACR_TOKEN = 'hostile-acr-token';
const ghcrHeaders = (body: string, delivery: string): [string, string][] => [
  ['content-type', 'application/json'],
  ['x-github-event', 'package'],
  ['x-github-delivery', delivery],
  ['x-hub-signature-256', `sha256=${createHmac('sha256', GHCR_SECRET).update(body).digest('hex')}`],
];

/** A deduplicating multi-vendor receiver that counts the handler runs per registry. */
function countingReceiver(): { hooks: WebhookHandler; runs: Record<string, number> } {
  const runs: Record<string, number> = {};
  const hooks = createWebhookHandler({
    formats: ['distribution', 'quay', 'ghcr', 'acr'],
    auth: { bearer: TOKEN, quay: { unauthenticated: true }, ghcr: { secret: GHCR_SECRET }, acr: { headers: { 'X-Acr-Token': ACR_TOKEN } } },
  })
    .on('artifact.pushed', (event) => void (runs[event.registry.kind] = (runs[event.registry.kind] ?? 0) + 1))
    .onError(() => {});
  return { hooks, runs };
}

describe('hostile deliveries to a deduplicating receiver: each sequence runs the handlers it should', () => {
  const quay = vendorBody('quay/repo-push');
  const ghcr = vendorBody('ghcr/package-published');
  const acrWithDistributionId = JSON.stringify({ ...(JSON.parse(vendorBody('acr/push')) as object), id: capturedEvent['id'] });
  it.each([
    { name: 'two separate Quay pushes of one repo:tag (nothing in the body tells them apart)', deliveries: [[[['content-type', 'application/json']], quay], [[['content-type', 'application/json']], quay]], runs: { quay: 2 } },
    {
      name: 'one signed GHCR body replayed with three X-GitHub-Delivery ids',
      deliveries: ['d-1', 'd-2', 'd-3'].map((id) => [ghcrHeaders(ghcr, id), ghcr]),
      runs: { ghcr: 1 },
    },
    {
      name: "an ACR body carrying a distribution event's id, then that distribution event",
      deliveries: [
        [[['content-type', 'application/json'], ['x-acr-token', ACR_TOKEN]], acrWithDistributionId],
        [[AUTH], CAPTURED_BODY],
      ],
      runs: { acr: 1, distribution: 1 },
    },
  ] as { name: string; deliveries: [[string, string][], string][]; runs: Record<string, number> }[])('$name', async ({ deliveries, runs }) => {
    const receiver = countingReceiver();
    for (const [headers, body] of deliveries) expect(await deliver(receiver.hooks, headers, body)).toBe(200);
    expect(receiver.runs).toEqual(runs);
  });

  it('an event with no action and a malformed digest: both issues are reported', async () => {
    const { action: _action, ...actionless } = structuredClone(capturedEvent) as { action: unknown; target: Record<string, unknown> };
    actionless.target['digest'] = 'nope';
    const invalid: InvalidPayload[] = [];
    const hooks = rejectingHandler().onInvalid((payload) => void invalid.push(payload));
    expect(await deliver(hooks, [AUTH], JSON.stringify({ events: [actionless] }))).toBe(400);
    expect(invalid.flatMap(({ issues }) => issues.map((issue) => issue.path))).toEqual(['events[0].action', 'events[0].target.digest']);
  });
});

describe('hostile Trigger filters: inherited properties never match, deep nesting is a typed error', () => {
  const cloudEvent = { specversion: '1.0', id: 'x', source: '//registry', type: 'io.regevents.artifact.pushed' };
  const nested = (levels: number, dialect: 'not' | 'all'): SubscriptionsAPIFilter => {
    let filter: SubscriptionsAPIFilter = { exact: { type: 'io.regevents.artifact.pushed' } };
    for (let i = 0; i < levels; i++) filter = dialect === 'not' ? { not: filter } : { all: [filter] };
    return filter;
  };
  it.each([
    { name: 'exact: { constructor }', filter: { exact: { constructor: String(Object) } } },
    { name: 'prefix: { toString }', filter: { prefix: { toString: 'function' } } },
    { name: 'suffix: { hasOwnProperty }', filter: { suffix: { hasOwnProperty: '}' } } },
  ])('$name does not match an event without that attribute', ({ filter }) => {
    expect(matchesTriggerFilter(cloudEvent, { filters: [filter] })).toBe(false);
  });
  it.each(['not', 'all'] as const)('20,000 nested %s: UnsupportedFilterError in bounded time', (dialect) => {
    const { ms } = timed(() => expect(() => matchesTriggerFilter(cloudEvent, { filters: [nested(20_000, dialect)] })).toThrow(UnsupportedFilterError));
    expect(ms).toBeLessThan(HANG_THRESHOLD_MS);
  });
});

describe('hostile Authorization headers: each variant has its expected status', () => {
  it.each([
    { authorization: undefined, status: 401 },
    { authorization: 'Bearer', status: 401 },
    { authorization: 'Bearer ', status: 401 },
    { authorization: `Bearer ${TOKEN}`, status: 200 },
    { authorization: `bearer \t ${TOKEN}`, status: 200 },
    { authorization: `BEARER ${TOKEN}   `, status: 200 },
    { authorization: `Bearer ${TOKEN} extra`, status: 401 },
    { authorization: `Bearer "${TOKEN}"`, status: 401 },
    { authorization: `Bearer ${TOKEN}x`, status: 401 },
    { authorization: `Bearer ${TOKEN.slice(0, -1)}`, status: 401 },
    { authorization: `Bearer ${TOKEN.toUpperCase()}`, status: 401 },
    { authorization: `Basic ${TOKEN}`, status: 401 },
    { authorization: `Basic ${btoa(`user:${TOKEN}`)}`, status: 401 },
    { authorization: `Bearer wrong, Bearer ${TOKEN}`, status: 200 },
    { authorization: `Bearer ${TOKEN.replace('o', '\u00f6')}`, status: 401 },
    { authorization: `Bearer=${TOKEN}`, status: 401 },
    { authorization: 'x'.repeat(64 * 1024), status: 401 },
  ])('Authorization: $authorization -> $status', async ({ authorization, status }) => {
    const headers: [string, string][] = authorization === undefined ? [] : [['authorization', authorization]];
    expect(await deliver(rejectingHandler(), headers)).toBe(status);
  });
});

/** Raw HTTP/1.1 over a socket, for what fetch cannot send: repeated headers as separate lines, a body that stalls. */
function rawExchange(server: LoopbackServer, head: string, body: string): Promise<{ statusLine: string; ms: number }> {
  const { port } = server;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n${body}`));
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => resolve({ statusLine: received.split('\r\n', 1)[0] ?? '', ms: performance.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(HANG_THRESHOLD_MS * 5, () => socket.destroy());
  });
}

describe('hostile requests to createWebhookHandler(...).node on a node:http server', () => {
  let server: LoopbackServer;
  const REQUEST_TIMEOUT_MS = 1_000;
  beforeAll(async () => {
    const handler = rejectingHandler();
    // The handler has no body-read deadline of its own: the server's requestTimeout is what ends a
    // stalled body (node's default is 300 s; set it to what the deployment can afford).
    server = await serveOnLoopback((req, res) => void handler.node(req, res), { server: { requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 100 } });
  });
  afterAll(() => server.close());
  const head = (...lines: string[]) => ['POST /events HTTP/1.1', 'Host: 127.0.0.1', `Content-Type: ${EVENTS_CONTENT_TYPE}`, 'Connection: close', ...lines].join('\r\n');

  it('a body that stalls half-way is cut off by the server (408) after requestTimeout, not held forever', async () => {
    const { statusLine, ms } = await rawExchange(server, head(`Authorization: Bearer ${TOKEN}`, `Content-Length: ${CAPTURED_BODY.length}`), CAPTURED_BODY.slice(0, 100));
    expect(statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + HANG_THRESHOLD_MS);
  });

  it('while a body stalls, other deliveries are answered', async () => {
    const stalled = rawExchange(server, head(`Authorization: Bearer ${TOKEN}`, `Content-Length: ${CAPTURED_BODY.length}`), CAPTURED_BODY.slice(0, 100));
    const { statusLine, ms } = await rawExchange(server, head(`Authorization: Bearer ${TOKEN}`, `Content-Length: ${Buffer.byteLength(CAPTURED_BODY)}`), CAPTURED_BODY);
    expect(statusLine).toBe('HTTP/1.1 200 OK');
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect((await stalled).statusLine).toBe('HTTP/1.1 408 Request Timeout');
  });

  it.each([
    { name: 'two Authorization lines, the second right', lines: ['Authorization: Bearer wrong', `Authorization: Bearer ${TOKEN}`], status: 200 },
    { name: 'two Authorization lines, both wrong', lines: ['Authorization: Bearer wrong', 'Authorization: Basic d3Jvbmc='], status: 401 },
    { name: 'Authorization with an obsolete line folding', lines: ['Authorization: Bearer', ` ${TOKEN}`], status: 400 },
    { name: 'header line without a colon', lines: [`Authorization Bearer ${TOKEN}`], status: 400 },
    { name: 'two Content-Length lines that disagree', lines: [`Authorization: Bearer ${TOKEN}`, `Content-Length: ${Buffer.byteLength(CAPTURED_BODY)}`, 'Content-Length: 3'], status: 400 },
    { name: 'Content-Length over the limit is refused before the body', lines: [`Authorization: Bearer ${TOKEN}`, `Content-Length: ${MAX_BODY_BYTES + 1}`], status: 413 },
  ])('$name -> $status', async ({ lines, status }) => {
    const hasLength = lines.some((line) => line.startsWith('Content-Length'));
    const body = hasLength && lines.some((line) => line === `Content-Length: ${MAX_BODY_BYTES + 1}`) ? '' : CAPTURED_BODY;
    const { statusLine } = await rawExchange(server, head(...lines, ...(hasLength ? [] : [`Content-Length: ${Buffer.byteLength(body)}`])), body);
    expect(statusLine.split(' ')[1]).toBe(String(status));
  });
});

describe('hostile registry configs: each gets its diagnostic, in bounded time, never a throw', () => {
  const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'notifications:', '  endpoints: *i'].join('\n');
  it.each([
    { name: 'YAML alias bomb (10^9 nodes)', text: aliasBomb, code: 'excessive-aliasing' },
    { name: 'merge-key chain through aliases', text: `x: &x {a: 1}\n${Array.from({ length: 200 }, (_, i) => `x${i}: &x${i} {<<: *${i === 0 ? 'x' : `x${i - 1}`}}`).join('\n')}\nnotifications: {endpoints: [{<<: *x199, name: a, url: http://127.0.0.1/}]}`, code: 'excessive-aliasing' },
    { name: 'oversized config', text: `version: 0.1\n# ${'x'.repeat(2 * 1024 * 1024)}`, code: 'input-too-large' },
    { name: '__proto__ as an endpoint key', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - name: a\n      url: http://127.0.0.1/\n      __proto__: {polluted: true}', code: 'unknown-key' },
    { name: 'constructor as a header name list', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - name: a\n      url: http://127.0.0.1/\n      headers: {constructor: notalist}', code: 'header-not-list' },
    { name: 'threshold .nan', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1/", threshold: .nan}', code: 'invalid-type' },
    { name: 'threshold 1e400', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1/", threshold: 1e400}', code: 'invalid-type' },
    { name: 'timeout beyond int64 nanoseconds', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - {name: a, url: "http://127.0.0.1/", timeout: 9999999999h}', code: 'invalid-duration' },
    { name: 'lone surrogate and U+FFFD in a name', text: 'version: 0.1\nnotifications:\n  endpoints:\n    - {url: "http://127.0.0.1/"}\n    - {name: "\ud800\ufffd", url: "http://127.0.0.1/"}', code: 'missing-name' },
    { name: 'tab indentation', text: 'version: 0.1\nnotifications:\n\tendpoints: []', code: 'yaml-syntax' },
    { name: 'unclosed flow collection', text: 'notifications: {endpoints: [', code: 'yaml-syntax' },
    // go-yaml refuses control characters as a syntax error; here the junk reads as a scalar: an error either way
    { name: 'binary junk', text: '\u0000\u0001\u00ff{[', code: 'invalid-type' },
  ])('$name -> $code', ({ text, code }) => {
    const { value, ms } = timed(() => parseRegistryConfig(text));
    expect(ms).toBeLessThan(HANG_THRESHOLD_MS);
    expect(value.diagnostics.map((diagnostic) => diagnostic.code)).toContain(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('hostile input to the regevents CLI: each row has its exit code, and no secret and no raw control character in its output', () => {
  const SECRET = 's3cr3t-value';
  const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e';
  const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
  const capturedTarget = capturedEvent.target as Record<string, unknown>;
  let redirectLoop: LoopbackServer;
  let loopUrl = '';
  beforeAll(async () => {
    redirectLoop = await serveOnLoopback((req, res) => req.resume().on('end', () => res.writeHead(307, { location: req.url ?? '/' }).end()));
    loopUrl = `${redirectLoop.origin}/loop`;
  });
  afterAll(() => redirectLoop.close());

  it.each([
    { name: 'validate: terminal escapes in a key of an invalid body', args: () => ['validate', '-'], stdin: JSON.stringify({ events: [{ ...capturedEvent, target: { ...capturedTarget, annotations: { [ESCAPES]: 5 } } }] }), code: 1 },
    { name: 'validate: terminal escapes in a valid event\'s actor', args: () => ['validate', '-'], stdin: JSON.stringify({ events: [{ ...capturedEvent, actor: { name: ESCAPES } }] }), code: 0 },
    { name: 'send: a malformed --header carrying a token', args: () => ['send', 'push-by-tag/003', '--to', loopUrl, '--header', `Authorization Bearer ${SECRET}`], code: 2 },
    { name: 'send: a --to URL with a password and a bad scheme', args: () => ['send', 'push-by-tag/003', '--to', `ftp://relay:${SECRET}@127.0.0.1/hook`], code: 2 },
    { name: 'send: an unparseable --to URL with a password', args: () => ['send', 'push-by-tag/003', '--to', `http//relay:${SECRET}@127.0.0.1`], code: 2 },
    { name: 'send: a receiver that redirects forever (stops after 10)', args: () => ['send', 'push-by-tag/003', '--to', loopUrl.replace('//', `//relay:${SECRET}@`), '--max-attempts', '1'], code: 1 },
  ])('$name -> exit $code', async ({ args, stdin, code }) => {
    const io = bufferedIo(stdin);
    const started = performance.now();
    expect(await run(args(), io)).toBe(code);
    expect(performance.now() - started).toBeLessThan(HANG_THRESHOLD_MS);
    const printed = [...io.stdout, ...io.stderr].join('\n');
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toMatch(RAW_CONTROLS);
  });
});

/** A body of `total` bytes made on demand (no Content-Length). */
function generatedBody(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
}

describe('hostile requests to the mock registry: each row has its expected status', () => {
  const BASE = 'http://registry.test';
  const MiB = 1024 * 1024;
  const basicAuth: MockRegistryOptions = { auth: { type: 'basic', users: { alice: 'pw' }, rules: [{ repository: 'public/*', actions: ['pull'], users: '*' }] } };
  const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
  const manifestPut = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request(`${BASE}/v2/demo/app/manifests/1`, { method: 'PUT', body, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json', ...headers }, duplex: 'half' } as RequestInit);
  const rows: { name: string; options?: MockRegistryOptions; peer?: string; request: () => Request; status: number }[] = [
    { name: 'anonymous GET /debug/vars on an authenticated registry', options: basicAuth, request: () => new Request(`${BASE}/debug/vars`), status: 401 },
    { name: '/debug/vars from a client outside allowedClients', options: { allowedClients: ['10.0.0.0/8'] }, peer: '192.0.2.1:4000', request: () => new Request(`${BASE}/debug/vars`), status: 403 },
    { name: 'X-Forwarded-For naming an allowed client, from an untrusted peer', options: { allowedClients: ['10.0.0.0/8'] }, peer: '192.0.2.1:4000', request: () => new Request(`${BASE}/v2/`, { headers: { 'x-forwarded-for': '10.0.0.1' } }), status: 403 },
    { name: 'X-Real-Ip naming an allowed client, from an untrusted peer', options: { allowedClients: ['10.0.0.0/8'] }, peer: '192.0.2.1:4000', request: () => new Request(`${BASE}/v2/`, { headers: { 'x-real-ip': '10.0.0.1' } }), status: 403 },
    { name: 'manifest PUT one byte over 4 MiB', request: () => manifestPut(new Uint8Array(4 * MiB + 1)), status: 400 },
    { name: 'manifest PUT streaming 400 MiB without Content-Length', request: () => manifestPut(generatedBody(400 * MiB)), status: 400 },
    { name: 'manifest PUT declaring a 400 MiB Content-Length', request: () => manifestPut('{}', { 'content-length': String(400 * MiB) }), status: 400 },
    { name: 'monolithic upload (oci-1.1) of 512 MiB past maxStorageBytes', options: { flavor: 'oci-1.1', maxStorageBytes: MiB }, request: () => new Request(`${BASE}/v2/demo/app/blobs/uploads/?digest=sha256:${'0'.repeat(64)}`, { method: 'POST', body: generatedBody(512 * MiB), duplex: 'half' } as RequestInit), status: 403 },
    { name: 'Basic credentials of an unknown user', options: basicAuth, request: () => new Request(`${BASE}/v2/`, { headers: { authorization: basic('mallory', 'pw') } }), status: 401 },
    { name: 'upload location that was never issued', request: () => new Request(`${BASE}/v2/demo/app/blobs/uploads/00000000-0000-4000-8000-000000000000`), status: 404 },
  ];

  it.each(rows)('$name -> $status', async ({ options, peer, request, status }) => {
    const registry = createMockRegistry(options);
    const response = await registry.handle(request(), peer);
    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain('pw');
    registry.close();
  });
});

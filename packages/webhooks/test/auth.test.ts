import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveOnLoopback, type LoopbackServer } from '@regevents/registry-harness';
import { createWebhookHandler, WebhookConfigError, type AuthOptions } from '../src/index.js';
import { deliver, fixture, rawPost, TOKEN } from './helpers.js';

const body = fixture('push-by-tag/003.json').body;
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

function statusWith(auth: AuthOptions, headers: HeadersInit, remoteAddress?: string): Promise<number> {
  const hooks = createWebhookHandler({ auth });
  return deliver(hooks, body, { headers, ...(remoteAddress ? { remoteAddress } : {}) }).then((response) => response.status);
}

describe('bearer', () => {
  it('accepts the token, with any scheme case and spacing', async () => {
    for (const value of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer   ${TOKEN}`, `Bearer\t${TOKEN}`, `  Bearer ${TOKEN}  `]) {
      expect(await statusWith({ bearer: TOKEN }, { authorization: value }), value).toBe(200);
    }
  });

  it('refuses a wrong, truncated, extended or differently cased token, and other schemes', async () => {
    for (const value of [`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `Basic ${TOKEN}`, TOKEN, 'Bearer', '']) {
      expect(await statusWith({ bearer: TOKEN }, { authorization: value }), value).toBe(401);
    }
  });

  it('accepts every token of a rotation list', async () => {
    const auth = { bearer: ['old-token-1', TOKEN] };
    expect(await statusWith(auth, { authorization: 'Bearer old-token-1' })).toBe(200);
    expect(await statusWith(auth, { authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await statusWith(auth, { authorization: 'Bearer other' })).toBe(401);
  });

  it('answers 401 with no detail and no WWW-Authenticate hint', async () => {
    const response = await deliver(createWebhookHandler({ auth: { bearer: TOKEN } }), body, { headers: { authorization: 'Bearer wrong' } });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Unauthorized');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });
});

describe('repeated headers (a registry configured with two values sends two header lines)', () => {
  let server: LoopbackServer;
  const hooks = createWebhookHandler({ auth: { bearer: TOKEN } });
  beforeAll(async () => {
    server = await serveOnLoopback(hooks.node);
  });
  afterAll(() => server.close());
  const post = (authorization: string[]) =>
    rawPost(`${server.origin}/events`, { 'content-type': 'application/json', authorization }, body).then((response) => response.status);

  it('node: any of the repeated Authorization lines may carry the token (node itself keeps only the first)', async () => {
    expect(await post(['Bearer wrong', `Bearer ${TOKEN}`])).toBe(200);
    expect(await post([`Bearer ${TOKEN}`, 'Bearer wrong'])).toBe(200);
    expect(await post(['Bearer wrong', 'Bearer also-wrong'])).toBe(401);
  });

  it('fetch: the same, from the comma-joined value', async () => {
    const headers = new Headers();
    headers.append('authorization', 'Bearer wrong');
    headers.append('authorization', `Bearer ${TOKEN}`);
    expect(await statusWith({ bearer: TOKEN }, headers)).toBe(200);
  });
});

describe('basic', () => {
  const auth: AuthOptions = { basic: [{ username: 'registry', password: 'p@ss:word' }, { username: 'next', password: 'n3xt' }] };

  it('accepts each configured pair, with a password containing ":"', async () => {
    expect(await statusWith(auth, { authorization: basic('registry', 'p@ss:word') })).toBe(200);
    expect(await statusWith(auth, { authorization: `basic  ${btoa('next:n3xt')}` })).toBe(200);
  });

  it('refuses crossed pairs, a wrong password and garbage', async () => {
    expect(await statusWith(auth, { authorization: basic('registry', 'n3xt') })).toBe(401);
    expect(await statusWith(auth, { authorization: basic('Registry', 'p@ss:word') })).toBe(401);
    expect(await statusWith(auth, { authorization: 'Basic !!!not-base64' })).toBe(401);
    expect(await statusWith(auth, { authorization: `Bearer ${btoa('registry:p@ss:word')}` })).toBe(401);
  });

  it('handles UTF-8 credentials', async () => {
    const encoded = btoa(String.fromCharCode(...new TextEncoder().encode('jürgen:pässwort')));
    expect(await statusWith({ basic: { username: 'jürgen', password: 'pässwort' } }, { authorization: `Basic ${encoded}` })).toBe(200);
  });
});

describe('static header', () => {
  const auth: AuthOptions = { header: { name: 'X-Registry-Token', value: ['s3cret, with comma', 'second'] } };

  it('matches the header name in any case and trims whitespace', async () => {
    expect(await statusWith(auth, { 'x-registry-token': '  second ' })).toBe(200);
    expect(await statusWith(auth, { 'X-REGISTRY-TOKEN': 's3cret, with comma' })).toBe(200);
  });

  it('refuses other values and a missing header', async () => {
    expect(await statusWith(auth, { 'x-registry-token': 's3cret' })).toBe(401);
    expect(await statusWith(auth, {})).toBe(401);
  });
});

describe('composition', () => {
  it('requires every configured strategy', async () => {
    const auth: AuthOptions = { bearer: TOKEN, ip: { allow: ['10.0.0.0/8'] } };
    expect(await statusWith(auth, { authorization: 'Bearer nope' }, '10.1.2.3')).toBe(401);
    expect(await statusWith(auth, { authorization: `Bearer ${TOKEN}` }, '192.168.1.1')).toBe(401);
    expect(await statusWith(auth, { authorization: `Bearer ${TOKEN}` }, '10.1.2.3')).toBe(200);
  });

  it('unauthenticated must be explicit', async () => {
    expect(() => createWebhookHandler({} as never)).toThrow(WebhookConfigError);
    expect(() => createWebhookHandler({ auth: {} })).toThrow(/no strategy/);
    expect(await statusWith({ unauthenticated: true }, { authorization: '' })).toBe(200);
    expect(() => createWebhookHandler({ auth: { unauthenticated: true, bearer: TOKEN } })).toThrow(WebhookConfigError);
  });
});

describe('configuration errors and secrecy', () => {
  it('an unset environment variable is a clear error at start-up', () => {
    expect(() => createWebhookHandler({ auth: { bearer: process.env.REGEVENTS_SURELY_UNSET } })).toThrow(/auth\.bearer is empty.*environment variable/);
    expect(() => createWebhookHandler({ auth: { bearer: [] } })).toThrow(/lists no value/);
    expect(() => createWebhookHandler({ auth: { basic: { username: 'a:b', password: 'x' } } })).toThrow(/must not contain ":"/);
    expect(() => createWebhookHandler({ auth: { header: { name: 'bad name', value: 'x' } } })).toThrow(/header name/);
  });

  it('errors never echo a secret', () => {
    const secret = ' padded-secret-value ';
    const error = (() => {
      try {
        createWebhookHandler({ auth: { bearer: ['fine-token', secret] } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a configuration error');
    })();
    expect(error.message).toMatch(/auth\.bearer\[1\] has leading or trailing whitespace/);
    expect(error.message + String(error.stack)).not.toContain('padded-secret-value');
    expect(error.message).not.toContain('fine-token');
  });

  it('toString, JSON and inspect show the strategies, never a secret', () => {
    const secrets = ['bearer-secret-aaa', 'basic-password-bbb', 'header-secret-ccc', 'whsec_c2lnbmluZy1zZWNyZXQtZGRkLTMyLWJ5dGVzISE='];
    const hooks = createWebhookHandler({
      auth: {
        bearer: secrets[0] as string,
        basic: { username: 'user', password: secrets[1] as string },
        header: { name: 'X-Token', value: secrets[2] as string },
        standardWebhooks: { secret: secrets[3] as string },
      },
    });
    const shown = [String(hooks), JSON.stringify(hooks), inspect(hooks, { depth: Infinity, showHidden: true }), `${hooks}`];
    for (const text of shown) {
      expect(text).toContain('bearer(1) + basic(1) + header x-token(1) + standardWebhooks');
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain('c2lnbmluZy1zZWNyZXQtZGRkLTMyLWJ5dGVzISE');
    }
  });

  it('with formats, toString, JSON, inspect and errors show vendors and counts, never a vendor secret', () => {
    const secrets = ['bearer-secret-aaa', 'Bearer harbor-secret-bbb', 'acr-secret-ccc', 'gitlab-secret-ddd', 'ghcr-secret-eee', 'jfrog-secret-fff', 'ecr-secret-ggg'];
    const hooks = createWebhookHandler({
      formats: ['distribution', 'harbor', 'harbor-cloudevents', 'acr', 'gitlab', 'ghcr', 'artifactory', 'ecr', 'dockerhub'],
      auth: {
        bearer: secrets[0] as string,
        harbor: { authHeader: secrets[1] as string },
        acr: { headers: { 'X-Acr-Token': secrets[2] as string } },
        gitlab: { headers: { Authorization: secrets[3] as string } },
        ghcr: { secret: ['rotated-ghcr-secret', secrets[4] as string] },
        artifactory: { secret: secrets[5] as string, mode: 'hmac' },
        ecr: { headers: { 'X-Api-Key': secrets[6] as string } },
        dockerhub: { unauthenticated: true },
      },
    });
    const shown = [String(hooks), JSON.stringify(hooks), inspect(hooks, { depth: Infinity, showHidden: true })];
    for (const text of shown) {
      expect(text).toContain(
        'distribution: bearer(1); harbor: auth_header(1); gitlab: headers authorization(1); acr: headers x-acr-token(1); ghcr: x-hub-signature-256(2); artifactory: x-jfrog-event-auth hmac(1); dockerhub: unauthenticated; ecr: headers x-api-key(1)',
      );
      for (const secret of [...secrets, 'rotated-ghcr-secret']) expect(text).not.toContain(secret.replace('Bearer ', ''));
    }
    const error = (() => {
      try {
        createWebhookHandler({ formats: ['harbor', 'acr'], auth: { harbor: { authHeader: ['Bearer fine-harbor-secret', ' padded-vendor-secret'] }, acr: { headers: { 'X-Acr-Token': 'acr-secret-hhh' } } } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a configuration error');
    })();
    expect(error.message).toMatch(/auth\.harbor\.authHeader\[1\] has leading or trailing whitespace/);
    for (const secret of ['padded-vendor-secret', 'fine-harbor-secret', 'acr-secret-hhh']) expect(error.message + String(error.stack)).not.toContain(secret);
  });

  it('a failed authentication logs nothing', async () => {
    const error = vi.spyOn(console, 'error');
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    expect(await statusWith({ bearer: TOKEN }, { authorization: 'Bearer guessed-token' })).toBe(401);
    const vendors = createWebhookHandler({ formats: ['harbor', 'ghcr'], auth: { harbor: { authHeader: 'Bearer harbor-secret' }, ghcr: { secret: 'ghcr-secret' } } });
    const signed = { 'content-type': 'application/json', authorization: 'Bearer guessed', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` };
    expect((await vendors.fetch(new Request('http://127.0.0.1/', { method: 'POST', headers: signed, body: '{"type":"PUSH_ARTIFACT"}' }))).status).toBe(401);
    expect(error).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});

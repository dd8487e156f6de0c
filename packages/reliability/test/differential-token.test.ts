import { fileURLToPath } from 'node:url';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { registryConfig, requirePeers, startRegistry, type RunningRegistry } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersOf } from './api-answers.js';
import { protectedRoutes } from './api-sequences.js';

const peers = requirePeers('docker-registry');
/** Both registries challenge with the same realm and service; nothing needs to answer at the realm, no token is issued here. */
const REALM = 'http://127.0.0.1:9/token';
const SERVICE = 'regevents-differential';
const ROOT_CERTIFICATE = fileURLToPath(new URL('./fixtures/token-root.pem', import.meta.url));

const callers: { name: string; credentials: Record<string, string> }[] = [
  { name: 'anonymous', credentials: {} },
  { name: 'an invalid bearer token', credentials: { authorization: 'Bearer not.a.jwt' } },
  { name: 'Basic credentials (a token registry ignores them)', credentials: { authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` } },
];

describe.skipIf(!peers.available)('token auth challenges: the mock (distribution-2.8, bearer) against docker-registry 2.8.2 with token auth', () => {
  let real: RunningRegistry | undefined;
  const mock = createMockRegistry({ flavor: 'distribution-2.8', auth: { type: 'bearer', realm: REALM, service: SERVICE, users: { alice: 'secret' } } });
  let mockUrl = '';
  let closeMock = async () => {};

  beforeAll(async () => {
    real = await startRegistry({
      config: (base) => ({ ...registryConfig(base), auth: { token: { realm: REALM, service: SERVICE, issuer: 'regevents-differential-issuer', rootcertbundle: ROOT_CERTIFICATE } } }),
    });
    const served = await mock.serve();
    mockUrl = served.url;
    closeMock = served.close;
  });
  afterAll(async () => {
    await real?.stop();
    await closeMock();
    mock.close();
  });

  for (const caller of callers) {
    it(`requests with ${caller.name}`, async () => {
      const expected = await answersOf((real as RunningRegistry).url, protectedRoutes, caller.credentials);
      expect(await answersOf(mockUrl, protectedRoutes, caller.credentials)).toEqual(expected);
    });
  }
});

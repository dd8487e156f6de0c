import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { registryConfig, requirePeers, SCENARIO_USER, scenarios, startRegistry, writeHtpasswd, type RunningRegistry } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersOf, type ApiSession } from './api-answers.js';
import { protectedRoutes, pushImage } from './api-sequences.js';
import { scenarioExchanges, startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

const peers = requirePeers('docker-registry', 'skopeo', 'htpasswd');
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const ALICE = basic(SCENARIO_USER.name, SCENARIO_USER.password);

interface Challenge {
  name: string;
  /** Headers every request of the sequence carries (credentials), unless a request sets its own. */
  credentials: Record<string, string>;
  act: (session: ApiSession) => Promise<void>;
}

const challenges: Challenge[] = [
  { name: 'anonymous', credentials: {}, act: protectedRoutes },
  { name: 'a wrong password', credentials: basic(SCENARIO_USER.name, 'not-the-password'), act: protectedRoutes },
  { name: 'an unknown user', credentials: basic('mallory', SCENARIO_USER.password), act: protectedRoutes },
  { name: 'a bearer token sent to a basic-auth registry', credentials: { authorization: 'Bearer abc.def.ghi' }, act: protectedRoutes },
  { name: 'a malformed Basic header', credentials: { authorization: 'Basic !!not-base64!!' }, act: protectedRoutes },
  {
    name: 'the right credentials, after a push',
    credentials: ALICE,
    act: async (s) => {
      await pushImage(s, 'auth/app', ['1.0']);
      await protectedRoutes(s);
    },
  },
];

describe.skipIf(!peers.available)('auth: the mock (distribution-2.8, htpasswd) against docker-registry 2.8.2 with htpasswd', () => {
  let real: RunningRegistry | undefined;
  let mockUrl = '';
  let closeMock = async () => {};
  let closeRegistry = () => {};
  const proxies: Partial<Record<'real' | 'mock', RecordingProxy>> = {};
  let workDir = '';

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'regevents-differential-auth-'));
    const htpasswdPath = join(workDir, 'htpasswd');
    await writeHtpasswd(htpasswdPath, { [SCENARIO_USER.name]: SCENARIO_USER.password });
    real = await startRegistry({ config: (base) => registryConfig({ ...base, htpasswdPath }) });
    const mock = createMockRegistry({ flavor: 'distribution-2.8', auth: { type: 'basic', realm: 'regevents', htpasswd: await readFile(htpasswdPath, 'utf8') } });
    closeRegistry = () => mock.close();
    const served = await mock.serve();
    mockUrl = served.url;
    closeMock = served.close;
    proxies.real = await startRecordingProxy(real.url);
    proxies.mock = await startRecordingProxy(mockUrl);
  });
  afterAll(async () => {
    await Promise.all([proxies.real?.close(), proxies.mock?.close()]);
    await real?.stop();
    await closeMock();
    closeRegistry();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  for (const challenge of challenges) {
    it(`requests with ${challenge.name}`, async () => {
      const expected = await answersOf((real as RunningRegistry).url, challenge.act, challenge.credentials);
      expect(await answersOf(mockUrl, challenge.act, challenge.credentials)).toEqual(expected);
    });
  }

  for (const scenario of scenarios.filter((candidate) => candidate.registry.auth)) {
    it(`${scenario.name}: ${scenario.description}, every request and answer through a recording proxy`, async () => {
      const expected = await scenarioExchanges(proxies.real as RecordingProxy, scenario, workDir);
      expect(await scenarioExchanges(proxies.mock as RecordingProxy, scenario, workDir)).toEqual(expected);
    });
  }
});

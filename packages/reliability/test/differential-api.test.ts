import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@regevents/mock-registry';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { OCI_MANIFEST, requirePeers, scenarios, startRegistry, type RunningRegistry } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersOf, ApiSession, locationOf, normaliseUrl, withQuery } from './api-answers.js';
import { apiSequences, imageManifest, pushImage, type Sequence } from './api-sequences.js';
import { scenarioExchanges, startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

const peers = requirePeers('docker-registry', 'skopeo');
const encoder = new TextEncoder();
const ARTIFACT = 'application/vnd.example.signature';

/** Issue #13's table: each row names the request in the issue's words. */
const rows: Sequence[] = [
  {
    name: 'GET/HEAD /v2/<name>/manifests/.INVALID_MANIFEST_NAME',
    act: async (s, repo) => {
      await pushImage(s, repo, ['1.0']);
      await s.probe('GET', `/v2/${repo}/manifests/.INVALID_MANIFEST_NAME`, { headers: { accept: OCI_MANIFEST } });
      await s.probe('HEAD', `/v2/${repo}/manifests/.INVALID_MANIFEST_NAME`, { headers: { accept: OCI_MANIFEST } });
    },
  },
  {
    name: "tags/list after the repository's only manifest was deleted",
    act: async (s, repo) => {
      const digest = await pushImage(s, repo, ['1.0']);
      await s.probe('DELETE', `/v2/${repo}/manifests/${digest}`);
      await s.probe('GET', `/v2/${repo}/tags/list`);
    },
  },
  {
    name: 'tags/list with an untagged manifest and no tags',
    act: async (s, repo) => {
      await pushImage(s, repo, []);
      await s.probe('GET', `/v2/${repo}/tags/list`);
    },
  },
  {
    name: 'tags/list `n`, `last`',
    act: async (s, repo) => {
      await pushImage(s, repo, ['a', 'b', 'c', 'd']);
      await s.probe('GET', `/v2/${repo}/tags/list?n=2`);
      await s.probe('GET', `/v2/${repo}/tags/list?n=2&last=b`);
      await s.probe('GET', `/v2/${repo}/tags/list?last=c`);
    },
  },
  {
    name: 'tags/list `?n=-1`, `?n=abc`',
    act: async (s, repo) => {
      await pushImage(s, repo, ['a', 'b']);
      await s.probe('GET', `/v2/${repo}/tags/list?n=-1`);
      await s.probe('GET', `/v2/${repo}/tags/list?n=abc`);
    },
  },
  {
    name: '`_catalog` with repositories holding only blobs (mount targets)',
    act: async (s) => {
      // `catalog/…` sorts before every other row's repositories, so `last=catalog&n=3` sees only these three
      await pushImage(s, 'catalog/with-manifest', ['1.0']);
      const blob = await s.pushBlob('catalog/blob-source', encoder.encode('a blob without a manifest'));
      await s.probe('POST', `/v2/catalog/mount-target/blobs/uploads/?mount=${blob}&from=catalog/blob-source`);
      await s.probe('GET', '/v2/_catalog?last=catalog&n=3');
    },
  },
  {
    name: 'GET /v2/<name>/referrers/<digest>',
    act: async (s, repo) => {
      const digest = await pushImage(s, repo, ['1.0']);
      await s.probe('GET', `/v2/${repo}/referrers/${digest}`);
      await s.probe('GET', `/v2/${repo}/referrers/${digest}?artifactType=${encodeURIComponent(ARTIFACT)}`);
    },
  },
  {
    name: 'PUT manifest with `subject`',
    act: async (s, repo) => {
      const subject = await pushImage(s, repo, ['1.0']);
      const referrer = imageManifest({ artifactType: ARTIFACT, subject: { mediaType: OCI_MANIFEST, digest: subject, size: imageManifest().length } });
      await s.probe('PUT', `/v2/${repo}/manifests/${digestOf(encoder.encode(referrer))}`, { body: referrer, headers: { 'content-type': OCI_MANIFEST } });
      await s.probe('GET', `/v2/${repo}/manifests/sha256-${subject.slice('sha256:'.length)}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
    },
  },
  {
    name: 'POST uploads `?digest=` with a body',
    act: async (s, repo) => {
      const blob = encoder.encode('monolithic body');
      const digest = digestOf(blob);
      await s.probe('POST', `/v2/${repo}/blobs/uploads/?digest=${digest}`, { body: blob, headers: { 'content-type': 'application/octet-stream' } });
      await s.probe('HEAD', `/v2/${repo}/blobs/${digest}`);
    },
  },
  {
    name: 'PATCH whose `Content-Range` does not match the offset',
    act: async (s, repo) => {
      let location = locationOf(await s.setup('POST', `/v2/${repo}/blobs/uploads/`));
      location = locationOf(await s.probe('PATCH', location, { body: encoder.encode('01234'), headers: { 'content-type': 'application/octet-stream', 'content-range': '0-4' } }));
      location = locationOf(await s.probe('PATCH', location, { body: encoder.encode('56789'), headers: { 'content-type': 'application/octet-stream', 'content-range': '10-14' } }));
      await s.probe('GET', location);
      await s.probe('PUT', withQuery(location, `digest=${digestOf(encoder.encode('0123456789'))}`));
    },
  },
  {
    name: 'upload after a PUT with a wrong digest',
    act: async (s, repo) => {
      const wrong = `digest=${digestOf(encoder.encode('something else'))}`;
      const started = locationOf(await s.setup('POST', `/v2/${repo}/blobs/uploads/`));
      const patched = locationOf(await s.probe('PATCH', started, { body: encoder.encode('payload'), headers: { 'content-type': 'application/octet-stream' } }));
      await s.probe('PUT', withQuery(patched, wrong));
      await s.probe('GET', patched);
      await s.probe('PUT', withQuery(patched, `digest=${digestOf(encoder.encode('payload'))}`));
      // a PUT that carries a body appends it before the digest check, so its Location's `_state` is stale afterwards
      const second = locationOf(await s.setup('POST', `/v2/${repo}/blobs/uploads/`));
      await s.probe('PUT', withQuery(second, wrong), { body: encoder.encode('payload'), headers: { 'content-type': 'application/octet-stream' } });
      await s.probe('GET', second);
    },
  },
  {
    name: 'GET with a stale `_state` upload location',
    act: async (s, repo) => {
      const stale = locationOf(await s.setup('POST', `/v2/${repo}/blobs/uploads/`));
      const fresh = locationOf(await s.probe('PATCH', stale, { body: encoder.encode('chunk'), headers: { 'content-type': 'application/octet-stream' } }));
      await s.probe('GET', stale);
      await s.probe('GET', fresh);
    },
  },
  {
    name: 'MANIFEST_INVALID `detail`',
    act: async (s, repo) => {
      await s.probe('PUT', `/v2/${repo}/manifests/1.0`, { body: '{"schemaVersion": 2, not json', headers: { 'content-type': OCI_MANIFEST } });
      await s.probe('PUT', `/v2/${repo}/manifests/1.0`, { body: '', headers: { 'content-type': OCI_MANIFEST } });
    },
  },
];

interface SkopeoOutcome {
  exitCode: number;
  stdout: unknown;
}

/** `skopeo list-tags`, which exits 1 where a registry answers an error; the registry's address is normalised in its output. */
function listTags(host: string, repository: string): Promise<SkopeoOutcome> {
  return new Promise((resolve) => {
    execFile('skopeo', ['list-tags', '--tls-verify=false', `docker://${host}/${repository}`], (error, stdout) => {
      const text = normaliseUrl(stdout, [host]);
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: text ? (JSON.parse(text) as unknown) : '' });
    });
  });
}

/** The harness's skopeo scenarios whose registry needs no auth (one registry, without htpasswd, serves this whole file). */
const apiScenarios = scenarios.filter((scenario) => !scenario.registry.auth);

describe.skipIf(!peers.available)('HTTP API: the mock (distribution-2.8) against docker-registry 2.8.2, answer by answer', () => {
  let real: RunningRegistry | undefined;
  const mock = createMockRegistry({ flavor: 'distribution-2.8' });
  let mockUrl = '';
  let closeMock = async () => {};
  const proxies: Partial<Record<'real' | 'mock', RecordingProxy>> = {};
  let workDir = '';

  beforeAll(async () => {
    real = await startRegistry();
    const served = await mock.serve();
    mockUrl = served.url;
    closeMock = served.close;
    proxies.real = await startRecordingProxy(real.url);
    proxies.mock = await startRecordingProxy(mockUrl);
    workDir = await mkdtemp(join(tmpdir(), 'regevents-differential-api-'));
  });
  afterAll(async () => {
    await Promise.all([proxies.real?.close(), proxies.mock?.close()]);
    await real?.stop();
    await closeMock();
    mock.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const compare = (prefix: string, sequences: Sequence[]) =>
    sequences.forEach((sequence, index) => {
      it(sequence.name, async () => {
        const repository = `${prefix}/${index}`;
        const expected = await answersOf((real as RunningRegistry).url, (s) => sequence.act(s, repository));
        expect(await answersOf(mockUrl, (s) => sequence.act(s, repository))).toEqual(expected);
      });
    });

  describe('the rows of the 2.8.2-versus-mock table', () => compare('diff/row', rows));
  describe('more request sequences clients send', () => compare('diff/sequence', apiSequences));

  it('skopeo list-tags on an emptied repository', async () => {
    const outcome = async (origin: string, host: string) => {
      const session = new ApiSession(origin);
      const digest = await pushImage(session, 'diff/emptied', ['1.0']);
      await session.setup('DELETE', `/v2/diff/emptied/manifests/${digest}`);
      return listTags(host, 'diff/emptied');
    };
    const expected = await outcome((real as RunningRegistry).url, (real as RunningRegistry).host);
    expect(await outcome(mockUrl, new URL(mockUrl).host)).toEqual(expected);
  });

  describe('skopeo scenarios, every request and answer through a recording proxy', () => {
    for (const scenario of apiScenarios) {
      it(`${scenario.name}: ${scenario.description}`, async () => {
        const expected = await scenarioExchanges(proxies.real as RecordingProxy, scenario, workDir);
        expect(await scenarioExchanges(proxies.mock as RecordingProxy, scenario, workDir)).toEqual(expected);
      });
    }
  });
});

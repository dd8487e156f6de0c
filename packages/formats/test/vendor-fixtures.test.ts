import { capturedBodies } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { detectFormat, identifiesOccurrence, normalize, type NormalizedRegistryEvent } from '../src/index.js';
import { fixture, vendorFixtures } from './fixtures.js';

/** Expected values, written from reading each fixture (not from this package's output). */
type Expected = Omit<NormalizedRegistryEvent, 'raw' | 'id' | 'occurredAt'> & { occurredAt: string; id?: string };

const NOW = new Date('2030-01-02T03:04:05Z');
const DERIVED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FRESH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Google's published examples truncate the digest; it is kept as published.
const GAR_DIGEST = 'sha256:6ec128e26cd5...';
const GAR = { kind: 'gar' as const, host: 'us-west1-docker.pkg.dev' };
const HARBOR_DIGEST_954 = 'sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4';

const EXPECTED: Record<string, Expected[]> = {
  'harbor/push-artifact': [{ kind: 'artifact.pushed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: HARBOR_DIGEST_954, actor: 'harbor-jobservice', occurredAt: '2023-04-03T06:04:53.000Z' }],
  'harbor/pull-artifact': [{ kind: 'artifact.pulled', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: HARBOR_DIGEST_954, actor: 'robot$harbor+wHSYCuGD-Trivy-8e2e7505-d1e6-11ed-9e71-0242ac130009', occurredAt: '2023-04-03T06:12:52.000Z' }],
  'harbor/delete-artifact': [{ kind: 'artifact.deleted', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:2bb501e6173d9d006e56de5bce2720eb06396803300fe1687b58a7ff32bf4c14', tag: '3.8', actor: 'harbor-jobservice', occurredAt: '2023-04-03T06:16:38.000Z' }],
  'harbor/scanning-completed': [{ kind: 'scan.completed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: HARBOR_DIGEST_954, actor: 'auto', occurredAt: '2023-04-03T06:12:55.000Z' }],
  'harbor/scanning-stopped': [{ kind: 'scan.stopped', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:e802987f152d7826cf929ad4999fb3bb956ce7a30966aeb46c749f9120eaf22c', actor: 'auto', occurredAt: '2023-04-03T06:12:14.000Z' }],
  'harbor/scanning-failed': [{ kind: 'scan.failed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:dabea2944dcc2b86482b4f0b0fb62da80e0673e900c46c0e03b45919881a5d84', actor: 'auto', occurredAt: '2023-04-03T07:11:25.000Z' }],
  'harbor/quota-exceed': [{ kind: 'quota.exceeded', registry: { kind: 'harbor' }, repository: 'harbor/alpine', digest: 'sha256:402d21757a03a114d273bbe372fa4b9eca567e8b6c332fa7ebf982b902207242', occurredAt: '2023-04-03T07:04:44.000Z' }],
  'harbor/quota-warning': [{ kind: 'quota.warning', registry: { kind: 'harbor' }, repository: 'harbor/alpine', digest: 'sha256:514ec80ffbe1a2ab1d9a3d5e6082296296a1d8b6870246edf897228e5df2367d', occurredAt: '2023-04-03T07:07:33.000Z' }],
  'harbor/replication': [{ kind: 'replication.status', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor', actor: 'MANUAL', occurredAt: '2023-04-03T06:05:04.000Z' }],
  'harbor/tag-retention': [{ kind: 'retention.finished', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor', actor: 'MANUAL', occurredAt: '2023-04-03T06:16:38.000Z' }],
  'harbor-cloudevents/push-artifact': [{ kind: 'artifact.pushed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: HARBOR_DIGEST_954, actor: 'harbor-jobservice', occurredAt: '2023-04-03T06:04:46.000Z', id: '66e18103-09c1-41f6-982f-37df223f3eeb' }],
  'harbor-cloudevents/pull-artifact': [{ kind: 'artifact.pulled', registry: { kind: 'harbor', host: 'harbor.dev' }, repository: 'library/busybox', digest: 'sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c', actor: 'robot$library+scanner-Trivy-51fe4548-bbe5-11ed-9217-0242ac14000d', occurredAt: '2023-03-06T06:08:43.000Z', id: '4b2f89a6-548d-4c12-9993-a1f5790b97d2' }],
  'harbor-cloudevents/delete-artifact': [{ kind: 'artifact.deleted', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:2bb501e6173d9d006e56de5bce2720eb06396803300fe1687b58a7ff32bf4c14', tag: '3.8', actor: 'harbor-jobservice', occurredAt: '2023-04-03T06:16:38.000Z', id: '343f1623-7cba-487c-88f1-c5ebf55e93aa' }],
  'harbor-cloudevents/scanning-completed': [{ kind: 'scan.completed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: HARBOR_DIGEST_954, actor: 'auto', occurredAt: '2023-04-03T06:12:55.000Z', id: '64bce2fe-6159-454d-8389-852d01ef1e9d' }],
  'harbor-cloudevents/scanning-stopped': [{ kind: 'scan.stopped', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:e802987f152d7826cf929ad4999fb3bb956ce7a30966aeb46c749f9120eaf22c', actor: 'auto', occurredAt: '2023-04-03T06:12:14.000Z', id: 'a8a03301-9e31-433f-ace3-240ac16f17b7' }],
  'harbor-cloudevents/scanning-failed': [{ kind: 'scan.failed', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor/alpine', digest: 'sha256:dabea2944dcc2b86482b4f0b0fb62da80e0673e900c46c0e03b45919881a5d84', actor: 'auto', occurredAt: '2023-04-03T07:11:25.000Z', id: 'bdfe1de3-c069-4efc-b4f4-1a75c9a148c4' }],
  'harbor-cloudevents/quota-exceed': [{ kind: 'quota.exceeded', registry: { kind: 'harbor' }, repository: 'harbor/alpine', digest: 'sha256:402d21757a03a114d273bbe372fa4b9eca567e8b6c332fa7ebf982b902207242', occurredAt: '2023-04-03T07:04:44.000Z', id: '81f243ce-699c-44d6-9dbe-b2ee5f10237a' }],
  'harbor-cloudevents/quota-warning': [{ kind: 'quota.warning', registry: { kind: 'harbor' }, repository: 'harbor/alpine', digest: 'sha256:514ec80ffbe1a2ab1d9a3d5e6082296296a1d8b6870246edf897228e5df2367d', occurredAt: '2023-04-03T07:07:33.000Z', id: '1267b437-ea5a-4e06-bbe5-75e6fde733d3' }],
  'harbor-cloudevents/replication': [{ kind: 'replication.status', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor', actor: 'MANUAL', occurredAt: '2023-04-03T06:05:04.000Z', id: 'e3005250-ffa8-4a10-af92-91fe25cca22c' }],
  'harbor-cloudevents/tag-retention': [{ kind: 'retention.finished', registry: { kind: 'harbor', host: 'localhost' }, repository: 'harbor', actor: 'MANUAL', occurredAt: '2023-04-03T06:16:38.000Z', id: 'a8618595-6fa0-4cf4-afdc-870459b1d7f6' }],
  'gitlab/push-with-meta': [{ kind: 'artifact.pushed', registry: { kind: 'gitlab', host: 'registry.test:5000' }, repository: 'root/test', digest: 'sha256:af06af3514c44a964d3b905b498cf6493db8f1cde7c10e078213a89c87308ba0', tag: 'latest', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 528, actor: 'root', occurredAt: '2023-01-25T03:45:54.173Z', id: 'a582a0f3-e620-43e6-8e98-ff850fc9d984' }],
  'gitlab/rename': [{ kind: 'repository.renamed', registry: { kind: 'gitlab' }, repository: 'foo/bar', occurredAt: '0001-01-01T00:00:00.000Z' }],
  'acr/push': [{ kind: 'artifact.pushed', registry: { kind: 'acr', host: 'myregistry.azurecr.io' }, repository: 'hello-world', digest: 'sha256:xxxxd5c8786bb9e621a45ece0dbxxxx1cdc624ad20da9fe62e9d25490f33xxxx', tag: 'v1', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 524, occurredAt: '2023-11-17T16:52:01.343Z', id: 'cb8c3971-9adc-488b-xxxx-43cbb4974ff5' }],
  'acr/delete': [{ kind: 'artifact.deleted', registry: { kind: 'acr', host: 'myregistry.azurecr.io' }, repository: 'hello-world', digest: 'sha256:xxxxd5c8786bb9e621a45ece0dbxxxx1cdc624ad20da9fe62e9d25490f33xxxx', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', occurredAt: '2023-11-17T16:54:53.657Z', id: 'afc359ce-df7f-4e32-xxxx-1ff8aa80927b' }],
  'acr/chart-push': [{ kind: 'artifact.pushed', registry: { kind: 'acr' }, repository: 'repo', digest: 'sha256:xxxx8075264b5ba7c14c23672xxxx52ae6a3ebac1c47916e4efe19cd624dxxxx', tag: 'wordpress-5.4.0.tgz', mediaType: 'application/vnd.acr.helm.chart', size: 25265, occurredAt: '2023-03-05T23:45:31.261Z', id: '6356e9e0-627f-4fed-xxxx-d9059b5143ac' }],
  'acr/chart-delete': [{ kind: 'artifact.deleted', registry: { kind: 'acr' }, repository: 'repo', digest: 'sha256:xxxx8075264b5ba7c14c23672xxxx52ae6a3ebac1c47916e4efe19cd624dxxxx', tag: 'wordpress-5.4.0.tgz', mediaType: 'application/vnd.acr.helm.chart', size: 25265, occurredAt: '2023-03-06T00:10:48.127Z', id: '338a3ef7-ad68-4128-xxxx-fdd3af8e8f67' }],
  'dockerhub/push': [{ kind: 'artifact.pushed', registry: { kind: 'dockerhub', host: 'docker.io' }, repository: 'svendowideit/testhook', tag: 'latest', actor: 'trustedbuilder', occurredAt: '2014-12-03T00:22:41.000Z' }],
  'quay/repo-push': [{ kind: 'artifact.pushed', registry: { kind: 'quay', host: 'quay.io' }, repository: 'dgangaia/test', tag: 'latest', occurredAt: NOW.toISOString() }],
  'ghcr/package-published': [{ kind: 'artifact.pushed', registry: { kind: 'ghcr', host: 'ghcr.io' }, repository: 'Codertocat/hello-world-npm/image-1', digest: 'sha256:3da1996a8115d7616457760d9920b815241d0a03b34cf5f04e9a0e9d8de37498', tag: 'v1', actor: 'Codertocat', occurredAt: '2019-05-09T23:28:30.000Z' }],
  'gar/insert-digest': [{ kind: 'artifact.pushed', registry: GAR, repository: 'my-project/my-repo/hello-world', digest: GAR_DIGEST, occurredAt: NOW.toISOString() }],
  'gar/insert-tag': [{ kind: 'artifact.pushed', registry: GAR, repository: 'my-project/my-repo/hello-world', digest: GAR_DIGEST, tag: '1.1', occurredAt: NOW.toISOString() }],
  'gar/delete-tag': [{ kind: 'tag.deleted', registry: GAR, repository: 'my-project/my-repo/hello-world', tag: '1.1', occurredAt: NOW.toISOString() }],
  'gar/push-insert-tag': [{ kind: 'artifact.pushed', registry: GAR, repository: 'my-project/my-repo/hello-world', digest: GAR_DIGEST, tag: '1.1', occurredAt: '2021-02-26T19:13:55.749Z', id: '2070443601311540' }],
  'ecr/image-push': [{ kind: 'artifact.pushed', registry: { kind: 'ecr', host: '123456789012.dkr.ecr.us-west-2.amazonaws.com' }, repository: 'my-repository-name', digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234', tag: 'latest', occurredAt: '2019-11-16T01:54:34.000Z', id: '13cde686-328b-6117-af20-0e5566167482' }],
  'ecr/image-delete': [{ kind: 'artifact.deleted', registry: { kind: 'ecr', host: '123456789012.dkr.ecr.us-west-2.amazonaws.com' }, repository: 'my-repository-name', digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234', tag: 'latest', occurredAt: '2019-11-16T02:01:05.000Z', id: 'dd3b46cb-2c74-f49e-393b-28286b67279d' }],
  'artifactory/docker-pushed': [{ kind: 'artifact.pushed', registry: { kind: 'artifactory' }, repository: 'library/ubuntu', digest: 'sha256:35c4a2c15539c6c1e4e5fa4e554dac323ad0107d8eb5c582d6ff386b383b7dce', tag: 'latest', size: 1206, occurredAt: NOW.toISOString() }],
};

const HARBOR_TYPES = ['PUSH_ARTIFACT', 'PULL_ARTIFACT', 'DELETE_ARTIFACT', 'SCANNING_COMPLETED', 'SCANNING_FAILED', 'SCANNING_STOPPED', 'QUOTA_EXCEED', 'QUOTA_WARNING', 'REPLICATION', 'TAG_RETENTION'];

describe('vendor fixtures', () => {
  const all = vendorFixtures();

  it('every fixture names where it came from', () => {
    for (const { name, meta } of all) {
      expect(typeof meta['source'], name).toBe('string');
      expect(meta['commit'] ?? meta['docsUrl'], `${name}: needs a commit or a docs URL`).toBeTypeOf('string');
    }
  });

  it('Harbor has a Default fixture for each of its ten event types', () => {
    const types = all.filter((f) => f.folder === 'harbor').map((f) => (JSON.parse(f.text) as { type: string }).type);
    expect(types.sort()).toEqual([...HARBOR_TYPES].sort());
  });

  it('Harbor has a CloudEvents fixture for each of its ten event types', () => {
    const types = all.filter((f) => f.folder === 'harbor-cloudevents').map((f) => (JSON.parse(f.text) as { type: string }).type);
    expect(types.sort()).toEqual(['harbor.artifact.deleted', 'harbor.artifact.pulled', 'harbor.artifact.pushed', 'harbor.quota.exceeded', 'harbor.quota.warned', 'harbor.replication.status.changed', 'harbor.scan.completed', 'harbor.scan.failed', 'harbor.scan.stopped', 'harbor.tag_retention.finished']);
  });

  it('every payload fixture has expectations (and only those)', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(all.filter((f) => f.folder !== 'harbor-policy').map((f) => f.name).sort());
  });

  it.each(Object.entries(EXPECTED))('%s normalizes to the expected values', async (name, expected) => {
    const f = fixture(name);
    const headers = f.meta['headers'] as Record<string, string> | undefined;
    expect(detectFormat(f.text, headers)).toBe(f.folder);
    const events = await normalize(f.text, headers, { now: NOW });
    expect(events).toHaveLength(expected.length);
    for (const [index, event] of events.entries()) {
      const want = expected[index] as Expected;
      expect(event.kind).toBe(want.kind);
      expect(event.registry).toEqual(want.registry);
      expect(event.repository).toBe(want.repository);
      expect(event.digest).toBe(want.digest);
      expect(event.tag).toBe(want.tag);
      expect(event.mediaType).toBe(want.mediaType);
      expect(event.size).toBe(want.size);
      expect(event.actor).toBe(want.actor);
      expect(event.occurredAt.toISOString()).toBe(want.occurredAt);
      if (want.id) expect(event.id).toBe(want.id);
      // derived ids are UUIDv8; an event that identifies no occurrence gets a random UUIDv4
      else expect(event.id).toMatch(identifiesOccurrence(event) ? DERIVED_ID : FRESH_ID);
      expect(event.raw).toBeTypeOf('object');
    }
  });

  it('derived ids are stable: the same body gives the same ids, another body other ids', async () => {
    const first = await normalize(fixture('harbor/push-artifact').text);
    const again = await normalize(fixture('harbor/push-artifact').text);
    const other = await normalize(fixture('harbor/pull-artifact').text);
    expect(again[0]?.id).toBe(first[0]?.id);
    expect(other[0]?.id).not.toBe(first[0]?.id);
    // Key order and whitespace do not change the id: it hashes a canonical form.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(fixture('harbor/push-artifact').text) as object).reverse()));
    expect((await normalize(reordered))[0]?.id).toBe(first[0]?.id);
  });

  it('Quay gives one event per updated tag; nothing in it identifies the push, so each normalization gets fresh ids, never deduplicated', async () => {
    const body = { ...(JSON.parse(fixture('quay/repo-push').text) as object), updated_tags: ['latest', 'v2'] };
    const events = await normalize(body, undefined, { now: NOW });
    expect(events.map((e) => e.tag)).toEqual(['latest', 'v2']);
    const again = await normalize(body, undefined, { now: NOW });
    expect(new Set([...events, ...again].map((e) => e.id)).size).toBe(4);
    expect([...events, ...again].map(identifiesOccurrence)).toEqual([false, false, false, false]);
  });

  it('GAR message data without a message id and Artifactory flat payloads identify no occurrence either; with their ids they do', async () => {
    for (const name of ['gar/insert-tag', 'artifactory/docker-pushed']) {
      const [first] = await normalize(fixture(name).text, undefined, { now: NOW });
      const [second] = await normalize(fixture(name).text, undefined, { now: NOW });
      expect(first && second && [identifiesOccurrence(first), first.id === second.id]).toEqual([false, false]);
    }
    const [withMessageId] = await normalize(fixture('gar/push-insert-tag').text);
    const [withEnvelopeId] = await normalize({ id: 'jfrog-event-1', domain: 'docker', event_type: 'pushed', data: JSON.parse(fixture('artifactory/docker-pushed').text) as object }, undefined, { now: NOW });
    expect([withMessageId, withEnvelopeId].map((event) => event && [identifiesOccurrence(event), event.id])).toEqual([
      [true, '2070443601311540'],
      [true, 'jfrog-event-1'],
    ]);
  });

  it('ids derived from fields that identify the occurrence (Harbor, Docker Hub, GHCR) are stable and deduplicable', async () => {
    for (const name of ['harbor/push-artifact', 'dockerhub/push', 'ghcr/package-published']) {
      const [first] = await normalize(fixture(name).text);
      const [second] = await normalize(fixture(name).text);
      expect(first && second && [identifiesOccurrence(first), first.id === second.id]).toEqual([true, true]);
    }
  });

  it('a plain distribution envelope is read as GitLab when GitLab is accepted and distribution is not', async () => {
    const captured = capturedBodies().find((body) => body.name.endsWith('push-by-tag/003.json'));
    if (!captured) throw new Error('no captured push-by-tag/003.json');
    expect(detectFormat(captured.body)).toBe('distribution');
    const asGitlab = await normalize(captured.body, undefined, { formats: ['gitlab'] });
    const asDistribution = await normalize(captured.body, undefined, { formats: ['gitlab', 'distribution'] });
    expect(asGitlab.map((event) => event.registry.kind)).toEqual(asDistribution.map(() => 'gitlab'));
    expect(asDistribution.every((event) => event.registry.kind === 'distribution')).toBe(true);
    expect(asGitlab.map((event) => [event.kind, event.repository, event.digest])).toEqual(asDistribution.map((event) => [event.kind, event.repository, event.digest]));
    await expect(normalize(captured.body, undefined, { formats: ['harbor'] })).rejects.toThrow(/not among the accepted formats/);
  });

  it('GHCR derives the id from the signed body, not from X-GitHub-Delivery (which a replay can change)', async () => {
    const [plain] = await normalize(fixture('ghcr/package-published').text);
    const [delivered] = await normalize(fixture('ghcr/package-published').text, { 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    const [replayed] = await normalize(fixture('ghcr/package-published').text, { 'X-GitHub-Delivery': crypto.randomUUID() });
    expect(delivered?.id).toBe(plain?.id);
    expect(replayed?.id).toBe(plain?.id);
    expect(plain?.id).toMatch(DERIVED_ID);
  });
  it('the GAR push fixture carries the published message data byte for byte', () => {
    const { message } = JSON.parse(fixture('gar/push-insert-tag').text) as { message: { data: string } };
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(message.data), (char) => char.charCodeAt(0)));
    expect(decoded).toBe(fixture('gar/insert-tag').text);
  });

  it('GAR unwrapped push takes the message id and publish time from the x-goog-pubsub headers', async () => {
    const headers = { 'x-goog-pubsub-message-id': '9876543210', 'x-goog-pubsub-publish-time': '2026-04-08T10:11:12.345Z', 'x-goog-pubsub-subscription-name': 'projects/p/subscriptions/s' };
    const [event] = await normalize(fixture('gar/insert-tag').text, headers, { now: NOW });
    expect(event?.id).toBe('9876543210');
    expect(event?.occurredAt.toISOString()).toBe('2026-04-08T10:11:12.345Z');
    const [withoutHeaders] = await normalize(fixture('gar/insert-tag').text, undefined, { now: NOW });
    expect(withoutHeaders?.id).not.toBe('9876543210');
    expect(withoutHeaders?.occurredAt).toEqual(NOW);
  });

  it('GAR: an empty message id or publish time counts as absent (fresh id, time of normalization)', async () => {
    const envelope = JSON.parse(fixture('gar/push-insert-tag').text) as { message: Record<string, unknown> };
    const emptied = { ...envelope, message: { ...envelope.message, messageId: '', message_id: '', publishTime: '', publish_time: '' } };
    const [event] = await normalize(emptied, undefined, { now: NOW });
    expect(event?.id).toMatch(FRESH_ID);
    expect(event?.occurredAt).toEqual(NOW);
    const [unwrapped] = await normalize(fixture('gar/insert-tag').text, { 'x-goog-pubsub-message-id': '', 'x-goog-pubsub-publish-time': '' }, { now: NOW });
    expect(unwrapped?.id).toMatch(FRESH_ID);
    expect(unwrapped?.occurredAt).toEqual(NOW);
  });

  it('a GAR DELETE naming a digest deletes the image, one naming only a tag deletes the tag', async () => {
    const byDigest = { action: 'DELETE', digest: 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world@sha256:6ec128e26cd5...' };
    expect((await normalize(byDigest))[0]?.kind).toBe('artifact.deleted');
    expect((await normalize(JSON.parse(fixture('gar/delete-tag').text) as object))[0]?.kind).toBe('tag.deleted');
  });
});

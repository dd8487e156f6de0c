import type { Event } from '@regevents/types';
import { describe, expect, it } from 'vitest';
import { normalizeDistributionEvent } from '../src/index.js';

const manifestPush = {
  id: 'b5b3bd2c-0b8c-4b38-9a8c-6c1b0c0b5d01',
  timestamp: '2024-05-01T10:00:00.5Z',
  action: 'push',
  target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:aa', size: 528, length: 528, repository: 'team/app', url: 'http://registry.test/v2/team/app/manifests/sha256:aa', tag: 'v1' },
  request: { id: 'r1', addr: '10.0.0.1:1234', host: 'registry.test:5000', method: 'PUT', useragent: 'skopeo' },
  actor: { name: 'ci' },
  source: { addr: 'registry:5000', instanceID: 'i1' },
} as unknown as Event;

describe('normalizeDistributionEvent', () => {
  it('keeps the field order of a normalized event and sets every field the event carries', () => {
    const normalized = normalizeDistributionEvent(manifestPush);
    expect(Object.keys(normalized)).toEqual(['kind', 'registry', 'repository', 'digest', 'tag', 'mediaType', 'size', 'actor', 'occurredAt', 'id', 'raw']);
    expect(normalized).toStrictEqual({
      kind: 'artifact.pushed',
      registry: { kind: 'distribution', host: 'registry.test:5000' },
      repository: 'team/app',
      digest: 'sha256:aa',
      tag: 'v1',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 528,
      actor: 'ci',
      occurredAt: new Date('2024-05-01T10:00:00.500Z'),
      id: 'b5b3bd2c-0b8c-4b38-9a8c-6c1b0c0b5d01',
      raw: manifestPush,
    });
  });

  it('leaves out, rather than sets to undefined, what the event does not carry', () => {
    const bare = { id: 'e2', timestamp: '2024-05-01T10:00:00Z', action: 'delete', target: { repository: 'team/app', digest: '', tag: '' }, request: {}, actor: {}, source: {} } as unknown as Event;
    const normalized = normalizeDistributionEvent(bare, 'gitlab');
    expect(normalized).toStrictEqual({ kind: 'artifact.deleted', registry: { kind: 'gitlab' }, repository: 'team/app', occurredAt: new Date('2024-05-01T10:00:00Z'), id: 'e2', raw: bare });
    expect(Object.keys(normalized.registry)).toEqual(['kind']);
  });
});

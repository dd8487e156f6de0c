import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { buildImage, requirePeers, skopeoCopy, writeOciLayout } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';

const peers = requirePeers('skopeo');

/** Pushes the layout into a new mock on `port` and returns every path the push requested. */
async function pushedPaths(layout: string, repository: string, port = 0): Promise<{ paths: string[]; port: number }> {
  const paths: string[] = [];
  const registry = createMockRegistry();
  const served = await registry.serve({ port, onRequest: (request) => paths.push(request.path) });
  try {
    await skopeoCopy(layout, `docker://127.0.0.1:${served.port}/${repository}:v1`);
    return { paths, port: served.port };
  } finally {
    await served.close();
    registry.close();
  }
}

// The differential tests compare a copy's requests to two registries; they only hold if what a copy
// asks does not depend on which earlier test used the same port.
describe.skipIf(!peers.available)(`skopeo through the harness ${peers.reason}`, () => {
  it('forgets where blobs were seen: a registry on a reused port gets no mount from a repository it never had', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regevents-skopeo-cache-'));
    try {
      const layout = await writeOciLayout(join(dir, 'image'), buildImage({ seed: 41, layers: 2 }), 'v1');
      const first = await pushedPaths(layout, 'earlier/app');
      expect(first.paths.some((path) => path.startsWith('/v2/earlier/app/blobs/uploads/'))).toBe(true);
      const second = await pushedPaths(layout, 'later/app', first.port);
      expect(second.paths.some((path) => path.startsWith('/v2/later/app/manifests/v1'))).toBe(true);
      expect(second.paths.filter((path) => path.includes('earlier'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

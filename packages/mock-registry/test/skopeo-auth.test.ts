import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, requirePeers, skopeoCopy, writeOciLayout } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockRegistry } from '../src/node/index.js';

const peers = requirePeers('skopeo');

describe.skipIf(!peers.available)('skopeo through the bearer token flow of serve()', () => {
  const registry = createMockRegistry({
    auth: {
      type: 'bearer',
      users: { alice: 'a-secret' },
      rules: [
        { repository: 'public/*', actions: ['pull'] },
        { repository: '*', actions: ['*'], users: ['alice'] },
      ],
    },
  });
  let host = '';
  let workDir = '';
  let source = '';
  let close = async () => {};

  beforeAll(async () => {
    const served = await registry.serve();
    host = `127.0.0.1:${served.port}`;
    close = served.close;
    workDir = await mkdtemp(join(tmpdir(), 'regevents-bearer-'));
    source = await writeOciLayout(join(workDir, 'image'), buildImage({ seed: 8 }), 'v1');
  });
  afterAll(async () => {
    await close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('lets alice push, records her as the actor, and refuses an anonymous push', async () => {
    await skopeoCopy(source, `docker://${host}/public/app:1.0`, { destCreds: 'alice:a-secret' });
    const pushes = registry.events.filter(({ event }) => event.action === 'push');
    expect(pushes).toHaveLength(3);
    expect(pushes.every(({ event }) => event.actor.name === 'alice')).toBe(true);
    await expect(skopeoCopy(source, `docker://${host}/public/other:1.0`)).rejects.toThrow(/unauthorized|authentication required|denied/i);
  });

  it('lets anyone pull from public/*, anonymously', async () => {
    const before = registry.events.length;
    await skopeoCopy(`docker://${host}/public/app:1.0`, `oci:${join(workDir, 'pulled')}:1.0`);
    const pulls = registry.events.slice(before).map(({ event }) => [event.action, event.actor]);
    expect(pulls).toEqual([['pull', {}], ['pull', {}], ['pull', {}]]);
  });
});

import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, registryConfig, requirePeers, skopeoCopy, startRegistry, writeOciLayout } from '../src/index.js';

const peers = requirePeers('docker-registry', 'skopeo');

/** A port some other process holds, as when another test takes the free port the harness was given. */
async function takenPort(): Promise<{ port: number; release(): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, release: () => server.close() };
}

describe.skipIf(!peers.available)('startRegistry', () => {
  it('chooses new ports when its port is taken before the registry binds it, and serves on them', async () => {
    const taken = await takenPort();
    const ports: number[] = [];
    try {
      const registry = await startRegistry({
        // the first start is given the taken port, as if another process got there first
        config: (base) => {
          const port = ports.length === 0 ? taken.port : base.port;
          ports.push(port);
          return registryConfig({ ...base, port });
        },
      });
      try {
        expect(ports).toHaveLength(2);
        expect(ports[0]).toBe(taken.port);
        expect(registry.host).toBe(`127.0.0.1:${ports[1]}`);
        expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
      } finally {
        await registry.stop();
      }
    } finally {
      taken.release();
    }
  });

  it('does not retry a start-up that fails for another reason: it says what the registry said', async () => {
    let starts = 0;
    const failing = startRegistry({
      config: () => {
        starts++;
        return 'version: 0.1\nstorage: {}\n';
      },
    });
    await expect(failing).rejects.toThrow(/docker-registry exited during start-up/);
    expect(starts).toBe(1);
  });

  it('restarts on the same ports and storage: down while whileDown runs, then serving what was pushed before', async () => {
    const registry = await startRegistry();
    const dir = await mkdtemp(join(tmpdir(), 'harness-restart-'));
    try {
      const layout = await writeOciLayout(join(dir, 'image'), buildImage({ seed: 7, layers: 1, layerBytes: 64 }), 'v1');
      await skopeoCopy(layout, `docker://${registry.host}/kept:v1`);
      let downMeanwhile = false;
      await registry.restart({ whileDown: async () => void (downMeanwhile = await fetch(`${registry.url}/v2/`).then(() => false, () => true)) });
      expect(downMeanwhile).toBe(true);
      expect(await (await fetch(`${registry.url}/v2/kept/tags/list`)).json()).toEqual({ name: 'kept', tags: ['v1'] });
    } finally {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restarts even when whileDown throws, and passes the error on', async () => {
    const registry = await startRegistry();
    try {
      await expect(registry.restart({ whileDown: async () => Promise.reject(new Error('step failed')) })).rejects.toThrow('step failed');
      expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    } finally {
      await registry.stop();
    }
  });
});

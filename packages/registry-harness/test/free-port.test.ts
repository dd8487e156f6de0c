import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../src/index.js';

const RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
const ephemeralStart = (() => {
  try {
    return Number(readFileSync(RANGE, 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
})();

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

afterEach(() => vi.restoreAllMocks());

describe.skipIf(ephemeralStart === undefined)(`freePort, with the kernel's ephemeral range in ${RANGE}`, () => {
  it('gives ports below the range the kernel takes outgoing connections from, that a server can listen on', async () => {
    for (let n = 0; n < 20; n++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralStart as number);
      await close(await listenOn(port));
    }
  });

  it('passes over a port a server holds', async () => {
    const held = await listenOn(await freePort());
    try {
      const heldPort = (held.address() as { port: number }).port;
      const share = (port: number) => (port - 10_000 + 0.5) / ((ephemeralStart as number) - 10_000);
      // the first pick is the held port, the second the one after it
      vi.spyOn(Math, 'random').mockReturnValueOnce(share(heldPort)).mockReturnValueOnce(share(heldPort + 1));
      expect(await freePort()).toBe(heldPort + 1);
    } finally {
      await close(held);
    }
  });
});

import { afterEach } from 'vitest';
import { startHttpServer, type RunningServer } from '../src/server.js';

/** What gives a port another server already listens on, so that a command asked to listen there fails mid-start; each is freed after its test. */
export function useTakenPorts(): () => Promise<string> {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async () => {
    const server = await startHttpServer((_req, res) => void res.end(), { port: 0, host: '127.0.0.1' });
    servers.push(server);
    return String(server.port);
  };
}

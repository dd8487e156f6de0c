import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Server, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { commentedOutputs, requirePeers, runnableExamples, startRedis, writeExampleModule, type CodeBlock } from '@regevents/registry-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

async function runExample(block: CodeBlock): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void calls.push(args));
  await import(await writeExampleModule(packageDir, block));
  return calls;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('README', () => {
  const [opening, ...rest] = examples;

  it('opens with the simplest receiver, which serves node:http and logs manifest pushes', async () => {
    expect(opening?.code).toContain("const hooks = createWebhookHandler({ auth: { bearer: process.env.REGISTRY_TOKEN } });\nhooks.on('push:manifest', (event) => console.log(event.target.repository, event.target.tag));\nhttp.createServer(hooks.node).listen(5055);");
    process.env.REGISTRY_TOKEN = 'readme-token';
    // the example listens on 5055 on every interface; the test keeps it on a free loopback port
    const servers: Server[] = [];
    const listen = Server.prototype.listen;
    vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server) {
      servers.push(this);
      return listen.call(this, { port: 0, host: '127.0.0.1' });
    });
    const calls = await runExample(opening as CodeBlock);
    const [server] = servers;
    if (!server) throw new Error('the example started no server');
    try {
      if (!server.listening) await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const post = (token: string) =>
        fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
          body: new Uint8Array(fixture('push-by-tag/003.json').body),
        });
      expect((await post('wrong')).status).toBe(401);
      expect((await post('readme-token')).status).toBe(200);
      expect(calls).toEqual([['demo/app', '1.0']]);
    } finally {
      server.close();
      delete process.env.REGISTRY_TOKEN;
    }
  });

  it('has the framework and Redis examples', () => {
    for (const name of ['express', 'fastify', 'hono', 'createRedisDedupeStore']) expect(rest.some((block) => block.code.includes(name)), name).toBe(true);
  });

  it.each(rest.map((block) => [block.line, block] as const))('example at line %i runs and prints what its comments say', async (_line, block) => {
    let stopRedis: (() => Promise<void>) | undefined;
    if (block.code.includes('REDIS_URL')) {
      if (!requirePeers('redis-server').available) return;
      const redis = await startRedis();
      process.env.REDIS_URL = redis.url;
      stopRedis = redis.stop;
    }
    try {
      const calls = await runExample(block);
      const printed = calls.map((args) => (args.length === 1 ? args[0] : args.join(' ')));
      const expected = commentedOutputs(block.code);
      expect(expected.length).toBeGreaterThan(0);
      for (const output of expected) expect(printed).toContainEqual(output);
    } finally {
      await stopRedis?.();
      delete process.env.REDIS_URL;
    }
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, freePort, registryConfig, requirePeers, skopeoCopy, startRedis, startRegistry, writeOciLayout, type RunningRedis, type RunningRegistry } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegevents } from './background.js';
import { regevents } from './cli.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');

describe.skipIf(!peers.available)('regevents replicate', () => {
  let dir: string;
  let redis: RunningRedis;
  let source: RunningRegistry;
  let target: RunningRegistry;
  let port: number;
  let policyPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-replicate-'));
    port = await freePort();
    const endpoints = [{ name: 'replicate', url: `http://127.0.0.1:${port}/events`, timeout: '1s', threshold: 3, backoff: '500ms' }];
    [redis, source, target] = await Promise.all([startRedis(), startRegistry({ config: (base) => registryConfig({ ...base, notifications: { endpoints } }) }), startRegistry()]);
    policyPath = join(dir, 'replication.yml');
    await writeFile(policyPath, `policies:\n  - name: dc2\n    source: { registry: ${source.url}, tags: ["1.*"] }\n    targets: [{ name: far, registry: ${target.url} }]\n`);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), source?.stop(), target?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('replicates a push by event, then status lists the job and retry refuses a job that did not fail', async () => {
    const worker = startRegevents(['replicate', '--policy', policyPath, '--redis', redis.url, '--port', String(port)]);
    await worker.waitFor(/replicating dc2/);
    const image = buildImage({ seed: 4242, layers: 2 });
    await skopeoCopy(await writeOciLayout(join(dir, 'image'), image, 'x'), `docker://${source.host}/app:1.2`);
    await worker.waitFor(/Success\s+\S+ copy app:1\.2 → far #1 copied/);
    expect(await worker.interrupt()).toBe(0);

    const status = await regevents(['replicate', 'status', '--policy', policyPath, '--redis', redis.url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^completed\s+(\S+) copy app:1\.2 → far failures 0\/8 copied$/m);
    const id = /^completed\s+(\S+)/m.exec(status.stdout)?.[1] as string;
    const retry = await regevents(['replicate', 'retry', id, '--policy', policyPath, '--redis', redis.url]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toContain(`no failed job ${id}`);
  });

  it('refuses a policy file with errors, naming line and column', async () => {
    const bad = join(dir, 'bad.yml');
    await writeFile(bad, 'name: x\nsource: { registry: ftp://a }\ntargets: [{ registry: http://b }]\n');
    const result = await regevents(['replicate', 'status', '--policy', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:2:21 error invalid-url source.registry`);
  });
});

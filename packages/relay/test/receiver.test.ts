import { vendorFixture } from '@regevents/registry-harness';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLog, createRedisLog, type RelayLog } from '../src/index.js';
import { createReceiver } from '../src/receiver.js';
import { freshEnvelope, freshStream, redisPeer, registryRequest, TOKEN, useRedis } from './helpers.js';

async function everything(log: RelayLog) {
  const entries = [];
  for (let partition = 0; partition < log.partitions; partition++) entries.push(...(await log.range(partition, { from: '-', to: '+', count: 1000 })));
  return entries;
}

/** A log whose appends never settle, as a Redis client queueing commands while disconnected. */
function hangingLog(): RelayLog {
  const log = createMemoryLog();
  return { ...log, append: () => new Promise(() => undefined) };
}

describe('the receiver', () => {
  it('appends an accepted event and answers 200; a redelivery appends nothing', async () => {
    const log = createMemoryLog();
    const receiver = createReceiver(log, { auth: { bearer: TOKEN } });
    const { body, ids } = freshEnvelope('push-by-tag/003.json');
    expect((await receiver.fetch(registryRequest(body))).status).toBe(200);
    expect((await receiver.fetch(registryRequest(body))).status).toBe(200);
    const entries = await everything(log);
    expect(entries.map((entry) => [entry.record.key, entry.record.format, entry.record.repository])).toEqual([[`distribution:${ids[0]}`, 'distribution', 'demo/app']]);
    expect((entries[0]?.record.event as { id: string }).id).toBe(ids[0]);
    expect(receiver.stats()).toMatchObject({ appended: 1, duplicates: 1, failed: 0 });
    expect(receiver.stats().latency.count).toBe(2);
  });

  it('appends nothing for a delivery that fails authentication', async () => {
    const log = createMemoryLog();
    const receiver = createReceiver(log, { auth: { bearer: TOKEN } });
    expect((await receiver.fetch(registryRequest(freshEnvelope('push-by-tag/003.json').body, 'wrong'))).status).toBe(401);
    expect(await everything(log)).toEqual([]);
  });

  it('answers 503 with retry-after once the append deadline passes, not when the registry gives up', async () => {
    const receiver = createReceiver(hangingLog(), { auth: { bearer: TOKEN }, appendTimeoutMs: 100 });
    const errors: unknown[] = [];
    receiver.onError((error) => void errors.push(error));
    const started = performance.now();
    const response = await receiver.fetch(registryRequest(freshEnvelope('push-by-tag/003.json').body));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(receiver.stats().failed).toBe(1);
    expect(String((errors[0] as Error & { cause?: unknown }).cause)).toContain('did not answer within 100 ms');
  });

  it('answers 503 on node:http too when the log refuses the append', async () => {
    const log = createMemoryLog();
    const receiver = createReceiver({ ...log, append: () => Promise.reject(new Error('READONLY')) }, { auth: { bearer: TOKEN } });
    receiver.onError(() => undefined);
    const { body } = freshEnvelope('push-by-tag/003.json');
    const res = { headersSent: false, status: 0, headers: {} as Record<string, string>, body: '', writeHead: vi.fn(), end: vi.fn() };
    res.writeHead.mockImplementation((status: number, headers: Record<string, string>) => Object.assign(res, { status, headers }));
    res.end.mockImplementation((text?: string) => Object.assign(res, { body: text ?? '' }));
    const { Readable } = await import('node:stream');
    const req = Object.assign(Readable.from([Buffer.from(body)]), { method: 'POST', rawHeaders: ['content-type', 'application/json', 'authorization', `Bearer ${TOKEN}`], socket: null });
    await receiver.node(req, res);
    expect(res.status).toBe(503);
    expect(res.body).toContain('event log');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });

  it('answers 503 and counts the failure when the log throws instead of rejecting', async () => {
    const log = createMemoryLog();
    const receiver = createReceiver(
      {
        ...log,
        append: () => {
          throw new TypeError('client is closed');
        },
      },
      { auth: { bearer: TOKEN } }
    );
    receiver.onError(() => undefined);
    const response = await receiver.fetch(registryRequest(freshEnvelope('push-by-tag/003.json').body));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(receiver.stats().failed).toBe(1);
  });

  it('keeps other formats as normalized events, keyed per format', async () => {
    const log = createMemoryLog();
    const receiver = createReceiver(log, { auth: { bearer: TOKEN, harbor: { authHeader: 'harbor-secret' } }, formats: ['distribution', 'harbor'] });
    const harbor = vendorFixture('harbor/push-artifact').text;
    const request = new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'harbor-secret' }, body: harbor });
    expect((await receiver.fetch(request)).status).toBe(200);
    expect((await receiver.fetch(registryRequest(freshEnvelope('push-by-tag/003.json').body))).status).toBe(200);
    const records = (await everything(log)).map((entry) => entry.record);
    expect(records.map((record) => [record.format, record.key.split(':')[0], (record.event as { kind?: string }).kind])).toEqual([
      ['harbor', 'harbor', 'artifact.pushed'],
      ['distribution', 'distribution', undefined],
    ]);
  });
});

describe.skipIf(!redisPeer.available)('the receiver on a real redis-server', () => {
  const started = useRedis({ appendfsync: 'always' });

  it('answers 503 while Redis is down, and the held append that lands late adds the event once', async () => {
    const log = createRedisLog({ client: started.client, stream: freshStream() });
    const receiver = createReceiver(log, { auth: { bearer: TOKEN }, appendTimeoutMs: 300 });
    receiver.onError(() => undefined);
    const { body } = freshEnvelope('push-by-tag/003.json');
    // sent once the server is surely gone (a request sent beside the kill could still be answered)
    let during: Response | undefined;
    await started.redis.restart({ kill: true, whileDown: async () => (during = await receiver.fetch(registryRequest(body))) });
    // the registry retries until an answer is 200
    let status = during?.status;
    for (let attempt = 0; status !== 200 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await receiver.fetch(registryRequest(body))).status;
    }
    expect([during?.status, status]).toEqual([503, 200]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await everything(log)).length).toBe(1);
  });
});

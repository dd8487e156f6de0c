import { describe, expect, it } from 'vitest';
import { backoffDelay, createMemoryQueue, PermanentJobError, type JobRun, type ReplicationJobData } from '../src/index.js';

const data = (repository: string): ReplicationJobData => ({ policy: 'p', target: 't', action: 'copy', repository, tag: '1', cause: 'manual', createdAt: new Date().toISOString() });
const settle = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('the in-memory queue', () => {
  it('adds a job id once, retries with backoff until success, and a delayed retry does not hold up other jobs', async () => {
    const queue = createMemoryQueue();
    const lane = queue.lane('l', { concurrency: 1, attempts: 5, backoffMs: 40 });
    const order: string[] = [];
    let failuresLeft = 2;
    await lane.work(async (run: JobRun) => {
      order.push(`${run.data.repository}#${run.attempt}`);
      if (run.data.repository === 'flaky' && failuresLeft-- > 0) throw new Error('target down');
      return { outcome: 'copied' };
    });
    expect(await lane.add('a', data('flaky'))).toBe(true);
    expect(await lane.add('a', data('flaky'))).toBe(false);
    await lane.add('b', data('steady'));
    await settle(async () => (await lane.list()).every((job) => job.state === 'completed'));
    expect(order).toEqual(['flaky#1', 'steady#1', 'flaky#2', 'flaky#3']);
    expect(await lane.get('a')).toMatchObject({ state: 'completed', failures: 2, result: { outcome: 'copied' } });
    expect([1, 2, 3].map((failures) => backoffDelay(40, failures))).toEqual([40, 80, 160]);
    await queue.close();
  });

  it('fails at once on a PermanentJobError, retries by hand, honours concurrency and the rate limit', async () => {
    const queue = createMemoryQueue();
    const lane = queue.lane('l', { concurrency: 2, attempts: 3, backoffMs: 10, rateLimit: { max: 3, perMs: 200 } });
    let running = 0;
    let most = 0;
    const started: number[] = [];
    let refuse = true;
    await lane.work(async (run) => {
      started.push(Date.now());
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      if (run.data.repository === 'bad' && refuse) throw new PermanentJobError('no such reference');
      return { outcome: 'copied' };
    });
    for (const name of ['bad', 'a', 'b', 'c', 'd']) await lane.add(name, data(name));
    await settle(async () => (await lane.list()).every((job) => job.state === 'completed' || job.state === 'failed'));
    expect(await lane.get('bad')).toMatchObject({ state: 'failed', failures: 1, error: 'no such reference' });
    expect(most).toBe(2);
    expect((started[3] as number) - (started[0] as number)).toBeGreaterThanOrEqual(190);
    refuse = false;
    expect(await lane.retry('a')).toBe(false);
    expect(await lane.retry('bad')).toBe(true);
    await settle(async () => (await lane.get('bad'))?.state === 'completed');
    expect(await lane.get('bad')).toMatchObject({ state: 'completed' });
    await queue.close();
  });

  it('cancel removes waiting jobs and aborts running ones', async () => {
    const queue = createMemoryQueue();
    const lane = queue.lane('l', { concurrency: 1, attempts: 3, backoffMs: 10 });
    await lane.work(
      (run) =>
        new Promise((_resolve, reject) => {
          run.signal.addEventListener('abort', () => reject(new PermanentJobError('stopped')));
        }),
    );
    await lane.add('a', data('a'));
    await lane.add('b', data('b'));
    expect((await lane.cancel(() => true)).sort()).toEqual(['a', 'b']);
    await settle(async () => (await lane.get('a'))?.state === 'failed');
    expect(await lane.get('a')).toMatchObject({ state: 'failed' });
    expect(await lane.get('b')).toBeUndefined();
    await queue.close();
  });
});

import { canonicalJson } from '@regevents/formats';
import { sleep } from '@regevents/registry-client';
import type { RelayLog } from './log.js';
import { comparePositions, partitionOf, type LogRecord } from './record.js';

/** A broken promise of the RelayLog contract, with what was expected and what came. */
export class LogContractError extends Error {
  override name = 'LogContractError';
}

/** Deep equality by canonical JSON (key order ignored), so the suite needs no assertion library and runs on any runtime. */
function equal(actual: unknown, expected: unknown, message = 'values differ'): void {
  const [got, want] = [canonicalJson(actual), canonicalJson(expected)];
  if (got !== want) throw new LogContractError(`${message}: expected ${want}, got ${got}`);
}

function ok(value: unknown, message: string): void {
  if (!value) throw new LogContractError(message);
}

/** The two functions of any test runner the suite needs (vitest, jest, mocha, node:test). */
export interface TestRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** Makes a fresh, empty log for one test; `cleanup` runs after it. */
export type LogFactory = (options: { partitions: number }) => Promise<{ log: RelayLog; cleanup?: () => Promise<void> }>;

let counter = 0;

/** A record as the relay writes one, for repository `repository`. */
export function sampleRecord(repository: string, id = `event-${++counter}`): LogRecord {
  return { key: `distribution:${id}`, format: 'distribution', repository, receivedAt: new Date().toISOString(), event: { id, action: 'push', target: { repository } } };
}

/** A distribution manifest push by tag, or a tag delete, as the relay or reconciliation appends one. */
export function tagRecord(repository: string, action: 'push' | 'delete', tag: string, digest?: string, origin?: 'reconcile'): LogRecord {
  const id = `event-${++counter}`;
  const target = action === 'push' ? { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 2, digest, repository, tag } : { repository, tag };
  const record: LogRecord = { key: `distribution:${id}`, format: 'distribution', repository, receivedAt: new Date().toISOString(), event: { id, action, target } };
  return origin ? { ...record, origin } : record;
}

/** Repository names that land in distinct partitions of `partitions`, one per partition. */
export function repositoriesPerPartition(partitions: number): string[] {
  const found: string[] = [];
  for (let n = 0; found.length < partitions; n++) {
    const name = `team/app-${n}`;
    if (partitionOf(name, partitions) === found.length) found.push(name);
  }
  return found;
}

/**
 * The behaviour every `RelayLog` must have, as a test suite for any runner:
 * `describeLogContract('my log', { describe, it }, async ({ partitions }) => ({ log: createMyLog({ partitions }) }))`.
 */
export function describeLogContract(name: string, runner: TestRunner, factory: LogFactory): void {
  const { describe, it } = runner;
  const test = (title: string, partitions: number, body: (log: RelayLog) => Promise<void>) =>
    it(title, async () => {
      const { log, cleanup } = await factory({ partitions });
      try {
        await body(log);
      } finally {
        await cleanup?.();
      }
    });

  describe(`${name}: the RelayLog contract`, () => {
    test('appends each key once, in order, and a duplicate answers the first position', 1, async (log) => {
      const first = await log.append(sampleRecord('a', 'one'));
      const second = await log.append(sampleRecord('a', 'two'));
      const again = await log.append(sampleRecord('a', 'one'));
      equal(first.duplicate, false);
      ok(comparePositions(second.position, first.position) > 0, 'positions increase');
      equal(again, { position: first.position, duplicate: true });
      const entries = await log.range(0, { from: '-', to: '+', count: 10 });
      equal(
        entries.map((entry) => entry.record.key),
        ['distribution:one', 'distribution:two']
      );
      equal(entries[0]?.record.event, sampleRecord('a', 'one').event);
    });

    test('puts a repository in partitionOf(repository) and ranges are bounded', 3, async (log) => {
      const repositories = repositoriesPerPartition(3);
      const positions: string[] = [];
      for (const repository of repositories) for (let i = 0; i < 3; i++) positions.push((await log.append(sampleRecord(repository))).position);
      for (const [partition, repository] of repositories.entries()) {
        const entries = await log.range(partition, { from: '-', to: '+', count: 100 });
        equal(
          entries.map((entry) => [entry.partition, entry.record.repository]),
          [
            [partition, repository],
            [partition, repository],
            [partition, repository],
          ]
        );
      }
      const middle = positions.slice(3, 6);
      const bounded = await log.range(1, { from: middle[1] as string, to: '+', count: 1 });
      equal(
        bounded.map((entry) => entry.position),
        [middle[1]]
      );
      equal(
        (await log.range(1, { from: '-', to: middle[1] as string, count: 10 })).map((entry) => entry.position),
        middle.slice(0, 2)
      );
    });

    test('a group reads from the beginning or from now, and creating it again changes nothing', 1, async (log) => {
      await log.append(sampleRecord('a', 'before'));
      await log.createGroup('old', 'beginning');
      await log.createGroup('new', 'now');
      await log.append(sampleRecord('a', 'after'));
      await log.createGroup('old', 'now');
      equal(
        (await log.read('old', 'c1', 0, 10)).map((d) => d.record.key),
        ['distribution:before', 'distribution:after']
      );
      equal(
        (await log.read('new', 'c1', 0, 10)).map((d) => d.record.key),
        ['distribution:after']
      );
      equal((await log.groups()).sort(), ['new', 'old']);
    });

    test('each group gets every entry once; ack and stats follow', 1, async (log) => {
      await log.createGroup('g1', 'beginning');
      await log.createGroup('g2', 'beginning');
      for (let i = 0; i < 5; i++) await log.append(sampleRecord('a'));
      equal(await log.groupStats('g1'), { lag: 5, pending: 0, deadLetters: 0 });
      const firstTwo = await log.read('g1', 'c1', 0, 2);
      const rest = await log.read('g1', 'c2', 0, 10);
      equal(firstTwo.length, 2);
      equal(rest.length, 3);
      equal(await log.read('g1', 'c1', 0, 10), []);
      equal((await log.read('g2', 'c1', 0, 10)).length, 5);
      equal(await log.groupStats('g1'), { lag: 0, pending: 5, deadLetters: 0 });
      await log.ack(
        'g1',
        0,
        firstTwo.map((d) => d.position)
      );
      equal(await log.groupStats('g1'), { lag: 0, pending: 3, deadLetters: 0 });
      equal((await log.groupStats('g2')).pending, 5);
    });

    test('claim takes over pending entries oldest first, page by page, with their failure counts', 1, async (log) => {
      await log.createGroup('g', 'beginning');
      for (let i = 0; i < 5; i++) await log.append(sampleRecord('a'));
      const read = await log.read('g', 'dead-consumer', 0, 5);
      equal(await log.recordFailure('g', 0, read[1]?.position as string), 1);
      equal(await log.recordFailure('g', 0, read[1]?.position as string), 2);
      await log.ack('g', 0, [read[0]?.position as string]);
      const claimed: string[] = [];
      const failures: number[] = [];
      let cursor = '0-0';
      let pages = 0;
      do {
        const page = await log.claim('g', 'heir', 0, cursor, 2);
        claimed.push(...page.deliveries.map((d) => d.position));
        failures.push(...page.deliveries.map((d) => d.failures));
        cursor = page.cursor;
        pages++;
      } while (cursor !== '0-0' && pages < 10);
      equal(
        claimed,
        read.slice(1).map((d) => d.position)
      );
      equal(failures, [2, 0, 0, 0]);
      await log.ack('g', 0, claimed);
      equal(await log.groupStats('g'), { lag: 0, pending: 0, deadLetters: 0 });
      equal(await log.recordFailure('g', 0, read[1]?.position as string), 1, 'ack forgets failures');
    });

    test('dead letters leave the pending list, keep the record and error, and can be dropped', 2, async (log) => {
      const [repository] = repositoriesPerPartition(2).slice(1);
      await log.createGroup('g', 'beginning');
      await log.createGroup('other', 'beginning');
      const record = sampleRecord(repository as string);
      await log.append(record);
      const [delivery] = await log.read('g', 'c', 1, 1);
      if (!delivery) throw new LogContractError('the entry was not read');
      await log.recordFailure('g', 1, delivery.position);
      await log.recordFailure('g', 1, delivery.position);
      await log.deadLetter('g', { ...delivery, failures: 2 }, 'boom');
      equal(await log.groupStats('g'), { lag: 0, pending: 0, deadLetters: 1 });
      equal(await log.listDeadLetters('other', 10), []);
      const [letter] = await log.listDeadLetters('g', 10);
      if (!letter) throw new LogContractError('the dead letter is not listed');
      equal([letter.partition, letter.position, letter.record, letter.error, letter.attempts], [1, delivery.position, record, 'boom', 2]);
      ok(!Number.isNaN(Date.parse(letter.deadAt)), 'deadAt is a time');
      equal(await log.dropDeadLetter('g', 1, letter.id), true);
      equal(await log.dropDeadLetter('g', 1, letter.id), false);
      equal((await log.groupStats('g')).deadLetters, 0);
    });

    test('leases: one consumer holds every partition, two share them, a graceful stop or a lapse hands them over', 4, async (log) => {
      await log.createGroup('g', 'beginning');
      equal(await log.lease('g', 'a', 10_000), [0, 1, 2, 3]);
      equal(await log.lease('g', 'b', 10_000), [], 'taken partitions are not shared');
      const a = await log.lease('g', 'a', 10_000);
      const b = await log.lease('g', 'b', 10_000);
      equal(a.length, 2);
      equal(b.length, 2);
      equal([...a, ...b].sort(), [0, 1, 2, 3]);
      await log.releaseLeases('g', 'a');
      equal(await log.lease('g', 'b', 10_000), [0, 1, 2, 3]);
      await log.lease('g', 'c', 200);
      equal(await log.lease('g', 'b', 10_000), [0, 1], 'b gives half back to the new member');
      equal(await log.lease('g', 'c', 200), [2, 3]);
      await sleep(300);
      equal(await log.lease('g', 'b', 10_000), [0, 1, 2, 3], "c's lapsed lease is free");
    });

    test('the tag state follows appended tag pushes and deletes; a real event matching what reconciliation wrote is kept marked reconciled', 2, async (log) => {
      const [repository = 'a'] = repositoriesPerPartition(2).slice(1);
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord(repository, 'push', 'v2', 'sha256:2'));
      await log.append(sampleRecord(repository)); // a push with no tag changes nothing
      equal(await log.tagState.get(repository, 'v1'), { digest: 'sha256:1', reconciled: false });
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:3', 'reconcile'));
      await log.append(tagRecord(repository, 'delete', 'v2', undefined, 'reconcile'));
      equal(Object.fromEntries(await log.tagState.tags(repository)), { v1: { digest: 'sha256:3', reconciled: true }, v2: { digest: '', reconciled: true } });
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:3'));
      await log.append(tagRecord(repository, 'delete', 'v2'));
      await log.append(tagRecord(repository, 'push', 'v3', 'sha256:4'));
      equal(Object.fromEntries(await log.tagState.tags(repository)), { v1: { digest: 'sha256:3', reconciled: false }, v3: { digest: 'sha256:4', reconciled: false } });
      const entries = await log.range(partitionOf(repository, 2), { from: '-', to: '+', count: 20 });
      equal(
        entries.map((entry) => entry.record.reconciled ?? false),
        [false, false, false, false, false, true, true, false]
      );
      const repositories: string[] = [];
      for await (const name of log.tagState.repositories()) repositories.push(name);
      equal(repositories, [repository]);
    });

    test("a real tag delete is kept with the digest the tag state held for it (deletedDigest); a tag the state never knew gets none", 1, async (log) => {
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord('a', 'push', 'v2', 'sha256:2', 'reconcile'));
      await log.append(tagRecord('a', 'delete', 'v1'));
      await log.append(tagRecord('a', 'delete', 'v2'));
      await log.append(tagRecord('a', 'delete', 'never'));
      await log.append(tagRecord('a', 'push', 'v3', 'sha256:3'));
      await log.append(tagRecord('a', 'delete', 'v3', undefined, 'reconcile'));
      // a dead letter sent back keeps what its first append found
      await log.append(tagRecord('a', 'push', 'v4', 'sha256:4'));
      await log.append({ ...tagRecord('a', 'delete', 'v4'), deletedDigest: 'sha256:first' });
      const entries = await log.range(0, { from: '-', to: '+', count: 20 });
      equal(
        entries.map((entry) => entry.record.deletedDigest ?? null),
        [null, null, 'sha256:1', 'sha256:2', null, null, null, null, 'sha256:first']
      );
      equal((entries[2]?.record.event as { target?: unknown } | undefined)?.target, { repository: 'a', tag: 'v1' }, 'the event is kept as received');
    });

    test('a push that leaves a tag where it was keeps the state as it was: the next delete names that digest, a push after it brings the tag back', 2, async (log) => {
      const [repository = 'a'] = repositoriesPerPartition(2).slice(1);
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord(repository, 'push', 'v2', 'sha256:2'));
      equal(Object.fromEntries(await log.tagState.tags(repository)), { v1: { digest: 'sha256:1', reconciled: false }, v2: { digest: 'sha256:2', reconciled: false } });
      await log.append(tagRecord(repository, 'delete', 'v1'));
      await log.append(tagRecord(repository, 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord(repository, 'push', 'v2', 'sha256:2'));
      const entries = await log.range(partitionOf(repository, 2), { from: '-', to: '+', count: 20 });
      equal(
        entries.map((entry) => entry.record.deletedDigest ?? null),
        [null, null, null, 'sha256:1', null, null]
      );
      equal(Object.fromEntries(await log.tagState.tags(repository)), { v1: { digest: 'sha256:1', reconciled: false }, v2: { digest: 'sha256:2', reconciled: false } });
      const repositories: string[] = [];
      for await (const name of log.tagState.repositories()) repositories.push(name);
      equal(repositories, [repository]);
    });

    test("the tag state gives how long ago a real push last named each tag (tagsWithAges, where the log has it, with the tags read in the same step), on the log's own clock: every real push writes it, one that leaves the tag where it was too; not what reconciliation wrote; a delete takes it", 1, async (log) => {
      const tagsWithAges = log.tagState.tagsWithAges?.bind(log.tagState);
      if (!tagsWithAges) return; // optional: a log without it gives reconciliation no settle window
      const ages = async () => {
        const read = await tagsWithAges('a');
        equal(Object.fromEntries(read.tags), Object.fromEntries(await log.tagState.tags('a')), 'the tags, as tags() gives them');
        return Object.fromEntries(read.ages);
      };
      await log.append(tagRecord('a', 'push', 'v0', 'sha256:0'));
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:1'));
      await log.append(tagRecord('a', 'push', 'v2', 'sha256:2'));
      let first = await ages();
      equal(Object.keys(first).sort(), ['v0', 'v1', 'v2']);
      // just written: an age in ms on the log's clock (a Redis server's), not a time since the epoch
      for (const age of Object.values(first)) ok(age >= 0 && age < 60_000, `a small age in ms, not ${age}`);
      // wait on the log's own clock (no other is compared with it) until it has passed v2's write
      for (let polls = 0; (first.v2 ?? 0) === 0; polls++) {
        ok(polls < 2000, "the log's clock moves on");
        await sleep(1);
        first = await ages();
      }
      await log.append(tagRecord('a', 'push', 'v2', 'sha256:3'));
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:1'));
      const second = await ages();
      // ages read together differ by the time between their writes: v0 was left alone, v2 moved after that wait, v1 was pushed unchanged after it
      const sinceV0 = (found: Record<string, number>, tag: 'v1' | 'v2') => (found.v0 ?? 0) - (found[tag] ?? 0);
      ok(sinceV0(second, 'v2') > sinceV0(first, 'v2'), `a push that moves a tag writes a later time: ${JSON.stringify({ first, second })}`);
      ok(sinceV0(second, 'v1') > sinceV0(first, 'v1'), `a push that leaves a tag where it was writes a later time too: ${JSON.stringify({ first, second })}`);
      await log.append(tagRecord('a', 'delete', 'v0'));
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:4', 'reconcile'));
      await log.append(tagRecord('a', 'delete', 'v2'));
      await log.append(tagRecord('a', 'push', 'v3', 'sha256:5'));
      await log.append(tagRecord('a', 'delete', 'v3', undefined, 'reconcile'));
      equal(await ages(), {});
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:4'));
      equal(Object.keys(await ages()), ['v1'], "a real event confirming what reconciliation wrote writes the entry, and its time");
    });

    test('a dead letter sent back changes no tag state: a retried old push does not move the tag back, a retried delete removes nothing', 1, async (log) => {
      const oldPush = tagRecord('a', 'push', 'v1', 'sha256:old');
      const oldDelete = tagRecord('a', 'delete', 'v2');
      await log.append(oldPush);
      await log.append(tagRecord('a', 'push', 'v1', 'sha256:new'));
      await log.append(oldDelete);
      await log.append(tagRecord('a', 'push', 'v2', 'sha256:again'));
      const first = await log.append({ ...oldPush, retry: { group: 'g', deadLetter: '1-0' } });
      await log.append({ ...oldDelete, retry: { group: 'g', deadLetter: '2-0' } });
      equal(first.duplicate, false, 'the retry is appended');
      equal(Object.fromEntries(await log.tagState.tags('a')), { v1: { digest: 'sha256:new', reconciled: false }, v2: { digest: 'sha256:again', reconciled: false } });
    });

    test('each group has its own record of handled events: claimed once, done after the ack that records it, free again after a release', 1, async (log) => {
      await log.createGroup('g1', 'beginning');
      await log.createGroup('g2', 'beginning');
      await log.append(sampleRecord('claims/app'));
      const [delivery] = await log.read('g1', 'c', 0, 1);
      const [first, again, other] = await log.claimEvents('g1', 0, [{ key: 'distribution:x' }, { key: 'distribution:x' }, { key: 'distribution:y' }], 1_000);
      equal([first?.status, again?.status, other?.status], ['claimed', 'in-flight', 'claimed']);
      if (first?.status !== 'claimed' || other?.status !== 'claimed') throw new LogContractError('fresh keys are claimed');
      equal((await log.claimEvents('g2', 0, [{ key: 'distribution:x' }], 1_000))[0]?.status, 'claimed');
      await log.ack('g1', 0, [delivery?.position as string], { keys: ['distribution:x'], ttlMs: 60_000 });
      await log.releaseEvent('g1', 0, 'distribution:y', 'lease:not-ours');
      equal(
        (await log.claimEvents('g1', 0, [{ key: 'distribution:x' }, { key: 'distribution:y' }], 1_000)).map((claim) => claim.status),
        ['done', 'in-flight']
      );
      // the holder renews its claim (the token returned holds it now); a stranger's token does not
      const renewed = (await log.claimEvents('g1', 0, [{ key: 'distribution:y', token: other.token }], 1_000))[0];
      equal(renewed?.status, 'claimed');
      equal(
        (await log.claimEvents('g1', 0, [{ key: 'distribution:x', token: first.token }, { key: 'distribution:y', token: 'lease:not-ours' }], 1_000)).map((claim) => claim.status),
        ['done', 'in-flight']
      );
      await log.releaseEvent('g1', 0, 'distribution:y', renewed?.status === 'claimed' ? renewed.token : '');
      equal((await log.claimEvents('g1', 0, [{ key: 'distribution:y' }], 1_000))[0]?.status, 'claimed');
      equal((await log.groupStats('g1')).pending, 0);
    });

    test("a claim lapses after its lease, and a handled event's record after its ttl", 1, async (log) => {
      await log.createGroup('g', 'beginning');
      await log.append(sampleRecord('lapse/app', 'handled'));
      const [delivery] = await log.read('g', 'c', 0, 1);
      const [held] = await log.claimEvents('g', 0, [{ key: 'distribution:held' }], 30);
      await log.ack('g', 0, [delivery?.position as string], { keys: ['distribution:handled'], ttlMs: 30 });
      equal((await log.claimEvents('g', 0, [{ key: 'distribution:held' }, { key: 'distribution:handled' }], 1_000)).map((claim) => claim.status), ['in-flight', 'done']);
      equal(held?.status, 'claimed');
      await sleep(80);
      equal((await log.claimEvents('g', 0, [{ key: 'distribution:held' }, { key: 'distribution:handled' }], 1_000)).map((claim) => claim.status), ['claimed', 'claimed']);
    });

    test('a claim sent with an empty token is a new claim, held by the token answered: its release frees it', 1, async (log) => {
      await log.createGroup('g', 'beginning');
      const [claim] = await log.claimEvents('g', 0, [{ key: 'distribution:empty-token', token: '' }], 60_000);
      if (claim?.status !== 'claimed') throw new LogContractError('a fresh key is claimed');
      await log.releaseEvent('g', 0, 'distribution:empty-token', claim.token);
      equal((await log.claimEvents('g', 0, [{ key: 'distribution:empty-token' }], 60_000))[0]?.status, 'claimed');
    });

    test('thousands of keys are claimed, acknowledged and recorded as handled in one call each', 1, async (log) => {
      // more than one command can take at once where the engine bounds it (Redis's Lua unpacks fewer than 8000 values)
      const count = 5000;
      await log.createGroup('g', 'beginning');
      await Promise.all(Array.from({ length: count }, (_, i) => log.append(sampleRecord('bulk/app', `bulk-${i}`))));
      const deliveries = await log.read('g', 'c', 0, count);
      equal(deliveries.length, count);
      const keys = deliveries.map((delivery) => ({ key: delivery.record.key }));
      equal((await log.claimEvents('g', 0, keys, 60_000)).filter((claim) => claim.status === 'claimed').length, count);
      await log.ack('g', 0, deliveries.map((delivery) => delivery.position), { keys: keys.map((claim) => claim.key), ttlMs: 60_000 });
      equal((await log.claimEvents('g', 0, keys, 60_000)).filter((claim) => claim.status === 'done').length, count);
      equal((await log.groupStats('g')).pending, 0);
    });

    test("a read batch's keys are claimed in one call: new keys claimed, handled ones done, held ones in flight", 1, async (log) => {
      await log.createGroup('g', 'beginning');
      await log.append(sampleRecord('read/app'));
      const [first] = await log.read('g', 'c', 0, 1);
      const records = [sampleRecord('read/app', 'fresh'), sampleRecord('read/app', 'handled'), sampleRecord('read/app', 'held'), sampleRecord('read/app', 'with "quotes" \\ and ünicode')];
      for (const record of records) await log.append(record);
      const [handled] = await log.claimEvents('g', 0, [{ key: 'distribution:handled' }], 1_000);
      await log.claimEvents('g', 0, [{ key: 'distribution:held' }], 60_000);
      if (handled?.status !== 'claimed') throw new LogContractError('a fresh key is claimed');
      await log.ack('g', 0, [first?.position as string], { keys: ['distribution:handled'], ttlMs: 60_000 });
      const deliveries = await log.read('g', 'c', 0, 10);
      const claims = await log.claimEvents('g', 0, deliveries.map((delivery) => ({ key: delivery.record.key })), 1_000);
      equal(
        deliveries.map((delivery, index) => [delivery.record.key, claims[index]?.status]),
        records.map((record, index) => [record.key, ['claimed', 'done', 'in-flight', 'claimed'][index]])
      );
      // the claims taken are held by the tokens returned: the same keys are in flight to anyone else, and free after a release
      equal((await log.claimEvents('g', 0, [{ key: 'distribution:fresh' }], 1_000))[0]?.status, 'in-flight');
      const fresh = claims[0];
      if (fresh?.status !== 'claimed') throw new LogContractError('a fresh key is claimed');
      await log.releaseEvent('g', 0, 'distribution:fresh', fresh.token);
      equal((await log.claimEvents('g', 0, [{ key: 'distribution:fresh' }, { key: records[3]?.key as string }], 1_000)).map((claim) => claim.status), ['claimed', 'in-flight']);
    });
  });
}

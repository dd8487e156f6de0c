import type { RegistryClient } from '@regevents/registry-client';
import type { Enricher, EnrichOptions } from './enrich.js';
import { RelayConfigError } from './errors.js';
import type { ClaimResult } from '@regevents/webhooks';
import type { Delivery, RelayLog } from './log.js';

export interface ConsumerOptions {
  /** Events handled at once, across repositories; events of one repository are handled one after another. Default 1. */
  concurrency?: number;
  /** Failed attempts after which an event goes to the group's dead letters. Default 5. */
  maxAttempts?: number;
  /** Milliseconds before attempt n + 1 after n failures. Default 1 s doubling up to 60 s. */
  retryDelay?: number | ((failures: number) => number);
  /** Where a group that does not exist yet starts: every event the log holds, or only those appended from now. Default `beginning`. */
  start?: 'beginning' | 'now';
  /** Name of this consumer in the group; unique per process. Default a random one. */
  name?: string;
  /** How long a consumer holds its partitions without a heartbeat; after a crash, others take over once it lapses. Default 15 s. */
  leaseMs?: number;
  /** Pause between reads when the log has nothing new. Default 100 ms. */
  pollMs?: number;
  /** How long the group remembers a handled event id. Default 7 days. */
  dedupeTtlMs?: number;
  /**
   * The coalesced view: `on('image.pushed', …)` gets one `ImagePush` per tagged manifest push, with
   * its blobs and platforms. `{ client }` reads each index pushed for its platforms (a registry client
   * with its own User-Agent: the read is a pull event). Default false.
   */
  coalesce?: boolean | { client: RegistryClient };
  /**
   * The enriched view: `on('enriched', …)` gets every event in the normalized model with what the
   * registry left out filled in and marked in `derived` (see `createEnricher`). Default off.
   */
  enrich?: EnrichOptions | Enricher;
}

export interface ConsumerCounters {
  handled: number;
  failed: number;
  /** Events run again: a retry after a failure, or one taken over from a consumer that died. */
  redeliveries: number;
  deadLettered: number;
  /** Deliveries of events the group had already handled (acknowledged without running). */
  duplicates: number;
}

/** What came of handing an event to the handlers (`ReceiveResult` of `createEventHandler` without dedupe: the loop does it), with the error when they failed. */
export type Outcome = { result: 'handled' } | { result: 'failed'; error: unknown };
/** Answers at once when the handlers do: the loop then runs the event without a promise. */
export type DeliveryHandler = (delivery: Delivery) => Outcome | Promise<Outcome>;
export type LoopErrorHandler = (error: unknown, delivery?: Delivery) => void;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

function positive(value: number | undefined, fallback: number, option: string, integer = false): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value)) || (integer && !Number.isInteger(value))) {
    throw new RelayConfigError(`${option} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

export function consumerSettings(options: ConsumerOptions) {
  const retryDelay = options.retryDelay;
  if (retryDelay !== undefined && typeof retryDelay !== 'function' && !(typeof retryDelay === 'number' && retryDelay >= 0)) {
    throw new RelayConfigError('retryDelay must be a number of milliseconds or a function of the failure count');
  }
  if (options.start !== undefined && options.start !== 'beginning' && options.start !== 'now') throw new RelayConfigError('start must be "beginning" or "now"');
  return {
    concurrency: positive(options.concurrency, 1, 'concurrency', true),
    maxAttempts: positive(options.maxAttempts, 5, 'maxAttempts', true),
    delay: (failures: number) => (typeof retryDelay === 'function' ? retryDelay(failures) : retryDelay ?? Math.min(60_000, 1000 * 2 ** (failures - 1))),
    start: options.start ?? 'beginning',
    name: options.name ?? `consumer-${crypto.randomUUID()}`,
    leaseMs: positive(options.leaseMs, 15_000, 'leaseMs'),
    pollMs: positive(options.pollMs, 100, 'pollMs'),
    dedupeTtlMs: positive(options.dedupeTtlMs, 7 * 24 * 60 * 60 * 1000, 'dedupeTtlMs'),
  };
}

type Settings = ReturnType<typeof consumerSettings>;

/** The claims of one batch, asked for at `at` as it was read: `results` once the answer is in (undefined after a failure). */
interface AheadBatch {
  results: ClaimResult[] | undefined;
  settled: Promise<void>;
  at: number;
}

/** An entry waiting for its turn in its repository's queue, with the claim its batch took ahead for it (until it is used or given back). */
interface Queued {
  delivery: Delivery;
  ahead: AheadBatch | undefined;
  /** Its place in `ahead`'s claims; read only with `ahead` (0 without one, so every entry has one shape). */
  index: number;
}

/** Positions to acknowledge in one partition, and the keys of those handled to record as such. */
interface AckBatch {
  positions: string[];
  keys: string[];
}

/** How `persist` retries: its longest pause, whether its first call waits a pause, which failures it reports (`first`: only its first). */
interface PersistOptions {
  capMs?: number;
  afterFailure?: boolean;
  report?: 'each' | 'first' | 'none';
}

/** The longest wait between attempts at acknowledgements the log refused. */
const ACK_RETRY_CAP_MS = 5_000;

/** Runs at most `limit` tasks at once. */
function createSemaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    /** Undefined when a slot was free and is now taken, else a wait for one. */
    acquire(): Promise<void> | undefined {
      if (active < limit) {
        active++;
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}

/** The next turn of the event loop: after the I/O callbacks of this one, so whatever they start is gathered first. */
const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
const nextTurn: (run: () => void) => void = immediate ? (run) => void immediate(run) : (run) => void setTimeout(run, 0);

/**
 * Requests for one partition gathered until the next turn and sent as one command: events
 * starting together (concurrency, several repositories) cost one round trip.
 * Answers the batch's `sent` and the request's place in it.
 */
function createBatcher<T, R>(send: (partition: number, items: T[]) => Promise<R>) {
  const open = new Map<number, { items: T[]; sent: Promise<R> }>();
  return (partition: number, item: T): { sent: Promise<R>; index: number } => {
    let batch = open.get(partition);
    if (!batch) {
      const items: T[] = [];
      const sent = new Promise<R>((resolve, reject) =>
        nextTurn(() => {
          open.delete(partition);
          send(partition, items).then(resolve, reject);
        })
      );
      batch = { items, sent };
      open.set(partition, batch);
    }
    return { sent: batch.sent, index: batch.items.push(item) - 1 };
  };
}

/**
 * A group's work in one process: holds partition leases (heartbeat), takes over what dead
 * consumers left pending, reads new entries, and runs them with per-repository order, retries,
 * dead letters, and the group's record of handled events: a claim of the event's key before it
 * runs, its record as handled in the same step as its acknowledgement. Knows nothing of event
 * types: `handle` does the dispatch.
 */
export function createConsumerLoop(log: RelayLog, group: string, settings: Settings, handle: DeliveryHandler, reportError: LoopErrorHandler) {
  const counters: ConsumerCounters = { handled: 0, failed: 0, redeliveries: 0, deadLettered: 0, duplicates: 0 };
  const slots = createSemaphore(settings.concurrency);
  // entries read ahead, and the level that asks for more: a read of half of them, with the other
  // half left to run while it and its claim are on their way: fewer, larger reads, claims and
  // acknowledgements than a smaller read-ahead refilled sooner would send.
  // An entry waits behind up to this many of its partition, about 64 handler times: with handlers
  // slower than leaseMs / 128 (117 ms at the default 15 s) its claim taken ahead is renewed when it
  // runs, slower than leaseMs / 64 (234 ms) it has lapsed by then. Both cost one claim command
  // per turn, as a claim at dispatch would, and nothing else: a lapsed claim is taken again
  // with its token (`freshOrRenewed`; the log answers `claimed` for a lapsed claim, `done` if
  // it was handled meanwhile), and nobody else can claim it meanwhile, since its entry is pending
  // to this consumer and taken over only once the partition moved, when its worker stops and
  // gives the claims taken ahead back (`releaseAhead`).
  const prefetch = settings.concurrency * 64;
  const refillAt = prefetch / 2;
  // a read and a page taken over hold at most this many (and so do the claims of what they bring)
  const largestBatch = Math.min(1000, prefetch);
  // the pause before a failed log call is tried again (the first, for refused acknowledgements)
  const retryPauseMs = Math.min(1000, settings.pollMs * 5);
  let stopping = new AbortController();
  let running = false;
  const workers = new Map<number, { abort: AbortController; done: Promise<void> }>();
  // the per-repository queues parked on an event that did not finish at once, or on a slot: a stop waits for them
  const busy = new Set<Promise<void>>();
  const acking = new Set<Promise<void>>();
  let heartbeat: Promise<void> | undefined;
  const claim = createBatcher<{ key: string; token?: string }, ClaimResult[]>((partition, claims) => log.claimEvents(group, partition, claims, settings.leaseMs));
  // the acknowledgements of each partition's events that finished in this turn, and the keys to record handled
  const acks = new Map<number, AckBatch>();
  // per partition, the acknowledgements the log refused, waiting for their next attempt
  const refused = new Map<number, { pending: AckBatch }>();

  /** Log calls nobody awaits (acknowledgements, claims given back): a stop waits for them. */
  function track(work: Promise<void>): void {
    acking.add(work);
    void work.finally(() => acking.delete(work));
  }

  /** Gives up a claim that will not run here (its handlers failed, a stop, a lost partition). */
  function giveBack(delivery: Delivery, token: string): Promise<void> {
    return log.releaseEvent(group, delivery.partition, delivery.record.key, token).catch((error: unknown) => reportError(error, delivery));
  }

  /**
   * Acknowledges the delivery at `position` (recording `handled` as the group's handled key) with
   * the others of its partition and turn, in one command. One the log refuses joins its partition's
   * refused acknowledgements, retried as one until they go in or the consumer stops, also after the
   * partition went elsewhere (see `retryRefused`).
   */
  function acknowledge(partition: number, position: string, handled: string | undefined): void {
    // while the partition has refused acknowledgements, new ones wait with them: one retry, not one per turn
    let open = refused.get(partition)?.pending ?? acks.get(partition);
    if (!open) {
      const batch: AckBatch = { positions: [], keys: [] };
      acks.set(partition, (open = batch));
      // tracked from now: a stop waits for the acknowledgement of what finished before it
      track(
        new Promise<void>((resolve) =>
          nextTurn(() => {
            acks.delete(partition);
            resolve(log.ack(group, partition, batch.positions, { keys: batch.keys, ttlMs: settings.dedupeTtlMs }).catch((error: unknown) => retryRefused(partition, batch, error)));
          })
        )
      );
    }
    open.positions.push(position);
    if (handled !== undefined) open.keys.push(handled);
  }

  /**
   * Gathers an acknowledgement the log refused with the others of its partition and retries them as
   * one command, backing off from `pollMs x 5` (at most 1 s) to `ACK_RETRY_CAP_MS`, reporting the
   * error once per streak of failures: a Redis outage costs a few attempts, not one per batch per
   * turn. Held only for what was handled here; given up when the consumer stops. While the event's
   * claim is live, a new owner of the partition finds it in flight and waits, so an ack failure
   * shorter than the claim does not make it run again; once the claim lapses (`leaseMs` after it
   * was taken or renewed) the new owner runs it again: at least once.
   */
  function retryRefused(partition: number, batch: AckBatch, error: unknown): void {
    const waiting = refused.get(partition);
    if (waiting) {
      for (const position of batch.positions) waiting.pending.positions.push(position);
      for (const key of batch.keys) waiting.pending.keys.push(key);
      return;
    }
    reportError(error);
    // the batch is this retry's alone: its turn took it out of `acks` before it was sent
    const retry = { pending: batch };
    refused.set(partition, retry);
    const { signal } = stopping;
    track(
      (async () => {
        // the refusal that started this retry was reported and is paused for; once an attempt went in,
        // what joined meanwhile goes at once (the log just answered), and its next failure is reported
        for (let afterRefusal = true; retry.pending.positions.length > 0; afterRefusal = false) {
          const options: PersistOptions = { capMs: ACK_RETRY_CAP_MS, afterFailure: afterRefusal, report: afterRefusal ? 'none' : 'first' };
          if ((await persist(() => ackPending(partition, retry), signal, options)) === undefined) break;
        }
        refused.delete(partition);
      })()
    );
  }

  /** Sends a partition's refused acknowledgements as one: what is refused while it is out joins the next attempt, and a failure puts these back in front. */
  async function ackPending(partition: number, retry: { pending: AckBatch }): Promise<true> {
    const { positions, keys } = retry.pending;
    retry.pending = { positions: [], keys: [] };
    try {
      await log.ack(group, partition, positions, { keys, ttlMs: settings.dedupeTtlMs });
      return true;
    } catch (failure) {
      retry.pending = { positions: [...positions, ...retry.pending.positions], keys: [...keys, ...retry.pending.keys] };
      throw failure;
    }
  }

  /** Entries of one batch the group must run (not another group's retry, not an event reconciliation dispatched already). */
  const runsHere = (delivery: Delivery) => !delivery.record.reconciled && (delivery.record.retry === undefined || delivery.record.retry.group === group);

  /**
   * The entries of a batch just read or taken over, queued with the claims of those that run here,
   * taken for the whole batch with one command sent at once; each uses its answer when it runs.
   */
  function queuedOf(partition: number, deliveries: readonly Delivery[]): Queued[] {
    const claims: { key: string }[] = [];
    const taken: AheadBatch = { results: undefined, settled: Promise.resolve(), at: performance.now() };
    const queued = deliveries.map((delivery): Queued => {
      if (!runsHere(delivery)) return { delivery, ahead: undefined, index: 0 };
      return { delivery, ahead: taken, index: claims.push({ key: delivery.record.key }) - 1 };
    });
    // a failed batch claim is claimed again, one by one, when each event runs
    if (claims.length > 0) {
      taken.settled = log.claimEvents(group, partition, claims, settings.leaseMs).then(
        (results) => void (taken.results = results),
        () => undefined
      );
    }
    return queued;
  }

  /**
   * The entry's claim: the one taken ahead with its batch while it is fresh (renewed when older
   * than half the lease), else one now. No promise once the batch's answer is in and fresh.
   */
  function claimFor(entry: Queued, signal: AbortSignal): ClaimResult | Promise<ClaimResult | undefined> {
    const { delivery, ahead: early, index } = entry;
    if (!early) return claimNow(delivery, undefined, signal);
    entry.ahead = undefined;
    // waits only while the batch's answer is not in
    if (early.results === undefined) return early.settled.then(() => freshOrRenewed(delivery, early, index, signal));
    return freshOrRenewed(delivery, early, index, signal);
  }

  function freshOrRenewed(delivery: Delivery, batch: AheadBatch, index: number, signal: AbortSignal): ClaimResult | Promise<ClaimResult | undefined> {
    const taken = batch.results?.[index];
    if (taken && (taken.status !== 'claimed' || performance.now() - batch.at < settings.leaseMs / 2)) return taken;
    return claimNow(delivery, taken?.status === 'claimed' ? taken.token : undefined, signal);
  }

  /** Claims (or with `token`, renews) the delivery's event with the others of its turn. */
  function claimNow(delivery: Delivery, token: string | undefined, signal: AbortSignal): Promise<ClaimResult | undefined> {
    return persist(async () => {
      const { sent, index } = claim(delivery.partition, { key: delivery.record.key, token });
      return (await sent)[index];
    }, signal);
  }

  /** Gives up the claims taken ahead for queued entries that will not run here now (a stop, a lost partition). */
  function releaseAhead(queues: Iterable<Queued[]>): void {
    for (const queue of queues) {
      for (const entry of queue) {
        const { delivery, ahead: batch, index } = entry;
        if (!batch) continue;
        entry.ahead = undefined;
        track(
          batch.settled.then(() => {
            const taken = batch.results?.[index];
            return taken?.status === 'claimed' ? giveBack(delivery, taken.token) : undefined;
          })
        );
      }
    }
  }

  /**
   * Retries a log call until it works or the consumer stops (then undefined): a Redis restart
   * pauses the group, it does not end it. Pauses after each failure (and before the first call
   * with `afterFailure`: the caller's own call failed), `retryPauseMs` at first, doubling up to
   * `capMs`; reads, claims, failure records and dead letters keep `retryPauseMs`, so they go on within that pause
   * of Redis coming back. Reports every failure unless told otherwise.
   */
  async function persist<T>(call: () => Promise<T>, signal: AbortSignal, retry: PersistOptions = {}): Promise<T | undefined> {
    const { capMs = retryPauseMs, report = 'each' } = retry;
    let pause = retryPauseMs;
    const rested = async () => {
      await sleep(pause, signal);
      pause = Math.min(capMs, pause * 2);
      return !signal.aborted;
    };
    if (retry.afterFailure && !(await rested())) return undefined;
    for (let first = true; ; first = false) {
      try {
        return await call();
      } catch (error) {
        if (report === 'each' || (report === 'first' && first)) reportError(error);
        if (signal.aborted || !(await rested())) return undefined;
      }
    }
  }

  /**
   * Runs one delivery to its end: handled (or found handled before) and acknowledged, or
   * dead-lettered. Synchronous (no promise) while its claim is in and its handlers answer at once.
   */
  function run(entry: Queued, signal: AbortSignal): void | Promise<void> {
    const { delivery } = entry;
    const { record, partition, position } = delivery;
    // the next event of the repository need not wait for this one's acknowledgement, only for its
    // outcome: a crash before the ack redelivers it, and its claim, then the record of it as handled, answer
    if (!runsHere(delivery)) {
      // the synthetic event reconciliation appended for this change was dispatched already
      if (record.reconciled) counters.duplicates++;
      return acknowledge(partition, position, undefined);
    }
    if (signal.aborted) return;
    const asked = claimFor(entry, signal);
    return asked instanceof Promise ? asked.then((claimed) => attempt(delivery, claimed, signal)) : attempt(delivery, asked, signal);
  }

  /** An attempt with the claim asked for it: runs the handlers if it is ours, else acknowledges a duplicate or waits for the holder. */
  function attempt(delivery: Delivery, claimed: ClaimResult | undefined, signal: AbortSignal): void | Promise<void> {
    if (claimed === undefined) return;
    if (claimed.status === 'done') {
      counters.duplicates++;
      return acknowledge(delivery.partition, delivery.position, undefined);
    }
    if (claimed.status === 'in-flight') {
      // a consumer that lost this partition is still running it: its outcome decides
      return sleep(Math.min(1000, settings.leaseMs / 4), signal).then(() => again(delivery, signal));
    }
    const { token } = claimed;
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = handle(delivery);
    } catch (error) {
      outcome = { result: 'failed', error };
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (settled) => finish(delivery, token, settled, signal),
        (error: unknown) => finish(delivery, token, { result: 'failed', error }, signal)
      );
    }
    return finish(delivery, token, outcome, signal);
  }

  function finish(delivery: Delivery, token: string, outcome: Outcome, signal: AbortSignal): void | Promise<void> {
    if (outcome.result === 'handled') {
      counters.handled++;
      return acknowledge(delivery.partition, delivery.position, delivery.record.key);
    }
    return failed(delivery, token, outcome.error, signal);
  }

  /** Gives the claim back and records the failure; dead-letters the event after `maxAttempts`, else runs it again after its delay. */
  async function failed(delivery: Delivery, token: string, error: unknown, signal: AbortSignal): Promise<void> {
    counters.failed++;
    await giveBack(delivery, token);
    const failures = await persist(() => log.recordFailure(group, delivery.partition, delivery.position), signal);
    if (failures === undefined) return;
    if (failures >= settings.maxAttempts) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await persist(() => log.deadLetter(group, { ...delivery, failures }, reason), signal);
      counters.deadLettered++;
      return;
    }
    await sleep(settings.delay(failures), signal);
    if (!signal.aborted) counters.redeliveries++;
    return again(delivery, signal);
  }

  /** Another attempt, with a claim asked for now (the one taken ahead is spent), unless the consumer is stopping. */
  function again(delivery: Delivery, signal: AbortSignal): void | Promise<void> {
    if (signal.aborted) return;
    return claimNow(delivery, undefined, signal).then((claimed) => attempt(delivery, claimed, signal));
  }

  /** A log that lost its data (Redis restarted without persistence) lost the group too: it is created again, from `start`. */
  async function readOrRecreate(partition: number, count: number): Promise<Delivery[]> {
    try {
      return await log.read(group, settings.name, partition, count);
    } catch (error) {
      await log.createGroup(group, settings.start).catch(() => undefined);
      throw error;
    }
  }

  /** Works one partition while this consumer holds it: first what was pending in the group, then new entries. */
  async function work(partition: number, signal: AbortSignal): Promise<void> {
    // per repository, its entries in order: the first is running or next
    const queues = new Map<string, Queued[]>();
    let queued = 0;
    let freed: (() => void) | undefined;

    /** Keeps a parked queue's wait where a stop finds it (in `busy`), until it settles. */
    function hold(waiting: Promise<void>): void {
      busy.add(waiting);
      const settled = () => void busy.delete(waiting);
      void waiting.then(settled, settled);
    }

    /**
     * Runs a repository's queue from its head, one event after another, in this turn for as long as
     * each finishes at once, in one slot (events that finish at once never run side by side); parks
     * (in `busy`) on a slot or an event that does not, and goes on from there.
     */
    function drain(repository: string, queue: Queued[], holdsSlot = false): void {
      while (queue.length > 0 && !signal.aborted) {
        if (!holdsSlot) {
          const wait = slots.acquire();
          if (wait) return hold(wait.then(() => drain(repository, queue, true)));
          holdsSlot = true;
        }
        const entry = queue[0] as Queued;
        let unsettled: void | Promise<void> = undefined;
        try {
          unsettled = run(entry, signal);
        } catch (error) {
          reportError(error, entry.delivery);
        }
        // the slot stays taken while the event runs, and is given up once it settles: other repositories' turn
        if (unsettled) return hold(drainLater(repository, queue, unsettled));
        dequeue(queue);
      }
      if (holdsSlot) slots.release();
      // a queue a stop left behind keeps its entries: their claims taken ahead are given back (`releaseAhead`)
      if (queue.length === 0) queues.delete(repository);
    }

    /**
     * Goes on with a queue whose head's run has not settled: as `drain`, but awaiting, in one
     * async run (one `busy` entry) for as long as its events keep not finishing at once, instead of
     * a wait and a hand-over of its own per event. After each such event the slot is given up (other repositories'
     * turn) and taken again; an event that finishes at once keeps it.
     */
    async function drainLater(repository: string, queue: Queued[], unsettled: Promise<void>): Promise<void> {
      let pending: void | Promise<void> = unsettled;
      for (;;) {
        if (pending) {
          try {
            await pending;
          } catch (error) {
            reportError(error, queue[0]?.delivery);
          }
          dequeue(queue);
          slots.release();
          if (queue.length === 0 || signal.aborted) break;
          const wait = slots.acquire();
          if (wait) await wait;
          if (signal.aborted) {
            slots.release();
            break;
          }
        } else {
          dequeue(queue);
          if (queue.length === 0 || signal.aborted) {
            slots.release();
            break;
          }
        }
        const entry = queue[0] as Queued;
        pending = undefined;
        try {
          pending = run(entry, signal);
        } catch (error) {
          reportError(error, entry.delivery);
        }
      }
      // as in `drain`: a queue a stop left behind keeps its entries
      if (queue.length === 0) queues.delete(repository);
    }

    function dequeue(queue: Queued[]): void {
      queue.shift();
      if (--queued <= refillAt) freed?.();
    }

    function enqueue(entry: Queued): void {
      queued++;
      const { repository } = entry.delivery.record;
      const queue = queues.get(repository);
      if (queue) {
        queue.push(entry);
        return;
      }
      const fresh = [entry];
      queues.set(repository, fresh);
      drain(repository, fresh);
    }

    try {
      await feed();
    } finally {
      releaseAhead(queues.values());
    }

    /** First what was pending in the group, then new entries, each batch claimed as it comes. */
    async function feed(): Promise<void> {
      let cursor = '0-0';
      do {
        const page = await persist(() => log.claim(group, settings.name, partition, cursor, largestBatch), signal);
        if (!page) return;
        for (const entry of queuedOf(partition, page.deliveries)) {
          counters.redeliveries++;
          enqueue(entry);
        }
        cursor = page.cursor;
      } while (cursor !== '0-0' && !signal.aborted);

      while (!signal.aborted) {
        // reads of many entries, not one per finished event
        if (queued > refillAt) {
          await new Promise<void>((resolve) => {
            // once: events finishing before the feed resumes find nothing more to wake
            const wake = () => {
              freed = undefined;
              signal.removeEventListener('abort', wake);
              resolve();
            };
            freed = wake;
            signal.addEventListener('abort', wake, { once: true });
          });
          continue;
        }
        const batch = await persist(() => readOrRecreate(partition, Math.min(largestBatch, prefetch - queued)), signal);
        if (!batch) return;
        if (batch.length === 0) await sleep(settings.pollMs, signal);
        for (const entry of queuedOf(partition, batch)) enqueue(entry);
      }
    }
  }

  function follow(owned: readonly number[]): void {
    for (const [partition, worker] of workers) {
      if (owned.includes(partition)) continue;
      worker.abort.abort();
      workers.delete(partition);
    }
    for (const partition of owned) {
      if (workers.has(partition)) continue;
      const abort = new AbortController();
      const signal = AbortSignal.any([abort.signal, stopping.signal]);
      workers.set(partition, { abort, done: work(partition, signal) });
    }
  }

  async function beat(signal: AbortSignal): Promise<void> {
    let renewedAt = Date.now();
    while (!signal.aborted) {
      const asked = Date.now();
      const owned = await log.lease(group, settings.name, settings.leaseMs).catch((error: unknown) => {
        reportError(error);
        return undefined;
      });
      if (owned) {
        renewedAt = asked;
        follow(owned);
      } else if (Date.now() - renewedAt >= settings.leaseMs) {
        // our leases may have lapsed: another consumer may hold these partitions now
        follow([]);
      }
      await sleep(settings.leaseMs / 3, signal);
    }
  }

  return {
    counters,
    get running() {
      return running;
    },
    async start(): Promise<void> {
      if (running) return;
      await log.createGroup(group, settings.start);
      stopping = new AbortController();
      running = true;
      const owned = await log.lease(group, settings.name, settings.leaseMs);
      follow(owned);
      heartbeat = beat(stopping.signal);
    },
    /** Stops reading; events being handled finish, queued ones are released to the group. */
    async stop(): Promise<void> {
      if (!running) return;
      // handlers that are running finish and are acknowledged; waits for a retry end at once
      stopping.abort();
      await heartbeat;
      await Promise.allSettled([...workers.values()].map((worker) => worker.done));
      await Promise.allSettled([...busy]);
      await Promise.allSettled([...acking]);
      workers.clear();
      running = false;
      await log.releaseLeases(group, settings.name).catch((error: unknown) => reportError(error));
    },
  };
}

import { collectTags, createRegistryClient, type RegistryClient, type RegistryClientOptions } from '@regevents/registry-client';
import pLimit, { type LimitFunction } from 'p-limit';
import { RelayConfigError } from './errors.js';
import type { RelayLog } from './log.js';
import { syntheticPush, syntheticTagDelete } from './reconcile-events.js';
import type { TagState, TagStateEntry } from './tag-state.js';

/** The User-Agent of reconciliation's reads: every manifest HEAD is a pull event, and pull statistics can leave these out. */
export const RECONCILE_USER_AGENT = 'regevents-reconcile/0.1.0';

export interface ReconcileOptions {
  /** The registry: a client, or its options (the client is then made with `RECONCILE_USER_AGENT`). */
  client: RegistryClient | RegistryClientOptions;
  /** The relay (or anything with its `log`) whose log and tag state are brought up to date. */
  relay: { readonly log: RelayLog };
  /** Reconcile this repository alone. */
  scope?: string;
  /** Resume a reconciliation of the whole registry after this repository (the catalog is in lexical order). */
  after?: string;
  /** Called as the catalog is worked through, with the last repository before which everything is reconciled: keep it, and pass it as `after` to resume. */
  onProgress?: (lastRepository: string) => void;
  /** Requests in flight at once (tag lists and manifest HEADs). Default 8. */
  concurrency?: number;
  /**
   * Leave alone a tag whose state a real event wrote less than this many ms before its tag list was
   * started: docker-registry sends a push by tag before it links the tag, so the list may not show
   * that push yet (the tag missing, or at its old digest). Such a tag counts in `settling`; a later
   * run compares it. Default 10,000 (as long as replication waits for a tag link).
   */
  settleMs?: number;
  /**
   * A monotonic clock in ms, measuring how long after a repository's tag list started its state
   * was read (the tag state's ages are measured then, on its own clock); inject one in tests.
   * Default `performance.now`.
   */
  monotonicNow?: () => number;
  signal?: AbortSignal;
}

export interface ReconcileResult {
  repositories: number;
  tags: number;
  /** Synthetic `push` events appended: tags new or moved since the state last saw them. */
  pushed: number;
  /** Synthetic tag deletes appended: tags the registry no longer has. */
  deleted: number;
  /** Tags that differ from the state but were left alone: a real event wrote them within `settleMs` (see there). */
  settling: number;
  /** The last repository of the catalog that was reconciled (to resume with `after`). */
  lastRepository?: string;
}

const DEFAULT_SETTLE_MS = 10_000;

/** Checks the options of `reconcile` (each run) and `startReconciler` (up front): a RelayConfigError names what is wrong. Answers them with their defaults. */
export function checkReconcileOptions(options: ReconcileOptions): { log: RelayLog; concurrency: number; settleMs: number } {
  const client = options?.client;
  if (!client || typeof client !== 'object' || typeof client.baseUrl !== 'string') throw new RelayConfigError('reconcile needs { client }: a registry client or its options');
  const log = options.relay?.log;
  if (!log || typeof log.append !== 'function') throw new RelayConfigError('reconcile needs { relay }: a relay or { log }');
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RelayConfigError('concurrency must be a positive integer');
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  if (!(Number.isFinite(settleMs) && settleMs >= 0)) throw new RelayConfigError('settleMs must be a number of milliseconds, 0 or more');
  return { log, concurrency, settleMs };
}

function clientOf(client: RegistryClient | RegistryClientOptions): RegistryClient {
  return 'headManifest' in client ? client : createRegistryClient({ userAgent: RECONCILE_USER_AGENT, ...client });
}

interface Run {
  client: RegistryClient;
  log: RelayLog;
  state: TagState;
  limit: LimitFunction;
  settleMs: number;
  monotonicNow: () => number;
  signal: AbortSignal | undefined;
  result: ReconcileResult;
}

/** A repository's tags, and when (by `monotonicNow`) their list was started. */
async function listTags(run: Run, repository: string): Promise<{ tags: string[]; listStartedAt: number }> {
  const listStartedAt = run.monotonicNow();
  return { tags: await collectTags(run.client, repository, { signal: run.signal }), listStartedAt };
}

/**
 * The state of a repository's tags, with their change ages, read in one step (see
 * `TagState.tagsWithAges`: read apart, a real delete between the two would leave an entry a real
 * event wrote just before without its age, compared at once: a synthetic delete after the real
 * one), and when (by `monotonicNow`) the read ended.
 */
async function readState(run: Run, repository: string): Promise<{ known: Map<string, TagStateEntry>; ages: Map<string, number>; stateReadAt: number }> {
  const { tags: known, ages } = run.state.tagsWithAges ? await run.state.tagsWithAges(repository) : { tags: await run.state.tags(repository), ages: new Map<string, number>() };
  return { known, ages, stateReadAt: run.monotonicNow() };
}

/**
 * Compares one repository's tags (listed, then each HEAD) with the state; appends one synthetic
 * event per difference, but for a tag a real event wrote within `settleMs` before the list
 * started (or after: the state is read once the list is in). A real delete needs no such wait: the
 * registry unlinks a tag before it sends the delete, and every HEAD is sent after the state was
 * read, so a tag whose delete the state has taken answers its HEAD 404 (no synthetic push brings
 * it back).
 */
async function reconcileRepository(run: Run, repository: string): Promise<void> {
  const { client, log, limit, signal, result } = run;
  const { tags, listStartedAt } = await limit(() => listTags(run, repository));
  // the state once the list is in: a real event appended while the list waited or was under way is
  // in it (were the state older, a tag the list shows would be new to it: a second, synthetic push)
  const { known, ages, stateReadAt } = await readState(run, repository);
  // an age less the time from the list's start to the end of the state read is the age the write
  // had when the list started, or a little less (never more): the window is at least settleMs
  const sinceListStarted = stateReadAt - listStartedAt;
  /** Whether `tag`'s difference waits for a later run (counted as settling): a real event wrote it within settleMs. */
  const leftToSettle = (tag: string) => {
    const settling = (ages.get(tag) ?? Infinity) - sinceListStarted < run.settleMs;
    if (settling) result.settling++;
    return settling;
  };
  const manifests = await Promise.all(tags.map((tag) => limit(() => client.headManifest(repository, tag, { signal }))));
  result.repositories++;
  const present = new Set<string>();
  for (const [index, tag] of tags.entries()) {
    const manifest = manifests[index];
    if (!manifest) continue; // deleted between the list and the HEAD: gone, as below
    present.add(tag);
    result.tags++;
    if (known.get(tag)?.digest === manifest.digest) continue;
    if (leftToSettle(tag)) continue;
    await log.append(syntheticPush(client, repository, tag, manifest));
    result.pushed++;
  }
  for (const [tag, entry] of known) {
    if (present.has(tag) || entry.digest === '') continue;
    if (leftToSettle(tag)) continue;
    await log.append(syntheticTagDelete(client, repository, tag, entry.digest));
    result.deleted++;
  }
}

/** Runs `work` for each name the iterator gives, with at most `width` at once, reading the iterator only as fast as work finishes. */
async function forEachStreamed(names: AsyncIterable<string> | Iterable<string>, width: number, work: (name: string) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const name of names) {
    if (failure) break;
    const task: Promise<void> = work(name)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= width) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}

/**
 * Takes a snapshot of the registry (catalog, every tag, each tag's digest by HEAD), streamed,
 * with at most `concurrency` requests at once, and compares it with the tag state the log
 * implies. Each difference becomes one synthetic event in the log (`origin: 'reconcile'`): a
 * `push` for a new or moved tag, a tag `delete` for a tag that is gone; a tag a real event wrote
 * within `settleMs` waits for a later run. A second run, once every tag settled, finds nothing to
 * append.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { log, concurrency, settleMs } = checkReconcileOptions(options);
  const client = clientOf(options.client);
  const run: Run = {
    client,
    log,
    state: log.tagState,
    limit: pLimit(concurrency),
    settleMs,
    monotonicNow: options.monotonicNow ?? (() => performance.now()),
    signal: options.signal,
    result: { repositories: 0, tags: 0, pushed: 0, deleted: 0, settling: 0 },
  };

  if (options.scope !== undefined) {
    await reconcileRepository(run, options.scope);
    return run.result;
  }
  const after = options.after;
  const listed = new Set<string>();
  // repositories in catalog order, each done or not: the done prefix is where a resumed run starts
  const order: { repository: string; done: boolean }[] = [];
  const advance = () => {
    while (order[0]?.done) run.result.lastRepository = order.shift()?.repository;
    if (run.result.lastRepository !== undefined) options.onProgress?.(run.result.lastRepository);
  };
  await forEachStreamed(client.catalog({ signal: options.signal }), concurrency, async (repository) => {
    listed.add(repository);
    if (after !== undefined && repository <= after) return;
    const slot = { repository, done: false };
    order.push(slot);
    await reconcileRepository(run, repository);
    slot.done = true;
    advance();
  });
  // repositories the state knows and the catalog no longer lists: every tag of theirs is gone
  const vanished = async function* () {
    for await (const repository of run.state.repositories()) if (!listed.has(repository) && (after === undefined || repository > after)) yield repository;
  };
  await forEachStreamed(vanished(), concurrency, (repository) => reconcileRepository(run, repository));
  return run.result;
}

import { normalizeDistributionEvent, type NormalizedRegistryEvent } from '@regevents/formats';
import type { RegistryClient } from '@regevents/registry-client';
import type { DerivedFields, Event } from '@regevents/types';
import { isKnownEvent, type UnknownEvent } from '@regevents/webhooks';
import { createDeadline } from './deadline.js';
import { RelayConfigError } from './errors.js';
import type { LogRecord } from './record.js';
import { createRegistryLookups, type LookupOptions, type RegistryLookups } from './registry-lookups.js';

/** The user agent of an enricher's registry reads; retention does not count requests from `regevents…` agents as pulls. */
export const ENRICH_USER_AGENT = 'regevents-enrich/0.1.0';

/** The registry an event came from, as its normalized form names it. */
export type EventRegistry = NormalizedRegistryEvent['registry'];

export interface EnrichOptions extends LookupOptions {
  /**
   * Where missing fields are read: the registry the events come from, or a function choosing one
   * per event's registry (`undefined`: no reads for that registry). Without it, only what the log
   * knows is filled in (a tag delete's digest).
   */
  client?: RegistryClient | ((registry: EventRegistry) => RegistryClient | undefined);
  /** Longest time the reads for one event may take; past it the event goes on as it was. Default 3,000 ms. */
  timeoutMs?: number;
}

/** Why a field stayed empty: the event goes on without it. */
export interface EnrichDiagnostic {
  field: keyof DerivedFields;
  reason: 'no-client' | 'not-found' | 'ambiguous' | 'too-many-tags' | 'timeout' | 'lookup-failed';
  message: string;
  /** `ambiguous`: every tag that names the digest (none was picked). */
  tags?: string[];
}

export interface Enrichment {
  /** The event in the normalized model, with what was filled in named in `derived`. */
  event: NormalizedRegistryEvent;
  /** Fields that could not be filled, and why (empty when nothing was missing or all was found). */
  diagnostics: EnrichDiagnostic[];
}

export interface EnrichCounters {
  /** Events with at least one field filled in. */
  enriched: number;
  /** Fields left empty, by reason. */
  diagnostics: Record<EnrichDiagnostic['reason'], number>;
}

export interface Enricher {
  /** The record's event, normalized and enriched; `undefined` for a record with no normalized form (an unknown action). Never rejects. */
  enrich(record: LogRecord): Promise<Enrichment | undefined>;
  counters(): EnrichCounters;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

class EnrichTimeoutError extends Error {
  override name = 'EnrichTimeoutError';
}

/** The record's event as the normalized model has it (`occurredAt` back to a Date). */
function normalizedOf(record: LogRecord): NormalizedRegistryEvent | undefined {
  if (record.format !== 'distribution') {
    const event = record.event as NormalizedRegistryEvent & { occurredAt: string | Date };
    return { ...event, occurredAt: new Date(event.occurredAt) };
  }
  const event = record.event as Event | UnknownEvent;
  return isKnownEvent(event) ? normalizeDistributionEvent(event) : undefined;
}

/** What a rule found: fields to set with where they came from, or why it could not. */
type Found = { fields: Partial<Pick<NormalizedRegistryEvent, 'digest' | 'tag'>>; derived: DerivedFields } | EnrichDiagnostic;

interface RegistryRead {
  client: RegistryClient;
  lookups: RegistryLookups;
  signal: AbortSignal;
}

/** A rule either reads the record alone, or the registry too (then with a client, a deadline and a signal). */
type Rule = {
  field: keyof DerivedFields;
  /** Whether the event misses what this rule fills. */
  applies(event: NormalizedRegistryEvent, record: LogRecord): boolean;
} & ({ reads: false; find(event: NormalizedRegistryEvent, record: LogRecord): Promise<Found> } | { reads: true; find(event: NormalizedRegistryEvent, record: LogRecord, read: RegistryRead): Promise<Found> });

const RULES: Rule[] = [
  {
    // distribution sends a tag delete as `{repository, tag}`; the log kept the digest it removed
    field: 'digest',
    reads: false,
    applies: (event) => event.kind === 'tag.deleted' && !event.digest,
    async find(_event, record) {
      if (!record.deletedDigest) return { field: 'digest', reason: 'not-found', message: "the log's tag state held no digest for the tag when the delete was appended" };
      return { fields: { digest: record.deletedDigest }, derived: { digest: 'log-state' } };
    },
  },
  {
    // Docker Hub and Quay name the pushed tag and no digest
    field: 'digest',
    reads: true,
    applies: (event) => event.kind === 'artifact.pushed' && !event.digest && Boolean(event.tag),
    async find(event, _record, { client, lookups, signal }) {
      const digest = await lookups.digestOf(client, event.repository, event.tag as string, signal);
      if (!digest) return { field: 'digest', reason: 'not-found', message: `the registry has no tag ${event.repository}:${event.tag}` };
      return { fields: { digest }, derived: { digest: 'registry' } };
    },
  },
  {
    // Harbor puts the digest in `tag` for robot pushes (goharbor/harbor#20939); the normalizer drops such a tag
    field: 'tag',
    reads: true,
    applies: (event) => event.kind === 'artifact.pushed' && event.registry.kind === 'harbor' && Boolean(event.digest) && (!event.tag || DIGEST.test(event.tag)),
    async find(event, _record, { client, lookups, signal }) {
      const digest = event.digest as string;
      const tags = await lookups.tagsNaming(client, event.repository, digest, signal);
      if (!tags) return { field: 'tag', reason: 'too-many-tags', message: `${event.repository} has more than ${lookups.maxTags} tags to read` };
      const [tag, ...others] = tags;
      if (tag === undefined) return { field: 'tag', reason: 'not-found', message: `no tag of ${event.repository} names ${digest}` };
      if (others.length > 0) return { field: 'tag', reason: 'ambiguous', message: `${tags.length} tags of ${event.repository} name ${digest}`, tags: tags.sort() };
      return { fields: { tag }, derived: { tag: 'registry' } };
    },
  },
];

function clientChooser(client: EnrichOptions['client']): (registry: EventRegistry) => RegistryClient | undefined {
  if (client === undefined) return () => undefined;
  if (typeof client === 'function') return client;
  if (typeof client === 'object' && client !== null && typeof client.headManifest === 'function') return () => client;
  throw new RelayConfigError('enrich.client must be a registry client (createRegistryClient) or a function choosing one per registry');
}

function failure(field: keyof DerivedFields, error: unknown): EnrichDiagnostic {
  if (error instanceof EnrichTimeoutError) return { field, reason: 'timeout', message: error.message };
  return { field, reason: 'lookup-failed', message: `the registry read failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
}

/**
 * Fills in what registries leave out of their events, marking each filled field in `derived`:
 * the digest of a tag delete (from the log's tag state), the digest of a Docker Hub or Quay push
 * (a manifest HEAD of the tag), the tag of a Harbor push that carries a digest in its place (the
 * tags naming the digest, when exactly one does). A read that fails or takes too long leaves the
 * field empty with a diagnostic; the event itself always goes on. Runs where events are consumed,
 * never where the registry's request is answered.
 */
export function createEnricher(options: EnrichOptions = {}): Enricher {
  const chooseClient = clientChooser(options.client);
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!(timeoutMs > 0)) throw new RelayConfigError('enrich.timeoutMs must be a positive number of milliseconds');
  const lookups = createRegistryLookups(options);
  const withDeadline = createDeadline(timeoutMs, 'the registry');
  const counters: EnrichCounters = { enriched: 0, diagnostics: { 'no-client': 0, 'not-found': 0, ambiguous: 0, 'too-many-tags': 0, timeout: 0, 'lookup-failed': 0 } };

  async function apply(rule: Rule, event: NormalizedRegistryEvent, record: LogRecord): Promise<Found> {
    // a rule that reads the record alone needs no deadline: nothing it does can hang
    if (!rule.reads) return rule.find(event, record).catch((error: unknown) => failure(rule.field, error));
    const client = chooseClient(event.registry);
    if (!client) return { field: rule.field, reason: 'no-client', message: `no registry client for ${event.registry.kind}${event.registry.host ? ` (${event.registry.host})` : ''}` };
    const abort = new AbortController();
    const expire = (message: string) => {
      abort.abort();
      return new EnrichTimeoutError(message);
    };
    try {
      return await withDeadline(() => rule.find(event, record, { client, lookups, signal: abort.signal }), expire);
    } catch (error) {
      return failure(rule.field, error);
    }
  }

  return {
    async enrich(record) {
      let event: NormalizedRegistryEvent | undefined;
      try {
        event = normalizedOf(record);
      } catch {
        return undefined; // a record that is not what the relay writes: the raw view reports it
      }
      if (!event) return undefined;
      const diagnostics: EnrichDiagnostic[] = [];
      let derived: DerivedFields | undefined;
      for (const rule of RULES) {
        if (!rule.applies(event, record)) continue;
        const found = await apply(rule, event, record);
        if ('reason' in found) {
          diagnostics.push(found);
          counters.diagnostics[found.reason]++;
        } else {
          derived = { ...derived, ...found.derived };
          event = { ...event, ...found.fields, derived };
        }
      }
      if (derived) counters.enriched++;
      return { event, diagnostics };
    },
    counters: () => ({ enriched: counters.enriched, diagnostics: { ...counters.diagnostics } }),
  };
}

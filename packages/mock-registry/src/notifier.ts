import type { Envelope, Event, EventAction, SourceRecord } from '@regevents/types';
import type { RequestContext } from './api.js';
import { rfc3339, type Clock } from './clock.js';
import { EndpointSender, type DeliveryAttempt, type DeliveryEndpoint, type EndpointDelivery, type EndpointMetrics } from './delivery.js';
import { eventsMediaType, layoutEvent, layoutTarget, type EventLayout, type TargetFacts } from './event-format.js';
import { goMarshalIndent } from './go-json.js';
import type { IdGenerator } from './ids.js';

/** One event the registry emitted: the exact envelope body it POSTs, and its fate at each endpoint. */
export interface RecordedEvent {
  event: Event;
  envelope: Envelope;
  body: string;
  /** One entry per endpoint whose filters let the event through. */
  deliveries: EndpointDelivery[];
}

export interface NotifierEndpoint extends DeliveryEndpoint {
  /** The endpoint's whole configuration as `/debug/vars` shows it, header values redacted unless `showHeaders`. */
  debugConfig(showHeaders: boolean): Record<string, unknown>;
}

export interface NotifierOptions {
  /** The event layout of the imitated release. */
  layout: EventLayout;
  clock: Clock;
  newId: IdGenerator;
  source: () => SourceRecord;
  endpoints: NotifierEndpoint[];
  fetch: () => typeof fetch;
  fault: (endpoint: string, attempt: number) => number | Error | undefined;
  observer?: RegistryObserver;
}

/** Callbacks for what the registry does, e.g. for a log. */
export interface RegistryObserver {
  /** After an event is emitted and queued for its endpoints. */
  onEvent?: (recorded: RecordedEvent) => void;
  /** After each delivery attempt, successful or not. */
  onDeliveryAttempt?: (endpoint: string, event: Event, attempt: DeliveryAttempt) => void;
}

export interface WaitOptions {
  /** Milliseconds of real time before rejecting (default 5000). */
  timeout?: number;
  /** Also wait until every endpoint has the matching events delivered. */
  delivered?: boolean;
  /** With a predicate: how many events must match (default 1). */
  count?: number;
}

/** Builds events exactly as the registry lays them out and hands each to every endpoint's queue. */
export class Notifier {
  readonly events: RecordedEvent[] = [];
  readonly #options: NotifierOptions;
  #senders: { endpoint: NotifierEndpoint; sender: EndpointSender }[];
  readonly #listeners = new Set<() => void>();

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#senders = this.#startSenders();
  }

  #startSenders() {
    const { clock, layout, fetch, fault, observer } = this.#options;
    const onAttempt = observer?.onDeliveryAttempt;
    return this.#options.endpoints.map((endpoint) => ({
      endpoint,
      sender: new EndpointSender(endpoint, { clock, fetch, fault, onAttempt, contentType: eventsMediaType(layout), userAgent: 'Go-http-client/1.1' }),
    }));
  }

  emit(action: EventAction, facts: TargetFacts, context: RequestContext): void {
    const event = layoutEvent({
      id: this.#options.newId(),
      timestamp: rfc3339(this.#options.clock.now()),
      action,
      target: layoutTarget(this.#options.layout, facts),
      request: context.record,
      actor: context.identity.user ? { name: context.identity.user } : {},
      source: this.#options.source(),
    });
    const envelope: Envelope = { events: [event] };
    const body = goMarshalIndent(envelope);
    const deliveries = this.#senders.flatMap(({ sender }) => sender.write(body, event) ?? []);
    const recorded = { event, envelope, body, deliveries };
    this.events.push(recorded);
    this.#options.observer?.onEvent?.(recorded);
    for (const listener of this.#listeners) listener();
  }

  /** Notifies `listener` after every event and every delivery attempt outcome check. */
  #subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async waitFor(match: number | ((event: Event) => boolean), options: WaitOptions = {}): Promise<Event[]> {
    const count = typeof match === 'number' ? match : (options.count ?? 1);
    const select = (): Event[] => {
      const events = this.events.map((recorded) => recorded.event);
      return typeof match === 'number' ? events.slice(0, match) : events.filter(match);
    };
    const timeout = options.timeout ?? 5_000;
    const ready = (): boolean => select().length >= count;
    let unsubscribe = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (!ready()) {
        await new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`waitForEvents: ${select().length} of ${count} matching events after ${timeout} ms (${this.events.length} emitted)`)), timeout);
          unsubscribe = this.#subscribe(() => {
            if (ready()) resolve();
          });
        });
      }
      if (options.delivered) {
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`waitForEvents: events not delivered within ${timeout} ms`)), timeout);
        });
        await Promise.race([this.idle(), deadline]);
      }
      return select();
    } finally {
      unsubscribe();
      clearTimeout(timer);
    }
  }

  /** Resolves when every endpoint queue is empty. */
  async idle(): Promise<void> {
    await Promise.all(this.#senders.map(({ sender }) => sender.idle()));
  }

  /** The `registry.notifications` part of `/debug/vars`. */
  debugVars(showHeaders: boolean): { endpoints: (Record<string, unknown> & { name: string; Metrics: EndpointMetrics })[] } {
    return {
      endpoints: this.#senders.map(({ endpoint, sender }) => ({ name: endpoint.name, url: endpoint.url, ...endpoint.debugConfig(showHeaders), Metrics: sender.metrics })),
    };
  }

  /** Forgets recorded events and drops queued deliveries; endpoints start afresh. */
  reset(): void {
    this.stop();
    this.events.length = 0;
    this.#senders = this.#startSenders();
  }

  stop(): void {
    for (const { sender } of this.#senders) sender.stop();
  }
}

import type { FormatId } from '@regevents/formats';
import type { DeliveryInfo, EventContext, NormalizedEventContext } from './types.js';

/** Whatever builds a delivery's `Headers`, on first use: building them costs more than validating an event. */
export interface HeadersSource {
  headers(): Headers;
}

/**
 * `headers` as a getter on the prototype, not an own getter per object: an object literal's own
 * getter gives each object a hidden class of its own, kept in the old generation, and that keeps
 * the whole request (envelope included) alive through every young-generation GC (profiled: a
 * megabyte surviving each scavenge, a quarter of the receiver's time in the collector).
 */
class LazyHeaders {
  readonly #source: HeadersSource;

  constructor(source: HeadersSource) {
    this.#source = source;
  }

  get headers(): Headers {
    return this.#source.headers();
  }
}

export class DistributionEventContext extends LazyHeaders implements EventContext {
  constructor(
    public envelope: { events: readonly unknown[] },
    public index: number,
    public delivery: DeliveryInfo,
    source: HeadersSource,
  ) {
    super(source);
  }
}

export class NormalizedContext extends LazyHeaders implements NormalizedEventContext {
  constructor(
    public format: FormatId,
    public index: number,
    public delivery: DeliveryInfo,
    source: HeadersSource,
  ) {
    super(source);
  }
}

export class DeliveryContext extends LazyHeaders {
  constructor(
    public delivery: DeliveryInfo,
    source: HeadersSource,
  ) {
    super(source);
  }
}

import type { NormalizedRegistryEvent } from '@regevents/formats';
import type { Outcome } from './loop-types.js';
import { createEnricher, type EnrichDiagnostic, type Enricher, type EnrichOptions } from './enrich.js';
import type { Delivery } from './log.js';

/** A handler of the enriched view: every event in the normalized model, with what enrichment filled in (`event.derived`) and what it could not. */
export type EnrichedEventHandler = (event: NormalizedRegistryEvent, info: { diagnostics: EnrichDiagnostic[]; delivery: Delivery }) => unknown;

function isEnricher(value: EnrichOptions | Enricher): value is Enricher {
  return typeof (value as Enricher).enrich === 'function';
}

/**
 * A consumer's enriched view: its handlers run once the event's own handlers did, with the event
 * enriched; a failing handler retries the event from this view (its own handlers and the coalesced view's do not run again in this process). The
 * registry reads happen here, in the consumer, never on the receiver's path.
 */
export function createEnrichedView(options: EnrichOptions | Enricher) {
  const enricher = isEnricher(options) ? options : createEnricher(options);
  const handlers: EnrichedEventHandler[] = [];
  return {
    enricher,
    on(handler: EnrichedEventHandler): void {
      handlers.push(handler);
    },
    async handle(delivery: Delivery): Promise<Outcome | undefined> {
      if (handlers.length === 0) return undefined;
      const enrichment = await enricher.enrich(delivery.record);
      if (!enrichment) return undefined;
      try {
        for (const handler of handlers) await handler(enrichment.event, { diagnostics: enrichment.diagnostics, delivery });
      } catch (error) {
        return { result: 'failed', error };
      }
      return undefined;
    },
  };
}

export type EnrichedView = ReturnType<typeof createEnrichedView>;

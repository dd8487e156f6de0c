/**
 * The one model every registry's event normalizes into (`@regevents/formats` makes it), in its
 * JSON form: the `data` of the `io.regevents.<kind>` CloudEvents. Generated from schemas/normalized.
 */
import type { components } from './generated/vendors.js';

export type NormalizedEventData = components['schemas']['NormalizedEvent'];
/** What happened, across registries. */
export type NormalizedKind = NormalizedEventData['kind'];
/** Which registry product sent it. */
export type RegistryKind = NormalizedEventData['registry']['kind'];
/** Which fields enrichment filled in, and where each value came from (`registry` or `log-state`). */
export type DerivedFields = NonNullable<NormalizedEventData['derived']>;

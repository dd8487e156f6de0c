/**
 * Knative Trigger filter semantics (eventing.knative.dev/v1), so Triggers can be unit-tested:
 * - `filter.attributes`: every listed attribute must equal the value; the value `""` matches
 *   any value, including an absent attribute (Knative's "any" marker).
 * - `filters` (when non-empty it wins over `filter`): every entry must pass. An entry is one of
 *   `exact`, `prefix`, `suffix` (maps of attribute to string; all listed attributes must match),
 *   `all` (every sub-filter passes), `any` (some sub-filter passes), `not` (the sub-filter fails).
 *   An absent attribute never matches exact, prefix or suffix. `cesql` throws
 *   `UnsupportedFilterError`: regevents does not implement CloudEvents SQL.
 */
import { isRecord } from './body.js';
import { UnsupportedFilterError } from './errors.js';

export interface SubscriptionsAPIFilter {
  exact?: Record<string, string>;
  prefix?: Record<string, string>;
  suffix?: Record<string, string>;
  all?: SubscriptionsAPIFilter[];
  any?: SubscriptionsAPIFilter[];
  not?: SubscriptionsAPIFilter;
  cesql?: string;
}

export interface TriggerFilterSpec {
  filter?: { attributes?: Record<string, string> };
  filters?: SubscriptionsAPIFilter[];
}

/** A Trigger manifest (its `spec` is read) or just the spec. */
export type TriggerLike = TriggerFilterSpec | { spec?: TriggerFilterSpec };

type Attributes = Record<string, unknown>;

function attribute(event: Attributes, name: string): string | undefined {
  const value = event[name];
  if (value === undefined || value === null || name === 'data') return undefined;
  return typeof value === 'string' ? value : String(value);
}

function everyAttribute(event: Attributes, map: Record<string, string> | undefined, test: (actual: string, wanted: string) => boolean): boolean {
  return Object.entries(map ?? {}).every(([name, wanted]) => {
    const actual = attribute(event, name);
    return actual !== undefined && test(actual, wanted);
  });
}

function passes(event: Attributes, filter: SubscriptionsAPIFilter): boolean {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw new UnsupportedFilterError('a filter must be an object', [{ path: '/filters', message: 'must be an object' }]);
  if (filter.cesql !== undefined) throw new UnsupportedFilterError('cesql filters are not supported', [{ path: '/filters/cesql', message: 'is not supported' }]);
  const dialects = (['exact', 'prefix', 'suffix', 'all', 'any', 'not'] as const).filter((key) => filter[key] !== undefined);
  if (dialects.length === 0) throw new UnsupportedFilterError('a filter needs one of exact, prefix, suffix, all, any, not', [{ path: '/filters', message: 'is empty' }]);
  return dialects.every((dialect) => {
    switch (dialect) {
      case 'exact':
        return everyAttribute(event, filter.exact, (actual, wanted) => actual === wanted);
      case 'prefix':
        return everyAttribute(event, filter.prefix, (actual, wanted) => actual.startsWith(wanted));
      case 'suffix':
        return everyAttribute(event, filter.suffix, (actual, wanted) => actual.endsWith(wanted));
      case 'all':
        return (filter.all ?? []).every((sub) => passes(event, sub));
      case 'any':
        return (filter.any ?? []).some((sub) => passes(event, sub));
      case 'not':
        return !passes(event, filter.not as SubscriptionsAPIFilter);
    }
  });
}

/** Whether a Trigger would deliver the CloudEvent to its subscriber. */
export function matchesTriggerFilter(cloudEvent: Attributes, trigger: TriggerLike): boolean {
  const spec: TriggerFilterSpec = 'spec' in trigger && isRecord(trigger.spec) ? trigger.spec : (trigger as TriggerFilterSpec);
  if (spec.filters && spec.filters.length > 0) return spec.filters.every((filter) => passes(cloudEvent, filter));
  return Object.entries(spec.filter?.attributes ?? {}).every(([name, wanted]) => wanted === '' || attribute(cloudEvent, name) === wanted);
}

/**
 * Knative Trigger filter semantics (eventing.knative.dev/v1), so Triggers can be unit-tested:
 * - `filter.attributes`: every listed attribute must equal the value; the value `""` matches
 *   any value, including an absent attribute (Knative's "any" marker).
 * - `filters` (when non-empty it wins over `filter`): every entry must pass. An entry is one of
 *   `exact`, `prefix`, `suffix` (maps of attribute to string; all listed attributes must match),
 *   `all` (every sub-filter passes), `any` (some sub-filter passes), `not` (the sub-filter fails),
 *   `cesql`. An absent attribute never matches exact, prefix or suffix. `cesql` is a CloudEvents SQL
 *   expression (see ./cesql/): like Knative's cesql filter, it passes only when the expression
 *   evaluates to boolean `true` without any error, and `""` passes everything. An expression that
 *   does not parse makes the Trigger invalid (Knative's webhook rejects it), so it throws
 *   `UnsupportedFilterError` whose `cause` is the `CesqlParseError`; so do filters nested deeper
 *   than CESQL's own depth limit (`CESQL_LIMITS.maxDepth`). Attributes are the event's own
 *   properties: `constructor` or `toString` is on every object, not an attribute of every event.
 */
import { LRUCache } from 'lru-cache';
import { isRecord } from './body.js';
import { CESQL_LIMITS, CesqlParseError, parseCesql, type CompiledCesql } from './cesql/index.js';
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
  // Own properties only, as CESQL reads them: `constructor` or `toString` is on every object
  if (name === 'data' || !Object.hasOwn(event, name)) return undefined;
  const value = event[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function everyAttribute(event: Attributes, map: Record<string, string> | undefined, test: (actual: string, wanted: string) => boolean): boolean {
  return Object.entries(map ?? {}).every(([name, wanted]) => {
    const actual = attribute(event, name);
    return actual !== undefined && test(actual, wanted);
  });
}

/** Compiled expressions by source: a Trigger is evaluated once per event, with the same expressions. */
const compiledCesql = new LRUCache<string, CompiledCesql>({ max: 256 });

function compileCesql(expression: unknown): CompiledCesql {
  if (typeof expression !== 'string') throw new UnsupportedFilterError('a cesql filter must be a string', [{ path: 'filters.cesql', message: 'must be a string' }]);
  let compiled = compiledCesql.get(expression);
  if (compiled === undefined) {
    try {
      compiled = parseCesql(expression);
    } catch (error) {
      if (!(error instanceof CesqlParseError)) throw error;
      throw new UnsupportedFilterError(`invalid cesql filter: ${error.message}`, [{ path: 'filters.cesql', message: error.issues[0]?.message ?? error.message }], { cause: error });
    }
    compiledCesql.set(expression, compiled);
  }
  return compiled;
}

/** Knative's cesql filter: a non-boolean result or any evaluation error fails, even if the value is `true`. */
function passesCesql(event: Attributes, expression: unknown): boolean {
  if (expression === '') return true;
  const { value, errors } = compileCesql(expression).evaluate(event);
  return value === true && errors.length === 0;
}

/**
 * Walks the filters before any is evaluated: Knative parses every expression when the Trigger
 * is applied, so an invalid one throws whichever event comes; and nesting deeper than CESQL's own
 * limit is refused the same way, without recursion, so evaluation never exhausts the stack.
 */
function checkFilters(filters: readonly unknown[]): void {
  const stack: { filter: unknown; depth: number }[] = filters.map((filter) => ({ filter, depth: 1 }));
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { filter, depth } = next;
    if (!isRecord(filter)) continue;
    if (depth > CESQL_LIMITS.maxDepth) {
      throw new UnsupportedFilterError(`filters nest deeper than ${CESQL_LIMITS.maxDepth} levels`, [{ path: 'filters', message: `nests deeper than ${CESQL_LIMITS.maxDepth} levels of all, any and not` }]);
    }
    if (filter.cesql !== undefined && filter.cesql !== '') compileCesql(filter.cesql);
    const nested = [filter.all, filter.any].flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : []));
    if (filter.not !== undefined) nested.push(filter.not);
    for (const child of nested) stack.push({ filter: child, depth: depth + 1 });
  }
}

function passes(event: Attributes, filter: SubscriptionsAPIFilter): boolean {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw new UnsupportedFilterError('a filter must be an object', [{ path: 'filters', message: 'must be an object' }]);
  const dialects = (['exact', 'prefix', 'suffix', 'all', 'any', 'not', 'cesql'] as const).filter((key) => filter[key] !== undefined);
  if (dialects.length === 0) throw new UnsupportedFilterError('a filter needs one of exact, prefix, suffix, all, any, not, cesql', [{ path: 'filters', message: 'is empty' }]);
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
      case 'cesql':
        return passesCesql(event, filter.cesql);
    }
  });
}

/** Whether a Trigger would deliver the CloudEvent to its subscriber. */
export function matchesTriggerFilter(cloudEvent: Attributes, trigger: TriggerLike): boolean {
  const spec: TriggerFilterSpec = 'spec' in trigger && isRecord(trigger.spec) ? trigger.spec : (trigger as TriggerFilterSpec);
  if (spec.filters && spec.filters.length > 0) {
    checkFilters(spec.filters);
    return spec.filters.every((filter) => passes(cloudEvent, filter));
  }
  return Object.entries(spec.filter?.attributes ?? {}).every(([name, wanted]) => wanted === '' || attribute(cloudEvent, name) === wanted);
}

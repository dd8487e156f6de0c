import { describe, expect, it } from 'vitest';
import { CESQL_LIMITS, CesqlParseError } from '../src/cesql/index.js';
import { matchesTriggerFilter, UnsupportedFilterError, type SubscriptionsAPIFilter, type TriggerLike } from '../src/index.js';

const event = {
  specversion: '1.0',
  id: 'abc',
  source: '//harbor.example.com',
  type: 'io.regevents.artifact.pushed',
  subject: 'library/app:v1',
  registrykind: 'harbor',
  data: { type: 'not an attribute' },
};

const cases: [string, TriggerLike, boolean][] = [
  ['no filter at all matches everything', {}, true],
  ['legacy attributes: exact match', { filter: { attributes: { type: 'io.regevents.artifact.pushed' } } }, true],
  ['legacy attributes: mismatch', { filter: { attributes: { type: 'io.regevents.artifact.pulled' } } }, false],
  ['legacy attributes: every attribute must match', { filter: { attributes: { type: 'io.regevents.artifact.pushed', registrykind: 'acr' } } }, false],
  ['legacy attributes: "" matches any value', { filter: { attributes: { type: '', registrykind: 'harbor' } } }, true],
  ['legacy attributes: "" matches an absent attribute too', { filter: { attributes: { dataschema: '' } } }, true],
  ['legacy attributes: an absent attribute does not equal a value', { filter: { attributes: { dataschema: 'x' } } }, false],
  ['legacy attributes: data is not an attribute', { filter: { attributes: { type: 'io.regevents.artifact.pushed', data: 'x' } } }, false],
  ['exact', { filters: [{ exact: { type: 'io.regevents.artifact.pushed' } }] }, true],
  ['exact is case-sensitive', { filters: [{ exact: { type: 'IO.regevents.artifact.pushed' } }] }, false],
  ['prefix', { filters: [{ prefix: { type: 'io.regevents.artifact.' } }] }, true],
  ['prefix mismatch', { filters: [{ prefix: { type: 'io.regevents.blob.' } }] }, false],
  ['suffix', { filters: [{ suffix: { subject: ':v1' } }] }, true],
  ['suffix mismatch', { filters: [{ suffix: { subject: ':latest' } }] }, false],
  ['prefix on an absent attribute fails, even with an empty prefix', { filters: [{ prefix: { dataschema: '' } }] }, false],
  ['extension attributes can be filtered', { filters: [{ exact: { registrykind: 'harbor' } }] }, true],
  ['all: every sub-filter must pass', { filters: [{ all: [{ prefix: { type: 'io.regevents.' } }, { exact: { registrykind: 'harbor' } }] }] }, true],
  ['all: one failing sub-filter fails', { filters: [{ all: [{ prefix: { type: 'io.regevents.' } }, { exact: { registrykind: 'acr' } }] }] }, false],
  ['any: one passing sub-filter passes', { filters: [{ any: [{ exact: { registrykind: 'acr' } }, { exact: { registrykind: 'harbor' } }] }] }, true],
  ['any: none passing fails', { filters: [{ any: [{ exact: { registrykind: 'acr' } }, { exact: { registrykind: 'ecr' } }] }] }, false],
  ['not inverts', { filters: [{ not: { exact: { registrykind: 'acr' } } }] }, true],
  ['not inverts a match', { filters: [{ not: { prefix: { type: 'io.regevents.artifact' } } }] }, false],
  ['nested: not(any(...))', { filters: [{ not: { any: [{ suffix: { type: '.pulled' } }, { suffix: { type: '.deleted' } }] } }] }, true],
  ['several filters are ANDed', { filters: [{ prefix: { type: 'io.regevents.' } }, { exact: { subject: 'other' } }] }, false],
  ['filters win over filter when both are set (filters pass, filter would fail)', { filter: { attributes: { type: 'nope' } }, filters: [{ exact: { registrykind: 'harbor' } }] }, true],
  ['filters win over filter when both are set (filters fail, filter would pass)', { filter: { attributes: { registrykind: 'harbor' } }, filters: [{ exact: { registrykind: 'acr' } }] }, false],
  ['empty filters falls back to filter', { filter: { attributes: { registrykind: 'acr' } }, filters: [] }, false],
  ['a whole Trigger manifest is read through spec', { spec: { filters: [{ exact: { type: 'io.regevents.artifact.pushed' } }] } }, true],
  ['cesql: true passes', { filters: [{ cesql: "type LIKE 'io.regevents.artifact.%' AND registrykind IN ('harbor', 'quay')" }] }, true],
  ['cesql: false fails', { filters: [{ cesql: "registrykind = 'acr'" }] }, false],
  ['cesql: keywords, functions and attribute names are case-insensitive', { filters: [{ cesql: "lower(SUBJECT) like 'library/%' and exists REGISTRYKIND" }] }, true],
  ['cesql: data is not an attribute', { filters: [{ cesql: 'EXISTS data' }] }, false],
  ['cesql: a missing attribute is an error, so even a negated comparison fails', { filters: [{ cesql: "dataschema != 'x'" }] }, false],
  ['cesql: NOT EXISTS on a missing attribute is no error', { filters: [{ cesql: 'NOT EXISTS dataschema' }] }, true],
  ['cesql: an evaluation error fails the filter, even with OR TRUE after it (fail-fast, as in Knative)', { filters: [{ cesql: "LEFT(subject, -1) = subject OR TRUE" }] }, false],
  ['cesql: a math error fails the filter', { filters: [{ cesql: '1 / 0 = 0' }] }, false],
  ['cesql: an unknown function fails every event, as in Knative', { filters: [{ cesql: "IS_STRING(subject)" }] }, false],
  ['cesql: a non-boolean result fails', { filters: [{ cesql: 'subject' }] }, false],
  ['cesql: a true string is not boolean true', { filters: [{ cesql: "'true'" }] }, false],
  ['cesql: an empty expression passes (Knative sets no filter)', { filters: [{ cesql: '' }] }, true],
  ['cesql combined with exact, both passing', { filters: [{ exact: { registrykind: 'harbor' } }, { cesql: "subject LIKE '%:v1'" }] }, true],
  ['cesql combined with exact, cesql failing', { filters: [{ exact: { registrykind: 'harbor' } }, { cesql: "subject LIKE '%:latest'" }] }, false],
  ['cesql inside all', { filters: [{ all: [{ prefix: { type: 'io.regevents.' } }, { cesql: 'LENGTH(subject) > 5' }] }] }, true],
  ['cesql inside any', { filters: [{ any: [{ exact: { registrykind: 'acr' } }, { cesql: "registrykind = 'harbor'" }] }] }, true],
  ['cesql inside not', { filters: [{ not: { cesql: "registrykind = 'acr'" } }] }, true],
  ['not over a failing cesql evaluation passes', { filters: [{ not: { cesql: 'dataschema = 1' } }] }, true],
  ['cesql and another dialect in one entry must both pass', { filters: [{ prefix: { type: 'io.regevents.' }, cesql: "registrykind = 'acr'" }] }, false],
  ['filters holding cesql still win over filter.attributes', { filter: { attributes: { registrykind: 'acr' } }, filters: [{ cesql: 'TRUE' }] }, true],
];

describe('matchesTriggerFilter', () => {
  it.each(cases)('%s', (_name, trigger, expected) => {
    expect(matchesTriggerFilter(event, trigger)).toBe(expected);
  });

  it('refuses empty filters with a typed error rather than guessing', () => {
    expect(() => matchesTriggerFilter(event, { filters: [{}] })).toThrow(UnsupportedFilterError);
    expect(() => matchesTriggerFilter(event, { filters: [{ cesql: 42 as unknown as string }] })).toThrow(UnsupportedFilterError);
  });

  it('treats an invalid cesql expression as an invalid Trigger: a typed error carrying the parse error', () => {
    const trigger = { filters: [{ cesql: "type = 'x' AND (subject" }] };
    let thrown: unknown;
    try {
      matchesTriggerFilter(event, trigger);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedFilterError);
    const { cause, issues, message } = thrown as UnsupportedFilterError;
    expect(message).toContain('invalid cesql filter');
    expect(issues).toEqual([{ path: 'filters.cesql', message: 'at offset 23: found the end of the expression (expected an operator or ")")' }]);
    expect(cause).toBeInstanceOf(CesqlParseError);
    expect((cause as CesqlParseError).offset).toBe(23);
  });

  it('rejects an invalid expression whatever the event, even where evaluation would not reach it', () => {
    const trigger = { filters: [{ exact: { registrykind: 'acr' } }, { any: [{ not: { cesql: 'retries -1 > 0' } }] }] };
    expect(() => matchesTriggerFilter(event, trigger)).toThrow(UnsupportedFilterError);
  });

  it('looks attributes up as own keys: inherited properties are not attributes of the event', () => {
    expect(matchesTriggerFilter(event, { filters: [{ exact: { constructor: String(Object) } }] })).toBe(false);
    expect(matchesTriggerFilter(event, { filters: [{ prefix: { toString: 'function' } }] })).toBe(false);
    expect(matchesTriggerFilter(event, { filters: [{ suffix: { hasOwnProperty: '}' } }] })).toBe(false);
    expect(matchesTriggerFilter(event, { filter: { attributes: { constructor: String(Object) } } })).toBe(false);
    // an event that does carry such an attribute matches it
    expect(matchesTriggerFilter({ ...event, constructor: 'x' }, { filters: [{ exact: { constructor: 'x' } }] })).toBe(true);
  });

  it('refuses filters nested deeper than CESQL allows with UnsupportedFilterError, not a RangeError', () => {
    const nest = (levels: number, dialect: 'not' | 'all') => {
      let filter: SubscriptionsAPIFilter = { exact: { registrykind: 'harbor' } };
      for (let i = 0; i < levels; i++) filter = dialect === 'not' ? { not: filter } : { all: [filter] };
      return { filters: [filter] };
    };
    for (const dialect of ['not', 'all'] as const) {
      expect(() => matchesTriggerFilter(event, nest(20_000, dialect))).toThrow(UnsupportedFilterError);
      expect(() => matchesTriggerFilter(event, nest(CESQL_LIMITS.maxDepth, dialect))).toThrow(UnsupportedFilterError);
      expect(matchesTriggerFilter(event, nest(CESQL_LIMITS.maxDepth - 1, dialect))).toBe(dialect === 'all' || (CESQL_LIMITS.maxDepth - 1) % 2 === 0);
    }
  });

  it('reuses compiled expressions across events', () => {
    const trigger = { filters: [{ cesql: "registrykind IN ('harbor', 'quay')" }] };
    expect(matchesTriggerFilter(event, trigger)).toBe(true);
    expect(matchesTriggerFilter({ ...event, registrykind: 'quay' }, trigger)).toBe(true);
    expect(matchesTriggerFilter({ ...event, registrykind: 'acr' }, trigger)).toBe(false);
  });
});

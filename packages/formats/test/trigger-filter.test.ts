import { describe, expect, it } from 'vitest';
import { matchesTriggerFilter, UnsupportedFilterError, type TriggerLike } from '../src/index.js';

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
];

describe('matchesTriggerFilter', () => {
  it.each(cases)('%s', (_name, trigger, expected) => {
    expect(matchesTriggerFilter(event, trigger)).toBe(expected);
  });

  it('refuses cesql and empty filters with a typed error rather than guessing', () => {
    expect(() => matchesTriggerFilter(event, { filters: [{ cesql: "type = 'x'" }] })).toThrow(UnsupportedFilterError);
    expect(() => matchesTriggerFilter(event, { filters: [{}] })).toThrow(UnsupportedFilterError);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizedEventJsonSchema, SCHEMA_IDS, validateNormalizedEvent } from '../src/index.js';

const file = JSON.parse(readFileSync(new URL('../../../schemas/normalized/event.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const event = {
  kind: 'artifact.pushed',
  registry: { kind: 'harbor', host: 'harbor.example.com' },
  repository: 'library/app',
  digest: 'sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8',
  tag: 'v1',
  occurredAt: '2024-05-01T12:00:00.000Z',
  id: '0b5e6c1e-6a2f-8d3c-9a1b-2c3d4e5f6a7b',
  raw: { anything: ['goes'] },
};

describe('the normalized event schema', () => {
  it('is exported as published in schemas/normalized, under its $id', () => {
    expect(normalizedEventJsonSchema).toEqual(file);
    expect(normalizedEventJsonSchema['$id']).toBe(SCHEMA_IDS.normalizedEvent);
  });

  it('accepts a normalized event in its JSON form, unknown fields included', () => {
    expect(validateNormalizedEvent(event)).toEqual({ ok: true, value: event });
    expect(validateNormalizedEvent({ ...event, extra: 1 }).ok).toBe(true);
  });

  it.each([
    ['an unknown kind', { ...event, kind: 'artifact.exploded' }, 'kind', 'must be equal to one of the allowed values'],
    ['an unknown registry', { ...event, registry: { kind: 'nexus' } }, 'registry.kind', 'must be equal to one of the allowed values'],
    ['a Date-like string that is not RFC 3339', { ...event, occurredAt: 'Wed, 01 May 2024 12:00:00 GMT' }, 'occurredAt', 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.000Z'],
    ['an empty id', { ...event, id: '' }, 'id', 'must NOT have fewer than 1 characters'],
    ['a negative size', { ...event, size: -1 }, 'size', 'must be >= 0'],
    ['no raw event', { ...event, raw: undefined }, 'raw', 'is required'],
  ])('refuses %s', (_name, value, path, message) => {
    const result = validateNormalizedEvent(JSON.parse(JSON.stringify(value)));
    expect(result.ok ? [] : result.issues).toEqual([{ path, message }]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { capturedBodies } from '@regevents/registry-harness';
import { parseEnvelope, RegEventsValidationError } from '@regevents/schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANG_THRESHOLD_MS, timed } from './bounded.js';
import { mutate, mutation } from './mutate.js';

const schemaDir = new URL('../../../schemas/distribution/', import.meta.url);

/** An independent oracle: ajv compiled at runtime from the published schemas, as any user would. */
const ajv = new Ajv2020({ strict: false });
for (const name of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')));
const oracle = ajv.getSchema('https://regevents.dev/schemas/distribution/envelope.schema.json') as (value: unknown) => boolean;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some((key) => FORBIDDEN.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key]));
}

const capturedEvents: unknown[] = capturedBodies().flatMap((captured) => JSON.parse(captured.body.toString('utf8')).events);

/** Outcome of parseEnvelope: accepted, or rejected with the documented error, and nothing else. */
function parseOutcome(body: string | Uint8Array): 'accepted' | 'rejected' {
  const { value, ms } = timed(() => {
    try {
      parseEnvelope(body);
      return 'accepted' as const;
    } catch (error) {
      if (error instanceof RegEventsValidationError && error.issues.length > 0) return 'rejected' as const;
      throw error;
    }
  });
  expect(ms).toBeLessThan(HANG_THRESHOLD_MS);
  return value;
}

/** A captured event with one value replaced, retyped or removed. */
const mutatedEvent = fc.tuple(fc.constantFrom(...capturedEvents), mutation).map(([event, change]) => mutate(event, change));

/** A field the schemas name that no captured event carries, with a value that may or may not fit it. */
const optionalField = fc.oneof(
  fc.record({ key: fc.constant('platform'), value: fc.record({ architecture: fc.string({ maxLength: 70 }), os: fc.string({ maxLength: 70 }), variant: fc.string(), features: fc.array(fc.oneof(fc.string(), fc.integer())) }, { requiredKeys: [] }) }),
  fc.record({ key: fc.constant('annotations'), value: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())) }),
  fc.record({ key: fc.constant('urls'), value: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 70 }) }),
  fc.record({ key: fc.constant('data'), value: fc.oneof(fc.base64String(), fc.string()) }),
  fc.record({ key: fc.constant('artifactType'), value: fc.oneof(fc.constantFrom('application/vnd.example+json', 'text/plain'), fc.string()) }),
);

const OPTIONAL_KEYS = ['platform', 'annotations', 'urls', 'data', 'artifactType'];

/** A captured event whose target, or one of its references, gets an optional field. */
const eventWithOptionalField = fc.tuple(fc.constantFrom(...capturedEvents), optionalField, fc.boolean(), fc.nat()).map(([event, { key, value }, onReference, index]) => {
  const copy = structuredClone(event) as { target?: Record<string, unknown> & { references?: Record<string, unknown>[] } };
  const references = copy.target?.references ?? [];
  const holder = references.length > 0 && onReference ? references[index % references.length] : copy.target;
  if (holder) holder[key] = value;
  return copy;
});

describe('parseEnvelope under property tests', () => {
  it('accepts exactly what the published schema accepts (mutated captured events, and events given optional fields)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mutatedEvent, eventWithOptionalField), { minLength: 1, maxLength: 3 }), (events) => {
        const envelope = { events };
        const expected = oracle(envelope) && !hasForbiddenKey(envelope) ? 'accepted' : 'rejected';
        expect(parseOutcome(JSON.stringify(envelope))).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives optional fields that the schema accepts in a fair share of events, on the target and on every reference', () => {
    const samples = fc.sample(eventWithOptionalField, 3_000);
    const valid = samples.filter((event) => oracle({ events: [event] })).length;
    // about 37% are valid: enough of both kinds for the differential above to compare
    expect(valid).toBeGreaterThan(600);
    expect(samples.length - valid).toBeGreaterThan(600);
    const holders = new Set<string>();
    for (const event of samples as { target?: Record<string, unknown> & { references?: Record<string, unknown>[] } }[]) {
      const target = event.target ?? {};
      if (OPTIONAL_KEYS.some((key) => key in target)) holders.add('target');
      for (const [index, reference] of (target.references ?? []).entries()) if (OPTIONAL_KEYS.some((key) => key in reference)) holders.add(`reference ${index}`);
    }
    expect([...holders].sort()).toEqual(['reference 0', 'reference 1', 'target']);
  });

  it('never throws anything but RegEventsValidationError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const outcome = parseOutcome(JSON.stringify(value));
        expect(outcome).toBe(oracle(value) && !hasForbiddenKey(value) ? 'accepted' : 'rejected');
      }),
      { numRuns: 3_000 },
    );
  });

  it('never throws anything but RegEventsValidationError on arbitrary bytes and text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2_000 }), fc.string({ unit: 'binary', maxLength: 2_000 })), (body) => {
        parseOutcome(body);
      }),
      { numRuns: 3_000 },
    );
  });

  it('rejects deep nesting and huge inputs without overflowing the stack or hanging', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseOutcome(deep)).toBe('rejected');
    const deepObject = `{"events":[],"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    expect(parseOutcome(deepObject)).toBe('accepted');
    expect(parseOutcome(`{"events":[${'1,'.repeat(400_000)}1]}`)).toBe('rejected');
  });
});

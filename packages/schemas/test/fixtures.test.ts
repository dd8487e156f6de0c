import { describe, expect, it } from 'vitest';
import { envelopeSchema, eventSchema, parseEnvelope, validateEnvelope, validateEvent } from '../src/index.js';
import { capturedBodies } from '@regevents/registry-harness';

const fixtures = capturedBodies();

describe('captured fixtures', () => {
  it('covers every capture scenario', () => {
    const scenarios = new Set(fixtures.map((f) => f.name.split('/')[1]));
    expect([...scenarios].sort()).toEqual([
      'copy-to-repository',
      'delete-by-tag',
      'pull-by-tag',
      'push-authenticated',
      'push-by-tag',
      'push-index-all',
      'push-index-with-references',
      'push-with-references',
      'redelivery',
    ]);
  });

  it.each(fixtures.map((f) => [f.name, f.body] as const))('%s parses in tolerant and strict mode', (_name, body) => {
    const tolerant = parseEnvelope(body);
    const strict = parseEnvelope(body, { strict: true });
    expect(strict).toEqual(tolerant);
    expect(tolerant.events.length).toBeGreaterThan(0);
    for (const event of tolerant.events) {
      expect(validateEvent(event, { strict: true })).toEqual({ ok: true, value: event });
      expect(eventSchema['~standard'].validate(event)).toEqual({ value: event });
    }
    expect(validateEnvelope(tolerant, { strict: true }).ok).toBe(true);
    expect(envelopeSchema['~standard'].validate(tolerant)).toEqual({ value: tolerant });
  });
});

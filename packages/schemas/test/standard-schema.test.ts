import { describe, expect, it } from 'vitest';
import { envelopeSchema, eventSchema } from '../src/index.js';
import { capturedEvent } from './fixtures.js';

describe('Standard Schema issues carry their path as keys', () => {
  it('keys, indices and keys that are not identifiers', async () => {
    const event = capturedEvent('push-by-tag/003.json');
    event.target.annotations = { 'org.opencontainers.image.title': 7 };
    const result = await envelopeSchema['~standard'].validate({ events: [event] });
    expect(result.issues).toEqual([{ message: 'must be a string', path: ['events', 0, 'target', 'annotations', 'org.opencontainers.image.title'] }]);
  });

  it('no path for the value itself, and forbidden keys found where they are', async () => {
    expect((await eventSchema['~standard'].validate(null)).issues).toEqual([{ message: 'must be an object', path: undefined }]);
    const polluted = JSON.parse('{"events":[],"x":{"__proto__":{}}}');
    expect((await envelopeSchema['~standard'].validate(polluted)).issues).toEqual([{ message: 'is a forbidden key (prototype pollution)', path: ['x', '__proto__'] }]);
  });
});

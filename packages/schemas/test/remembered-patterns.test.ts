import { describe, expect, it } from 'vitest';
import { parseEnvelope, RegEventsValidationError, validateEvent } from '../src/index.js';
import { capturedEvent } from './fixtures.js';

// The fast validators remember strings that passed the patterns of values that repeat across
// events (scripts/compile-validators.mjs, rememberPasses). Whatever slot a remembered string sits
// in, a string that differs from it in one character must still meet the pattern.
const repeating: [string, (event: Record<string, any>) => Record<string, any>, string, string][] = [
  ['target.digest', (event) => event.target, 'digest', 'must look like <algorithm>:<hex>'],
  ['target.mediaType', (event) => event.target, 'mediaType', 'must be a media type such as application/vnd.oci.image.manifest.v1+json'],
  ['target.repository', (event) => event.target, 'repository', 'must be a repository name such as library/app (lower-case components separated by /)'],
  ['target.tag', (event) => event.target, 'tag', 'must be a tag: up to 128 letters, digits, _ . - not starting with . or -'],
];

function parseIssues(body: string, strict: boolean): readonly unknown[] {
  try {
    parseEnvelope(body, { strict });
  } catch (error) {
    if (error instanceof RegEventsValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('patterns that remember the strings that passed them', () => {
  for (const [path, parentOf, key, message] of repeating) {
    for (const strict of [false, true]) {
      it(`${path}${strict ? ' (strict)' : ''}: a string one character away from one that passed is still checked, at every position`, () => {
        const event = capturedEvent('push-by-tag/003.json');
        const valid = parentOf(event)[key] as string;
        const body = JSON.stringify({ events: [event] });
        for (let at = 0; at < valid.length; at++) {
          // A space breaks all four patterns wherever it stands.
          parentOf(event)[key] = `${valid.slice(0, at)} ${valid.slice(at + 1)}`;
          expect(parseIssues(body, strict)).toEqual([]);
          expect(parseIssues(JSON.stringify({ events: [event] }), strict)).toEqual([{ path: `events[0].${path}`, message }]);
          expect(validateEvent(event, { strict })).toEqual({ ok: false, issues: [{ path, message }] });
          parentOf(event)[key] = valid;
          expect(validateEvent(event, { strict }).ok).toBe(true);
        }
      });
    }
  }
});

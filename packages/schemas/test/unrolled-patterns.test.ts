import { readdirSync, readFileSync } from 'node:fs';
import { capturedBodies, vendorFixtures } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { unrollCountedClasses } from '../scripts/unroll-counted-classes.mjs';

const schemaRoot = new URL('../../../schemas/', import.meta.url);

function collect(node: unknown, found: (key: string, value: unknown) => void): void {
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    found(key, value);
    collect(value, found);
  }
}

const patterns = new Set<string>();
for (const folder of ['distribution', 'vendors', 'normalized']) {
  for (const name of readdirSync(new URL(`${folder}/`, schemaRoot))) {
    collect(JSON.parse(readFileSync(new URL(`${folder}/${name}`, schemaRoot), 'utf8')), (key, value) => {
      if (key === 'pattern' && typeof value === 'string') patterns.add(value);
    });
  }
}

const samples = new Set<string>();
for (const text of [...capturedBodies().map((captured) => captured.body.toString('utf8')), ...vendorFixtures().map((fixture) => fixture.text)]) {
  collect(JSON.parse(text), (_key, value) => {
    if (typeof value === 'string' && value.length <= 300) samples.add(value);
  });
}

const ALPHABET = [...'09afgAFGzZT-:./+_= \n'];

/** The string and every string one edit away: each character replaced, dropped or doubled. */
function oneEditAway(value: string): string[] {
  const near = [value, `${value}0`, `0${value}`];
  for (let at = 0; at < value.length; at++) {
    const before = value.slice(0, at);
    const after = value.slice(at + 1);
    near.push(before + after, before + value[at] + value[at] + after);
    for (const character of ALPHABET) near.push(before + character + after);
  }
  return near;
}

describe('unrollCountedClasses', () => {
  it.each([
    ['^[0-9a-f]{3}$', '^[0-9a-f][0-9a-f][0-9a-f]$'],
    ['\\[[0-9]{2}', '\\[[0-9][0-9]'],
    ['[\\]x]{2}', '[\\]x][\\]x]'],
    ['[^]a]{2}', '[^]a]{2}'],
    ['[a]{2,3}[b]{2,}[c]{0}[d]{2}?', '[a]{2,3}[b]{2,}[c]{0}[d]{2}?'],
    ['a{3}(?:ab){2}\\d{2}', 'a{3}(?:ab){2}\\d{2}'],
    ['[a]{17}', '[a]{17}'],
  ])('%s -> %s', (source, unrolled) => {
    expect(unrollCountedClasses(source)).toBe(unrolled);
  });

  it('every pattern in the schemas accepts exactly the same strings unrolled (captured strings and every string one edit away)', () => {
    expect(patterns.size).toBeGreaterThan(5);
    let matched = 0;
    for (const pattern of patterns) {
      const original = new RegExp(pattern);
      const unrolled = new RegExp(unrollCountedClasses(pattern));
      for (const sample of samples) {
        for (const candidate of oneEditAway(sample)) {
          const accepted = original.test(candidate);
          if (accepted) matched++;
          if (unrolled.test(candidate) !== accepted) expect.fail(`${pattern} unrolled disagrees on ${JSON.stringify(candidate)}`);
        }
      }
    }
    // The edits reach strings each pattern accepts, not only ones both reject.
    expect(matched).toBeGreaterThan(10_000);
  });
});

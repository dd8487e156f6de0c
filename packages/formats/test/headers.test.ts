import { describe, expect, it } from 'vitest';
import { headerValue } from '../src/headers.js';

describe('headerValue', () => {
  it('reads every shape alike: case-insensitive names, repeated values joined with ", " as HTTP does', () => {
    const shapes = [
      new Headers([
        ['X-Token', 'a'],
        ['x-token', 'b'],
      ]),
      { 'X-Token': 'a', 'x-token': ['b'], other: 'c' },
      { 'x-token': ['a', 'b'], 'x-tokens': 'c' },
      [
        ['X-TOKEN', 'a'],
        ['other', 'c'],
        ['x-token', 'b'],
      ] as const,
    ];
    for (const headers of shapes) expect(headerValue(headers, 'X-Token')).toBe('a, b');
  });

  it('is undefined for a header that is absent or has no value, and keeps an empty value', () => {
    expect(headerValue(undefined, 'x-token')).toBeUndefined();
    expect(headerValue({ 'x-token': [], other: 'c' }, 'x-token')).toBeUndefined();
    expect(headerValue({ 'x-token': undefined }, 'x-token')).toBeUndefined();
    expect(headerValue({ 'X-Token': '' }, 'x-token')).toBe('');
    expect(headerValue([['x-token', '']], 'x-token')).toBe('');
  });
});

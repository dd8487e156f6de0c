import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset } from '../src/json-syntax.js';

// Offsets as Go 1.19's json.Unmarshal reports them in *json.SyntaxError (run with `go run` on this machine).
const GO_OFFSETS: [string, number][] = [
  ['{"schemaVersion": 2, not json', 22],
  ['', 0],
  ['{"a":1}x', 8],
  ['{"a" 1}', 6],
  ['[1,2,]', 6],
  ['{"a":tru}', 9],
  ['"\\q"', 3],
  ['01', 2],
  ['-', 1],
  ['1.e5', 3],
  ['{"a":[1,2}', 10],
  ['   ', 3],
  ['{"a":"b"', 8],
  ['"a\u0001"', 3],
];

describe('jsonSyntaxErrorOffset', () => {
  it.each(GO_OFFSETS)('%j stops at %i, as Go does', (text, offset) => {
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('is undefined for valid JSON', () => {
    expect(jsonSyntaxErrorOffset('{"a":[1,-2.5e3,true,false,null,"\\u00e9"]}')).toBeUndefined();
  });
});

import { expect, it } from 'vitest';
import { goEncode, goMarshalIndent } from '../src/go-json.js';

it("escapes like Go's encoder: HTML characters, line separators, \\b and \\f", () => {
  const value = { useragent: 'a<b>&c\u2028\u2029\b\f\\b\n' };
  expect(goEncode(value)).toBe('{"useragent":"a\\u003cb\\u003e\\u0026c\\u2028\\u2029\\u0008\\u000c\\\\b\\n"}\n');
  expect(goMarshalIndent({ events: [{ id: 'x', actor: {} }] })).toBe('{\n   "events": [\n      {\n         "id": "x",\n         "actor": {}\n      }\n   ]\n}');
});

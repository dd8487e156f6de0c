import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsedValidator } from '../scripts/parsed-validators.mjs';
import { hasForbiddenKey, isForbiddenKey } from '../src/issues.js';

const id = 'https://regevents.dev/schemas/test/shared.schema.json';
/** A record three properties share, and a scalar the record and two properties share. */
const schema = {
  $id: id,
  type: 'object',
  properties: {
    first: { $ref: '#/$defs/Record' },
    second: { $ref: '#/$defs/Record' },
    third: { $ref: '#/$defs/Record' },
    name: { $ref: '#/$defs/Name' },
  },
  $defs: {
    Record: { type: 'object', required: ['label'], properties: { label: { $ref: '#/$defs/Name' } } },
    Name: { type: 'string', maxLength: 8 },
  },
};

function compiled(strict: boolean): { code: string; validate: (value: unknown) => boolean } {
  const { code, entry } = parsedValidator([schema], id, { strict });
  const validate = new Function('hasForbiddenKey', 'isForbiddenKey', `${code}\nreturn ${entry};`)(hasForbiddenKey, isForbiddenKey) as (value: unknown) => boolean;
  return { code, validate };
}

describe('parsed validators with shared definitions', () => {
  it('write a shared record out once, called at each use, and check it at every one', () => {
    for (const strict of [false, true]) {
      const { code, validate } = compiled(strict);
      // read once (the name set of its known keys aside)
      expect(code.match(/\w\["label"\]/g)).toHaveLength(1);
      expect(validate({ first: { label: 'a' }, second: { label: 'b' }, third: { label: 'c' }, name: 'n' })).toBe(true);
      for (const use of ['first', 'second', 'third']) {
        expect(validate({ [use]: { label: 'a'.repeat(9) } })).toBe(false);
        expect(validate({ [use]: {} })).toBe(false);
        expect(validate({ [use]: 'not a record' })).toBe(false);
        expect(validate({ [use]: { label: 'a', extra: JSON.parse('{"__proto__":1}') } })).toBe(false);
        expect(validate({ [use]: { label: 'a', extra: 1 } })).toBe(!strict);
      }
      expect(validate({ name: 'a'.repeat(9) })).toBe(false);
    }
  });

  it('refuse a recursive definition several $refs share, as they refuse one written out, so no generated function calls itself', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Tree' } } } };
    const sharedTree = { $id: id, type: 'object', properties: { left: { $ref: '#/$defs/Tree' }, right: { $ref: '#/$defs/Tree' } }, $defs: { Tree: tree } };
    const writtenOut = { $id: id, type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } };
    for (const recursive of [sharedTree, writtenOut]) {
      for (const strict of [false, true]) {
        expect(() => parsedValidator([recursive], id, { strict })).toThrow('parsed validators write every check out and cannot unfold a recursive schema');
      }
    }
  });

  it("leave the envelope validators one reading of the request record, which every action's event shares", () => {
    const generated = readFileSync(new URL('../src/generated/validators.ts', import.meta.url), 'utf8');
    for (const name of ['envelopeTolerantParsed', 'envelopeStrictParsed']) {
      const start = generated.indexOf(`const { ${name} }`);
      const chunk = generated.slice(start, generated.indexOf(`export { ${name} }`, start));
      expect(chunk.match(/\w\["useragent"\]/g)).toHaveLength(1);
    }
  });
});

/**
 * A yes-or-no validator for values fresh from JSON.parse, generated from the distribution schemas:
 * it says yes only when the value is valid *and* holds no prototype-polluting key, in one pass. ajv's
 * fast validator followed by a separate search for forbidden keys reads every value twice. Here an
 * object's known properties are read by name (inline-cached) and checked; counting its keys then tells
 * whether it has any other key, and only such an object has its keys compared with the known names
 * (a forbidden or, in strict mode, an unknown key is a no; another key's value is searched).
 *
 * The checks of a schema are written into the code that checks its parent, down to the branches an
 * anyOf tries (each a function, as it answers yes or no): an event is checked by one function, with no
 * call per field or nested object. V8 inlines calls only within a budget of bytecode, which nested
 * small functions exhausted at the event, so every field and record below it cost a call. Only a
 * definition several $refs share and that reads members (a record, a list, branches) is a function of
 * its own, compiled once and called at each use: written out at each it made the code grow with every
 * use, twice the size. A shared scalar's checks are one line, no longer than a call, and stay written out.
 *
 * Only for JSON.parse output (own, enumerable, never-undefined properties), and only the keywords the
 * distribution schemas use: any other keyword fails the build. A no is not an answer: the caller then
 * runs the ajv validators, which decide and explain.
 */

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description', 'examples', 'deprecated', 'x-expectation']);
const KEYWORDS = new Set(['type', 'const', 'required', 'properties', 'additionalProperties', 'maxProperties', 'items', 'maxItems', 'maxLength', 'minLength', 'pattern', 'minimum', 'maximum', 'anyOf', 'oneOf', '$ref']);
/** A value no schema reads key by key: fails if it holds a forbidden key anywhere. */
const searchFails = (value) => `(typeof ${value} === "object" && ${value} !== null && hasForbiddenKey(${value}))`;
const RECURSIVE = 'parsed validators write every check out and cannot unfold a recursive schema';
/** Keys `isForbiddenKey` refuses (issues.ts): no schema may name one, so an object holding one is never valid. */
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const TYPE_CHECKS = {
  object: (x) => `(typeof ${x} === "object" && ${x} !== null && !Array.isArray(${x}))`,
  array: (x) => `Array.isArray(${x})`,
  string: (x) => `(typeof ${x} === "string")`,
  integer: (x) => `Number.isInteger(${x})`,
  number: (x) => `(typeof ${x} === "number" && Number.isFinite(${x}))`,
  boolean: (x) => `(typeof ${x} === "boolean")`,
  null: (x) => `(${x} === null)`,
};

/** `{ code, entry }`: `code` declares `entry(value)` and the functions and patterns it calls. */
export function parsedValidator(schemas, rootId, { strict }) {
  const byId = new Map(schemas.map((schema) => [schema.$id, schema]));
  const functions = [];
  const patterns = new Map();
  const compiled = new Map();
  let names = 0;
  /** A variable name no other check in the same function uses. */
  const fresh = (base) => `${base}${names++}`;

  const resolve = (ref, baseId) => {
    const url = new URL(ref, baseId);
    const [documentId, pointer = ''] = url.href.split('#');
    const document = byId.get(documentId);
    if (!document) throw new Error(`unresolved $ref ${ref} from ${baseId}`);
    const target = pointer.split('/').slice(1).reduce((node, key) => node?.[key], document);
    if (target === undefined) throw new Error(`unresolved $ref ${ref} from ${baseId}`);
    return { schema: target, baseId: documentId };
  };

  /**
   * How many $refs name each schema reachable from the root (each schema read once): one named more
   * than once is compiled once, as a function its uses call, so the code does not grow with its uses.
   */
  const refCounts = new Map();
  const counted = new Set();
  const countRefs = (schema, baseId) => {
    if (typeof schema !== 'object' || counted.has(schema)) return;
    counted.add(schema);
    if (schema.$ref !== undefined) {
      const target = resolve(schema.$ref, baseId);
      refCounts.set(target.schema, (refCounts.get(target.schema) ?? 0) + 1);
      countRefs(target.schema, target.baseId);
    }
    const below = [...Object.values(schema.properties ?? {}), schema.additionalProperties, schema.items, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
    for (const child of below) if (child !== undefined) countRefs(child, baseId);
  };
  const readsMembers = (schema) => ['properties', 'additionalProperties', 'items', 'anyOf', 'oneOf', '$ref'].some((keyword) => schema[keyword] !== undefined);
  const shared = (schema) => typeof schema === 'object' && (refCounts.get(schema) ?? 0) > 1 && readsMembers(schema);

  const nameSets = new Map();
  /** A constant Set of an object's known names, declared once. */
  const knownSetRef = (names) => {
    const key = JSON.stringify(names);
    if (!nameSets.has(key)) nameSets.set(key, `known${nameSets.size}`);
    return nameSets.get(key);
  };

  const patternName = (source) => {
    if (!patterns.has(source)) patterns.set(source, `pattern${patterns.size}`);
    return patterns.get(source);
  };

  /** Schemas whose function is being written: one met again is recursive, as its checks start afresh below it. */
  const compiling = new Set();
  /** The name of a function answering whether a value meets `schema` and holds no forbidden key. */
  const compile = (schema, baseId) => {
    if (compiling.has(schema)) throw new Error(RECURSIVE);
    if (compiled.has(schema)) return compiled.get(schema);
    const name = `parsed${compiled.size}`;
    compiled.set(schema, name);
    compiling.add(schema);
    functions.push(`function ${name}(x) {\n${indent(checks(schema, baseId, 'x', new Set()), 1).join('\n')}\n  return true;\n}`);
    compiling.delete(schema);
    return name;
  };

  /**
   * Statements that return false unless the value in variable `x` meets `schema` and holds no forbidden
   * key. `open` holds the schemas being written out around them, to refuse a recursive schema.
   */
  const checks = (schema, baseId, x, open) => {
    if (schema === true) return [`if (${searchFails(x)}) return false;`];
    if (schema === false) return ['return false;'];
    for (const keyword of Object.keys(schema)) {
      if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) throw new Error(`parsed validators do not know the keyword ${keyword}`);
    }
    if (open.has(schema)) throw new Error(RECURSIVE);
    const inside = new Set(open).add(schema);
    const lines = [];
    const types = schema.type === undefined ? undefined : [schema.type].flat();
    if (types) lines.push(`if (!${any(types.map((type) => TYPE_CHECKS[type](x)))}) return false;`);
    // After the type check, a single type is certain and needs no second test.
    const certain = types?.length === 1 ? types[0] : undefined;
    const may = (type) => !types || types.includes(type) || (type === 'number' && types.includes('integer'));
    const when = (type, test) => (certain === type || (type === 'number' && certain === 'integer') ? test : `${TYPE_CHECKS[type](x)} && ${test}`);
    if (schema.const !== undefined) {
      if (schema.const !== null && typeof schema.const === 'object') throw new Error('parsed validators only compare primitive consts');
      lines.push(`if (${x} !== ${JSON.stringify(schema.const)}) return false;`);
    }
    if (schema.$ref !== undefined) {
      const target = resolve(schema.$ref, baseId);
      if (shared(target.schema)) lines.push(`if (!${compile(target.schema, target.baseId)}(${x})) return false;`);
      else lines.push(...checks(target.schema, target.baseId, x, inside));
    }
    if (schema.anyOf) lines.push(`if (!(${schema.anyOf.map((branch) => `${compile(branch, baseId)}(${x})`).join(' || ')})) return false;`);
    const picked = schema.oneOf ? discriminated(schema, baseId, x, inside) : undefined;
    if (picked) lines.push(...picked.lines);
    if (may('string')) {
      const failures = [
        schema.maxLength !== undefined && `${x}.length > ${schema.maxLength}`,
        schema.minLength !== undefined && `${x}.length < ${schema.minLength}`,
        schema.pattern !== undefined && `!${patternName(schema.pattern)}.test(${x})`,
      ].filter(Boolean);
      if (failures.length > 0) lines.push(`if (${when('string', any(failures))}) return false;`);
    }
    if (may('number') && (schema.minimum !== undefined || schema.maximum !== undefined)) {
      const bounds = [schema.minimum !== undefined && `${x} < ${schema.minimum}`, schema.maximum !== undefined && `${x} > ${schema.maximum}`].filter(Boolean);
      lines.push(`if (${when('number', any(bounds))}) return false;`);
    }
    // A constant is a primitive (see above): it holds no key to search.
    const covered = schema.$ref !== undefined || schema.anyOf !== undefined || schema.oneOf !== undefined || schema.const !== undefined;
    // The branch a discriminator picks requires the discriminator itself: a `required` naming only it adds nothing.
    const requiredOnlyTag = picked && (schema.required ?? []).every((key) => key === picked.tag);
    const objectKeywords = ['properties', 'additionalProperties', 'maxProperties'].some((keyword) => schema[keyword] !== undefined) || (schema.required !== undefined && !requiredOnlyTag);
    if (may('object') && objectKeywords) lines.push(...guarded(certain === 'object', TYPE_CHECKS.object(x), objectChecks(schema, baseId, x, inside)));
    if (may('array') && schema.items !== undefined) lines.push(...guarded(certain === 'array', TYPE_CHECKS.array(x), arrayChecks(schema, baseId, x, inside)));
    else if (may('array') && schema.maxItems !== undefined) lines.push(`if (${when('array', `${x}.length > ${schema.maxItems}`)}) return false;`);
    // Whatever no keyword above reads key by key still has to be searched.
    const unread = [may('object') && !covered && !objectKeywords && TYPE_CHECKS.object(x), may('array') && !covered && schema.items === undefined && TYPE_CHECKS.array(x)].filter(Boolean);
    if (unread.length > 0) lines.push(`if ((${unread.join(' || ')}) && hasForbiddenKey(${x})) return false;`);
    return lines;
  };

  /** `body` as it is when the type is certain, else inside `if (test)`. */
  const guarded = (certain, test, body) => (certain ? body : [`if (${test}) {`, ...indent(body, 1), '}']);

  const objectChecks = (schema, baseId, x, open) => {
    const properties = schema.properties ?? {};
    const required = schema.required ?? [];
    const names = [...new Set([...Object.keys(properties), ...required])];
    for (const key of names) if (FORBIDDEN.includes(key)) throw new Error(`a schema names the forbidden key ${key}`);
    const closed = strict && schema.properties !== undefined && schema.additionalProperties === undefined;
    const additional = closed ? false : schema.additionalProperties;
    const known = fresh('present');
    const keys = fresh('keys');
    // Known names are read as properties (inline-cached, no comparison of keys); counting the keys then
    // tells whether there is any other key, and only then are the keys compared with the names.
    const reads = names.flatMap((key) => {
      const value = fresh('v');
      const read = `const ${value} = ${x}[${JSON.stringify(key)}];`;
      const absent = required.includes(key) ? ' else return false;' : '';
      const valueChecks = key in properties ? checks(properties[key], baseId, value, open) : [`if (${searchFails(value)}) return false;`];
      return [read, `if (${value} !== undefined) {`, `  ${known}++;`, ...indent(valueChecks, 1), `}${absent}`];
    });
    const key = fresh('key');
    const other = fresh('other');
    const otherChecks = additional === undefined ? [`if (${searchFails(other)}) return false;`] : checks(additional, baseId, other, open);
    return [
      `let ${known} = 0;`,
      ...reads,
      `let ${keys} = 0;`,
      `for (const ${key} in ${x}) ${keys}++;`,
      ...(schema.maxProperties !== undefined ? [`if (${keys} > ${schema.maxProperties}) return false;`] : []),
      `if (${keys} !== ${known}) {`,
      `  for (const ${key} in ${x}) {`,
      `    if (${knownSetRef(names)}.has(${key})) continue;`,
      `    if (isForbiddenKey(${key})) return false;`,
      `    const ${other} = ${x}[${key}];`,
      ...indent(otherChecks, 2),
      '  }',
      '}',
    ];
  };

  const arrayChecks = (schema, baseId, x, open) => {
    const index = fresh('i');
    const item = fresh('item');
    return [
      ...(schema.maxItems !== undefined ? [`if (${x}.length > ${schema.maxItems}) return false;`] : []),
      `for (let ${index} = 0; ${index} < ${x}.length; ${index}++) {`,
      `  const ${item} = ${x}[${index}];`,
      ...indent(checks(schema.items, baseId, item, open), 1),
      '}',
    ];
  };

  /** oneOf over object shapes that each fix one required property to a different constant: only the shape that property names can pass. */
  const discriminated = (schema, baseId, x, open) => {
    if (![schema.type].flat().every((type) => type === 'object')) throw new Error('parsed validators pick oneOf branches of objects only');
    const branches = schema.oneOf.map((branch) => (branch.$ref ? resolve(branch.$ref, baseId) : { schema: branch, baseId }));
    const tag = (schema.required ?? []).find((key) => branches.every((branch) => branch.schema.required?.includes(key) && branch.schema.properties?.[key]?.const !== undefined));
    if (!tag) throw new Error('parsed validators need a oneOf whose branches each fix one required property');
    const values = branches.map((branch) => branch.schema.properties[tag].const);
    if (new Set(values).size !== values.length || values.some((value) => typeof value === 'object')) throw new Error('oneOf branches must fix distinct primitive values');
    const cases = branches.flatMap((branch, index) => [`  case ${JSON.stringify(values[index])}: {`, ...indent(checks(branch.schema, branch.baseId, x, open), 2), '    break;', '  }']);
    return { tag, lines: [`switch (${x}[${JSON.stringify(tag)}]) {`, ...cases, '  default: return false;', '}'] };
  };

  const root = byId.get(rootId);
  countRefs(root, rootId);
  const entry = compile(root, rootId);
  const declarations = [
    ...[...patterns].map(([source, name]) => `const ${name} = new RegExp(${JSON.stringify(source)}, "");`),
    ...[...nameSets].map(([names, name]) => `const ${name} = new Set(${names});`),
  ];
  return { code: [...declarations, ...functions].join('\n'), entry };
}

/** Conditions joined with ||, bracketed when there is more than one. */
function any(conditions) {
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' || ')})`;
}

function indent(lines, depth) {
  const pad = '  '.repeat(depth);
  return lines.map((line) => pad + line);
}

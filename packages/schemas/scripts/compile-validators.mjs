/**
 * Compiles schemas/distribution, schemas/vendors and schemas/normalized into standalone ajv validator code at build
 * time, so importing @regevents/schemas never compiles a schema (no eval, works under strict CSPs
 * and in workers).
 *
 * Distribution: four variants per root schema: fast (stops at the first error: the happy path)
 * and full (every error, verbose, for messages), each tolerant (unknown fields allowed) and strict
 * (unknown fields rejected). The strict variant and ajv's `discriminator` are added here, not in
 * the published schemas: the published schemas stay forward compatible and plain JSON Schema.
 * Vendors and the normalized model: fast and full, tolerant only (fields get added without notice).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import AjvDraft07 from 'ajv/dist/ajv.js';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { parsedValidator } from './parsed-validators.mjs';
import { unrollCountedClasses } from './unroll-counted-classes.mjs';

const schemaRoot = new URL('../../../schemas/', import.meta.url);
const outFile = new URL('../src/generated/validators.ts', import.meta.url);

async function loadSchemas(folder) {
  const dir = new URL(`${folder}/`, schemaRoot);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(new URL(name, dir), 'utf8'))));
}

/** `https://…/vendors/harbor-cloudevents.schema.json` -> `vendorHarborCloudevents`; `…/normalized/event.schema.json` -> `normalizedEvent`. */
function exportName(id) {
  const [folder, file] = id.split('/').slice(-2);
  const base = file.replace('.schema.json', '');
  return `${folder === 'vendors' ? 'vendor' : folder}${base.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`;
}

/** Closes every object that lists its properties, recursively: strict mode. */
function closeObjects(node) {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closeObjects(value)]));
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

const ANNOTATIONS = new Set(['title', 'description', 'examples', 'deprecated', '$comment']);

/** Keywords whose values are maps of names to subschemas: their keys are names, never keywords. */
const SCHEMA_MAPS = new Set(['properties', '$defs']);

/** Drops documentation keywords: ajv copies every schema into the generated code, and they validate nothing. */
function withoutAnnotations(node) {
  if (Array.isArray(node)) return node.map(withoutAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !ANNOTATIONS.has(key))
      .map(([key, value]) => [key, SCHEMA_MAPS.has(key) ? mapValues(value, withoutAnnotations) : withoutAnnotations(value)]),
  );
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

/**
 * Picks branches by a field instead of trying each, which is faster and reports only the
 * chosen branch's errors: the event's oneOf by `action` (ajv's discriminator), and the delete
 * target's anyOf by whether it has a `tag` (the two branches exclude each other on `tag`, so
 * if/then/else accepts exactly what the anyOf accepts).
 */
function withBranchSelection(schema, definitions) {
  if (schema.$id.endsWith('/event.schema.json')) {
    const actions = schema.oneOf.map((branch) => definitions.$defs[branch.$ref.split('#/$defs/')[1]].properties.action.const);
    return { ...schema, discriminator: { propertyName: 'action' }, [DISCRIMINATOR_VALUES]: actions };
  }
  if (schema.$id.endsWith('/definitions.schema.json')) {
    const deleteTarget = {
      if: { type: 'object', required: ['tag'] },
      then: { $ref: '#/$defs/TagDeleteTarget' },
      else: { $ref: '#/$defs/DigestDeleteTarget' },
    };
    return { ...schema, $defs: { ...schema.$defs, DeleteTarget: deleteTarget } };
  }
  return schema;
}

/** Where the generated code keeps a discriminator's allowed values, so an error can list them. */
const DISCRIMINATOR_VALUES = 'x-discriminator-values';

/**
 * A schema whose root oneOf branches each fix one required property to a constant
 * (Harbor's `type`) gets ajv's discriminator: one branch is checked, and only its errors reported.
 */
function withConstDiscriminator(schema) {
  const branches = (schema.oneOf ?? []).map((branch) => (branch.$ref?.startsWith('#/$defs/') ? schema.$defs[branch.$ref.slice('#/$defs/'.length)] : branch));
  const property = (schema.required ?? []).find((name) => branches.length > 0 && branches.every((branch) => branch?.properties?.[name]?.const !== undefined));
  if (!property) return schema;
  return { ...schema, discriminator: { propertyName: property }, [DISCRIMINATOR_VALUES]: branches.map((branch) => branch.properties[property].const) };
}

/**
 * The 2020-12 keywords the schemas use mean what they meant in draft 07, and none is 2020-only
 * (no unevaluated*, $dynamicRef, prefixItems, dependent*): the draft-07 class checks them the same
 * way, without tracking on every call which properties each branch evaluated (an object per
 * event) for unevaluated* keywords no schema has. The fast validators use it; the full ones,
 * whose errors are the public output, stay 2020-12.
 */
const TWENTY_TWENTY_ONLY = /"(?:unevaluatedProperties|unevaluatedItems|\$dynamicRef|\$dynamicAnchor|prefixItems|dependentSchemas|dependentRequired|minContains|maxContains)"/;

function forDraft07(schema) {
  if (TWENTY_TWENTY_ONLY.test(JSON.stringify(schema))) throw new Error(`${schema.$id} uses a 2020-12-only keyword; compile its fast validator as 2020-12`);
  const { $schema, ...rest } = schema;
  return rest;
}

function compile(schemas, { strict, full }, tolerantOnly = []) {
  const Ajv = full ? Ajv2020 : AjvDraft07;
  const ajv = new Ajv({
    code: { source: true, esm: true, lines: false, optimize: true },
    allErrors: full,
    verbose: full,
    discriminator: true,
    unicodeRegExp: false,
    // Length limits are safety bounds, so UTF-16 units are fine and no runtime helper is imported.
    unicode: false,
    strict: true,
    strictRequired: false,
    // Vendor schemas describe payloads as published, some without a `type` beside `properties`.
    strictTypes: false,
    // The fast path inlines definitions (no per-call argument objects); the rarely-run full
    // validators share them as functions to keep the generated code small.
    inlineRefs: full ? false : true,
    logger: { log: console.log, warn: () => {}, error: console.error },
  });
  ajv.addKeyword({ keyword: 'x-expectation', schemaType: 'string' });
  ajv.addKeyword({ keyword: DISCRIMINATOR_VALUES, schemaType: 'array' });
  const definitions = schemas.find((schema) => schema.$id.endsWith('/definitions.schema.json'));
  for (const schema of schemas) {
    const lean = withoutAnnotations(schema);
    const selected = withBranchSelection(strict ? closeObjects(lean) : lean, definitions);
    ajv.addSchema(full ? selected : forDraft07(selected));
  }
  for (const schema of tolerantOnly) {
    const selected = withConstDiscriminator(withoutAnnotations(schema));
    ajv.addSchema(full ? selected : forDraft07(selected));
  }
  return ajv;
}

const schemas = await loadSchemas('distribution');
// Other registries' payloads and the normalized model: tolerant only (fields get added without notice).
const tolerantOnly = [...(await loadSchemas('vendors')), ...(await loadSchemas('normalized'))];
const envelopeId = schemas.find((s) => s.$id.endsWith('/envelope.schema.json')).$id;
const eventId = schemas.find((s) => s.$id.endsWith('/event.schema.json')).$id;

/**
 * Content names repeat across events (one repository's pushes and pulls, a handful of media types,
 * the digest a pull event names again); event ids and timestamps never do, and for them a
 * remembered value would only cost a lookup on every event, so only these patterns remember.
 */
const REPEATING_VALUES = ['Digest', 'MediaType', 'Repository', 'Tag'];
const repeatingPatterns = new Set(REPEATING_VALUES.map((name) => schemas.find((s) => s.$id.endsWith('/definitions.schema.json')).$defs[name].pattern));

/**
 * A fast validator's patterns: counted classes written out (same language, faster in V8), and a
 * repeating value's pattern tested through `rememberPasses` (below), which skips the regex for a
 * string that already passed it. The full validators keep the schema's patterns as written.
 */
function fasterPatterns(code) {
  let out = code;
  for (const match of code.matchAll(/const (pattern\d+) = new RegExp\(("(?:[^"\\]|\\.)*"), ""\);/g)) {
    const [declaration, name, literal] = match;
    const source = JSON.parse(literal);
    const unrolled = `const ${name} = new RegExp(${JSON.stringify(unrollCountedClasses(source))}, "");`;
    const remembered = repeatingPatterns.has(source) ? `const ${name}Passed = rememberPasses(${name});` : '';
    out = out.replace(declaration, () => unrolled + remembered);
    if (remembered) out = out.replaceAll(`${name}.test(`, `${name}Passed(`);
  }
  return out;
}

// A fresh string from JSON.parse has no hash yet, and hashing a digest costs more than its regex, so a
// Map (or an LRU cache built on one) is slower than no cache. A slot picked from the length and two
// characters holds the last string that passed there: a hit costs one comparison, a miss (another string
// in the slot) only that comparison on top of the regex, and only a string equal to one that passed passes.
const rememberPasses = `function rememberPasses(pattern) {
  const passed = new Array(64).fill(null);
  return (value) => {
    const length = value.length;
    if (length === 0 || length > 256) return pattern.test(value);
    const slot = (length ^ (value.charCodeAt(length >> 1) << 1) ^ (value.charCodeAt(length - 1) << 3)) & 63;
    if (passed[slot] === value) return true;
    if (!pattern.test(value)) return false;
    passed[slot] = value;
    return true;
  };
}`;

const parts = [];
for (const strict of [false, true]) {
  for (const full of [false, true]) {
    const suffix = `${strict ? 'Strict' : 'Tolerant'}${full ? 'Full' : 'Fast'}`;
    const ajv = compile(schemas, { strict, full });
    const chunk = standaloneCode(ajv, { [`envelope${suffix}`]: envelopeId, [`event${suffix}`]: eventId });
    parts.push(full ? chunk : fasterPatterns(booleanOnly(chunk)));
  }
}
for (const full of [false, true]) {
  // Vendor schemas reference the distribution ones (GitLab's events are distribution events).
  const ajv = compile(schemas, { strict: false, full }, tolerantOnly);
  const chunk = standaloneCode(ajv, Object.fromEntries(tolerantOnly.map((schema) => [`${exportName(schema.$id)}${full ? 'Full' : 'Fast'}`, schema.$id])));
  parts.push(full ? chunk : fasterPatterns(booleanOnly(chunk)));
}

/** The end of the bracketed expression opening at `start`, skipping string literals (ajv writes patterns into them). */
function closingBracket(code, start) {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      for (i++; code[i] !== '"'; i++) if (code[i] === '\\') i++;
    } else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error('unbalanced generated code');
}

/**
 * A fast validator is only asked yes or no (the full one builds the errors), so its code drops
 * everything that serves errors: the error lists, the callee's context object and its instance
 * path strings, built on every call. What is left is smaller, and V8 inlines more of it.
 */
function booleanOnly(code) {
  let out = '';
  let at = 0;
  // `validateN.errors = [...];` before a return, and `const errN = {...};` pushed onto vErrors inside anyOf and if.
  for (const match of code.matchAll(/validate\d+\.errors = \[|const (err\d+) = \{/g)) {
    if (match.index < at) continue;
    const end = closingBracket(code, match.index + match[0].length - 1);
    const push = match[1] ? `if(vErrors === null){vErrors = [${match[1]}];}else {vErrors.push(${match[1]});}` : '';
    if (!code.startsWith(`;${push}`, end + 1)) throw new Error('unexpected error list in generated code');
    out += code.slice(at, match.index);
    at = end + 2 + push.length;
  }
  out = (out + code.slice(at))
    .replace(/(function validate\d+\(data), \{instancePath="", parentData, parentDataProperty, rootData=data(?:, dynamicAnchors=\{\})?\}=\{\}\)/g, '$1)')
    .replace(/, \{instancePath[,:][^{}]*\}\)/g, ')')
    .replace(/vErrors = vErrors === null \? (\w+)\.errors : vErrors\.concat\(\1\.errors\);errors = vErrors\.length;/g, 'errors++;');
  if (/instancePath|parentData|rootData|dynamicAnchors|\.concat\(/.test(out)) throw new Error('a fast validator still builds errors; extend booleanOnly');
  return out;
}

// one envelope fresh from JSON.parse (parseEnvelope), and one event of it (a receiver classifying an envelope's events one by one)
for (const [name, rootId] of [['envelope', envelopeId], ['event', eventId]]) {
  for (const strict of [false, true]) {
    const { code, entry } = parsedValidator(schemas, rootId, { strict });
    parts.push(`${fasterPatterns(code)}\nexport const ${name}${strict ? 'Strict' : 'Tolerant'}Parsed = ${entry};`);
  }
}

// Each standalone chunk declares its own top-level functions; wrap each in a block-scoped IIFE.
const bodies = parts.map((code, i) => {
  const exported = [...code.matchAll(/export const (\w+) = (\w+);/g)];
  const inner = code.replace(/export const (\w+) = (\w+);/g, '').replace(/^"use strict";/, '');
  if (/\brequire\(|^import /m.test(inner)) throw new Error('standalone code needs a runtime import; keep the schemas self-contained');
  const names = exported.map((m) => m[1]);
  return `const { ${names.join(', ')} } = (() => {\n${inner}\nreturn { ${exported.map((m) => `${m[1]}: ${m[2]}`).join(', ')} };\n})();\nexport { ${names.join(', ')} };`;
});

// ajv collects a callee's errors with `vErrors.concat(...)`, copying the list once per failing
// array item: quadratic for a hostile body with many bad events. Appending in place is linear.
const concatPattern = /vErrors = vErrors === null \? (\w+)\.errors : vErrors\.concat\(\1\.errors\);/g;
const code = bodies.join('\n').replace(concatPattern, 'vErrors = appendErrors(vErrors, $1.errors);');
if (code.includes('.concat(')) throw new Error('ajv emitted a concat this script does not rewrite');
const appendErrors = `function appendErrors(target, more) {
  if (target === null) return more.slice();
  for (const error of more) target.push(error);
  return target;
}`;
// The vendor validators by schema file name (`harbor-cloudevents`), the names validateVendor takes.
const vendorValidators = `export const vendorValidators = {\n${tolerantOnly
  .filter((schema) => schema.$id.includes('/vendors/'))
  .map((schema) => `  ${JSON.stringify(schema.$id.split('/').pop().replace('.schema.json', ''))}: { fast: ${exportName(schema.$id)}Fast, full: ${exportName(schema.$id)}Full },`)
  .join('\n')}\n};`;
await mkdir(new URL('.', outFile), { recursive: true });
await writeFile(
  outFile,
  `// @ts-nocheck\n// Generated by scripts/compile-validators.mjs from schemas/distribution, schemas/vendors and schemas/normalized: do not edit.\nimport { hasForbiddenKey, isForbiddenKey } from '../issues.js';\n${appendErrors}\n${rememberPasses}\n${code}\n${vendorValidators}\n`,
);
console.log(`compiled ${parts.reduce((count, part) => count + part.split('export const ').length - 1, 0)} validators`);

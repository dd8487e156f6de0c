/**
 * Renders TypeScript types for the vendor and normalized-event schemas with openapi-typescript. The schemas are
 * JSON Schema 2020-12 files that reference each other; openapi-typescript reads an OpenAPI 3.1
 * document, so each schema and each of its $defs becomes a component (`HarborResource`, ...)
 * and every $ref is rewritten to point at its component.
 */
import { readFile, readdir } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

const root = new URL('../../../schemas/', import.meta.url);
export const generatedFile = new URL('../src/generated/vendors.ts', import.meta.url);

const banner = `/**
 * Generated from schemas/vendors and schemas/normalized by openapi-typescript (npm run generate -w @regevents/types).
 * Do not edit: change the schemas instead. The hand-refined surfaces are ../vendors.ts and ../normalized.ts.
 */
`;

const pascal = (text) => text.replace(/(^|[-_.])(\w)/g, (_, __, c) => c.toUpperCase());
const prefixOf = (file) => pascal(file.replace('.schema.json', ''));

function componentFor(ref, currentPrefix) {
  const [file, pointer = ''] = ref.split('#');
  const inDistribution = file.includes('distribution/') || (!file.includes('/') && currentPrefix.startsWith('Distribution'));
  const prefix = file ? (inDistribution ? 'Distribution' : '') + prefixOf(file.split('/').pop()) : currentPrefix;
  const def = /^\/\$defs\/(.+)$/.exec(pointer)?.[1];
  // distribution's definitions file holds only $defs: its parts are named Distribution<Def>.
  const name = def ? `${prefix.replace(/Definitions$/, '')}${def}` : prefix;
  return `#/components/schemas/${name}`;
}

function rewrite(node, prefix) {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, prefix));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') out.$ref = componentFor(value, prefix);
    else if (key === '$defs' || key === '$id' || key === '$schema') continue;
    else out[key] = rewrite(value, prefix);
  }
  return out;
}

async function schemasIn(folder) {
  const dir = new URL(`${folder}/`, root);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  return Promise.all(names.map(async (name) => ({ name, schema: JSON.parse(await readFile(new URL(name, dir), 'utf8')) })));
}

export async function openapiDocument() {
  const schemas = {};
  const add = (prefix, schema) => {
    if (schema.type || schema.oneOf || schema.anyOf || schema.allOf || schema.$ref) schemas[prefix] = rewrite(schema, prefix);
    for (const [def, value] of Object.entries(schema.$defs ?? {})) schemas[`${prefix}${def}`] = rewrite(value, prefix);
  };
  for (const { name, schema } of await schemasIn('distribution')) add(`Distribution${prefixOf(name)}`.replace(/Definitions$/, ''), schema);
  for (const { name, schema } of await schemasIn('vendors')) add(prefixOf(name), schema);
  for (const { name, schema } of await schemasIn('normalized')) add(`Normalized${prefixOf(name)}`, schema);
  return { openapi: '3.1.0', info: { title: 'regevents vendor formats', version: '0.1.0' }, paths: {}, components: { schemas } };
}

/** The generated module's text for the schemas as they are now. */
export async function renderVendorTypes() {
  return banner + astToString(await openapiTS(await openapiDocument()));
}

export async function readVendorTypes() {
  return readFile(generatedFile, 'utf8');
}

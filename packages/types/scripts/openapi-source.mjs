import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

export const openapiDocument = new URL('../../../schemas/openapi.json', import.meta.url);
export const generatedFile = new URL('../src/generated/openapi.ts', import.meta.url);

const banner = `/**
 * Generated from schemas/openapi.json by openapi-typescript (npm run generate -w @regevents/types).
 * Do not edit: change the schemas instead. The hand-written surface is in ../events.ts.
 */
`;

/** The generated module's text for the schemas as they are now. */
export async function renderGeneratedTypes() {
  const ast = await openapiTS(openapiDocument);
  return banner + astToString(ast);
}

export async function readGeneratedTypes() {
  return readFile(generatedFile, 'utf8');
}

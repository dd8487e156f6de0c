// parseEnvelope (JSON.parse + precompiled validation) against JSON.parse alone, against ajv
// compiled at runtime from the same published schemas and against an equivalent zod schema,
// over every captured fixture, in one interleaved run.
import { readdirSync, readFileSync } from 'node:fs';
import { capturedBodies, interleavedBench, saveBenchReport } from '@regevents/registry-harness';
import Ajv2020 from 'ajv/dist/2020.js';
import zodPackage from 'zod/package.json' with { type: 'json' };
import { parseEnvelope } from '../dist/index.js';
import { zodEnvelope } from './zod-envelope.mjs';

const bodies = capturedBodies().map((captured) => captured.body.toString('utf8'));
const zodVersion = zodPackage.version;
const schemaDir = new URL('../../../schemas/distribution/', import.meta.url);
const ajv = new Ajv2020({ strict: false });
for (const name of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')));
const runtimeValidate = ajv.getSchema('https://regevents.dev/schemas/distribution/envelope.schema.json');
// A validator that rejected a fixture would be skipping work the others do.
for (const body of bodies) {
  const zodResult = zodEnvelope.safeParse(JSON.parse(body));
  if (!zodResult.success || !runtimeValidate(JSON.parse(body))) throw new Error(`a captured fixture fails validation: ${zodResult.error?.message ?? JSON.stringify(runtimeValidate.errors)}`);
}

let accepted = 0;
const overAllBodies = (parse) => () => {
  for (const body of bodies) if (parse(body)) accepted++;
};
const results = interleavedBench([
  { name: 'JSON.parse alone', run: overAllBodies((body) => JSON.parse(body)), ops: bodies.length },
  { name: 'parseEnvelope (precompiled)', run: overAllBodies((body) => parseEnvelope(body)), ops: bodies.length },
  { name: 'JSON.parse + ajv compiled at runtime', run: overAllBodies((body) => runtimeValidate(JSON.parse(body))), ops: bodies.length },
  { name: 'JSON.parse + equivalent zod schema', run: overAllBodies((body) => zodEnvelope.safeParse(JSON.parse(body)).success), ops: bodies.length },
]);
const [, ours, runtime, zod] = results;
await saveBenchReport({
  package: '@regevents/schemas',
  title: `parse + validate ${bodies.length} captured envelopes`,
  baseline: 'JSON.parse alone',
  unit: 'envelopes/s',
  results,
  target: 'parseEnvelope >= 0.85x JSON.parse alone (issue #19)',
  notes: [
    `parseEnvelope = ${ours.ratio.toFixed(2)}x JSON.parse alone, ${(ours.opsPerSecond / runtime.opsPerSecond).toFixed(2)}x JSON.parse + runtime-compiled ajv, ${(ours.opsPerSecond / zod.opsPerSecond).toFixed(2)}x JSON.parse + zod ${zodVersion} (${accepted} parses)`,
  ],
});

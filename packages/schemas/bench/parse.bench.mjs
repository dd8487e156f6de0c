// parseEnvelope (JSON.parse + precompiled validation) against JSON.parse alone and against
// ajv compiled at runtime from the same published schemas, over every captured fixture.
import { readdirSync, readFileSync } from 'node:fs';
import { interleavedBench, saveBenchReport } from '@regevents/registry-harness';
import Ajv2020 from 'ajv/dist/2020.js';
import { parseEnvelope } from '../dist/index.js';
import { fixtureBodies } from './fixture-bodies.mjs';

const bodies = fixtureBodies();
const schemaDir = new URL('../../../schemas/distribution/', import.meta.url);
const ajv = new Ajv2020({ strict: false });
for (const name of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')));
const runtimeValidate = ajv.getSchema('https://regevents.dev/schemas/distribution/envelope.schema.json');

let accepted = 0;
const overAllBodies = (parse) => () => {
  for (const body of bodies) if (parse(body)) accepted++;
};
const results = interleavedBench([
  { name: 'JSON.parse alone', run: overAllBodies((body) => JSON.parse(body)), ops: bodies.length },
  { name: 'parseEnvelope (precompiled)', run: overAllBodies((body) => parseEnvelope(body)), ops: bodies.length },
  { name: 'JSON.parse + ajv compiled at runtime', run: overAllBodies((body) => runtimeValidate(JSON.parse(body))), ops: bodies.length },
]);
const [, ours, runtime] = results;
await saveBenchReport({
  package: '@regevents/schemas',
  title: `parse + validate ${bodies.length} captured envelopes`,
  baseline: 'JSON.parse alone',
  unit: 'envelopes/s',
  results,
  target: 'parseEnvelope >= 0.75x JSON.parse alone',
  notes: [
    `parseEnvelope = ${ours.ratio.toFixed(2)}x JSON.parse alone, ${(ours.opsPerSecond / runtime.opsPerSecond).toFixed(2)}x JSON.parse + runtime-compiled ajv (${accepted} parses)`,
  ],
});

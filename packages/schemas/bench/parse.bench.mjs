// parseEnvelope (JSON.parse + precompiled validation) against JSON.parse alone, against ajv
// compiled at runtime from the same published schemas and against an equivalent zod schema,
// over every captured fixture, in interleaved runs.
import { readdirSync, readFileSync } from 'node:fs';
import { capturedBodies, interleavedBench, saveBenchReport } from '@regevents/registry-harness';
import Ajv2020 from 'ajv/dist/2020.js';
import zodPackage from 'zod/package.json' with { type: 'json' };
import { parseEnvelope } from '../dist/index.js';
import { withUniqueValues } from './unique-values.mjs';
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
const overAll = (list, parse) => () => {
  for (const body of list) if (parse(body)) accepted++;
};
const overAllBodies = (parse) => overAll(bodies, parse);

/**
 * Several short interleaved runs; the run with the median parseEnvelope ratio is reported, the
 * others give the spread. On a shared machine a busy moment skews one run, not the figure.
 */
function medianRun(tasks, options) {
  const runs = Array.from({ length: 7 }, () => interleavedBench(tasks, options)).sort((a, b) => a[1].ratio - b[1].ratio);
  const spread = `parseEnvelope ratio over ${runs.length} runs of ${options.rounds} alternating rounds: median ${runs[3][1].ratio.toFixed(2)}, min ${runs[0][1].ratio.toFixed(2)}, max ${runs[6][1].ratio.toFixed(2)}`;
  return { results: runs[3], spread };
}

const { results, spread } = medianRun([
  { name: 'JSON.parse alone', run: overAllBodies((body) => JSON.parse(body)), ops: bodies.length },
  { name: 'parseEnvelope (precompiled)', run: overAllBodies((body) => parseEnvelope(body)), ops: bodies.length },
  { name: 'JSON.parse + ajv compiled at runtime', run: overAllBodies((body) => runtimeValidate(JSON.parse(body))), ops: bodies.length },
  { name: 'JSON.parse + equivalent zod schema', run: overAllBodies((body) => zodEnvelope.safeParse(JSON.parse(body)).success), ops: bodies.length },
], { rounds: 12, batch: 50 });
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
    spread,
  ],
});

// The validators remember strings that passed the patterns of values that repeat (digests, media
// types, repositories, tags): the same envelopes with none of those values repeating show what
// remembering costs when it never pays. 10 copies are more values than the slots hold.
const uniqueBodies = withUniqueValues(bodies, 10);
const { results: unique, spread: uniqueSpread } = medianRun(
  [
    { name: 'JSON.parse alone', run: overAll(uniqueBodies, (body) => JSON.parse(body)), ops: uniqueBodies.length },
    { name: 'parseEnvelope (precompiled)', run: overAll(uniqueBodies, (body) => parseEnvelope(body)), ops: uniqueBodies.length },
  ],
  { rounds: 12, batch: 3 },
);
await saveBenchReport({
  package: '@regevents/schemas',
  id: 'schemas-unique-values',
  title: `parse + validate ${uniqueBodies.length} envelopes with no repeating value`,
  baseline: 'JSON.parse alone',
  unit: 'envelopes/s',
  results: unique,
  notes: [`parseEnvelope = ${unique[1].ratio.toFixed(2)}x JSON.parse alone when no digest, media type, repository or tag repeats`, uniqueSpread],
});

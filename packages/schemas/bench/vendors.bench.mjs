// validateVendor (precompiled: first-error fast path, Harbor's branch picked by `type`) against
// ajv compiled at runtime from the same published vendor schemas, over every vendor fixture, in one
// interleaved run; JSON.parse of the same bodies is the baseline, as in parse.bench.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { interleavedBench, saveBenchReport, vendorFixtures } from '@regevents/registry-harness';
import Ajv2020 from 'ajv/dist/2020.js';
import { validateVendor } from '../dist/index.js';

const schemaRoot = new URL('../../../schemas/', import.meta.url);
const ajv = new Ajv2020({ strict: false });
for (const folder of ['distribution', 'vendors']) {
  const dir = new URL(`${folder}/`, schemaRoot);
  for (const name of readdirSync(dir)) ajv.addSchema(JSON.parse(readFileSync(new URL(name, dir), 'utf8')));
}
const samples = vendorFixtures().map((fixture) => ({ name: fixture.folder, text: fixture.text, runtime: ajv.getSchema(`https://regevents.dev/schemas/vendors/${fixture.folder}.schema.json`) }));
// A validator that rejected a fixture would be skipping work the others do.
for (const sample of samples) {
  if (!validateVendor(sample.name, JSON.parse(sample.text)).ok || !sample.runtime(JSON.parse(sample.text))) throw new Error(`a vendor fixture fails validation: ${sample.name}`);
}
const harbor = samples.filter((sample) => sample.name === 'harbor');

let accepted = 0;
const over = (list, validate) => () => {
  for (const sample of list) if (validate(sample, JSON.parse(sample.text))) accepted++;
};
const results = interleavedBench([
  { name: 'JSON.parse alone (every vendor fixture)', run: over(samples, () => true), ops: samples.length },
  { name: 'JSON.parse + validateVendor (precompiled)', run: over(samples, (sample, value) => validateVendor(sample.name, value).ok), ops: samples.length },
  { name: 'JSON.parse + ajv compiled at runtime', run: over(samples, (sample, value) => sample.runtime(value)), ops: samples.length },
  { name: 'Harbor only: JSON.parse + validateVendor', run: over(harbor, (sample, value) => validateVendor('harbor', value).ok), ops: harbor.length },
  { name: 'Harbor only: JSON.parse + ajv compiled at runtime', run: over(harbor, (sample, value) => sample.runtime(value)), ops: harbor.length },
]);
const [, ours, runtime, harborOurs, harborRuntime] = results;
await saveBenchReport({
  package: '@regevents/schemas',
  id: 'schemas-vendors',
  title: `parse + validate ${samples.length} vendor fixtures (${harbor.length} of them Harbor)`,
  baseline: 'JSON.parse alone over every vendor fixture',
  unit: 'bodies/s',
  results,
  notes: [
    `validateVendor = ${(ours.opsPerSecond / runtime.opsPerSecond).toFixed(2)}x ajv compiled at runtime over every fixture; Harbor alone ${(harborOurs.opsPerSecond / harborRuntime.opsPerSecond).toFixed(2)}x (${accepted} validations)`,
  ],
});
